/**
 * The manager dashboard's read model: today's figures per service and counter, satisfaction,
 * alerts, chart series and follow-ups, derived from configuration + state + device health at
 * `now`. Pure (no I/O, time passed in); every figure is defined in docs/manager-dashboard.md.
 */
import type { CentreConfig } from '../centre/schema.ts';
import { ratingsBySource, satisfaction } from '../core/satisfaction.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceAlert, DeviceHealth } from '../device-service/device-registry.ts';
import { compareAlerts, type DashboardAlert, deviceAlert, queueAlerts } from './alerts.ts';
import { counterFigures, serviceFigures } from './figures.ts';
import { followUpList } from './follow-ups.ts';
import { arrivalsPerHour, SERIES_STEP_MINUTES, waitingSeries } from './series.ts';
import { dayStartOf } from './waits.ts';

/** The satisfaction target managers are held to (decision 766/QĐ-TTg). */
export const SATISFACTION_TARGET = 0.95;

export interface DeviceInput {
  devices: DeviceHealth[];
  alerts: DeviceAlert[];
  /** Alerts raised elsewhere in the controller (the upstream publisher's backlog), already in shape. */
  otherAlerts?: DashboardAlert[];
}

export function dashboardView(
  config: CentreConfig,
  state: QueueState,
  now: number,
  devices: DeviceInput,
  /** The controller's own alerts (alerts.systemAlerts): disk, clock. */
  system: DashboardAlert[] = [],
) {
  const dayStart = dayStartOf(now, config.centre.timezone);
  const { services, total } = serviceFigures(config, state, now, dayStart);
  const scale = config.ratings.scale;
  const alerts = [
    ...system,
    ...queueAlerts(config, state, now),
    ...devices.alerts.filter((a) => a.active).map(deviceAlert),
    ...(devices.otherAlerts ?? []),
  ];
  return {
    centre: { id: config.centre.id, name: config.centre.name },
    day: state.day,
    seq: state.seq,
    now,
    dayStart,
    targets: { waitMinutes: config.queue.waitTargetMinutes, satisfaction: SATISFACTION_TARGET },
    thresholds: config.alerts,
    services,
    total,
    counters: counterFigures(config, state, now),
    satisfaction: {
      // The citizen's own ratings, as the province receives them; paper forms beside them.
      ...satisfaction(Object.values(state.tickets), scale.length),
      bySource: ratingsBySource(Object.values(state.tickets)),
      withPaper: satisfaction(Object.values(state.tickets), scale.length, 'withPaper'),
      scale: scale.map((l) => ({ label: l.label, labelEn: l.labelEn ?? l.label })),
      target: SATISFACTION_TARGET,
    },
    alerts: alerts.sort(compareAlerts),
    series: {
      stepMinutes: SERIES_STEP_MINUTES,
      waiting: waitingSeries(state, now, dayStart),
      arrivalsPerHour: arrivalsPerHour(state, now, dayStart),
    },
    followUps: followUpList(config, state),
    devices: {
      // Devices configured but not installed yet are listed, not counted as missing.
      total: devices.devices.filter((d) => d.installed).length,
      online: devices.devices.filter((d) => d.installed && d.online).length,
      list: devices.devices,
    },
  };
}

export type DashboardView = ReturnType<typeof dashboardView>;
