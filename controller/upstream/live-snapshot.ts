/**
 * The live snapshot sent to the province: the centre right now, from the same read models as the
 * manager dashboard (services' waits and estimates, counters, today's wait target and satisfaction).
 * Pure: configuration, state, device health and the publisher's backlog in, the message out.
 */
import type { LiveSnapshot } from '../../upstream/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import { satisfaction } from '../core/satisfaction.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceHealth } from '../device-service/device-registry.ts';
import { counterView } from '../queue/views.ts';
import { serviceFigures } from '../reports/figures.ts';
import { dayStartOf } from '../reports/waits.ts';

export function liveSnapshot(
  config: CentreConfig,
  provinceId: string,
  state: QueueState,
  devices: readonly Pick<DeviceHealth, 'online'>[],
  backlog: LiveSnapshot['backlog'],
  now: number,
): LiveSnapshot {
  const dayStart = dayStartOf(now, config.centre.timezone);
  const { services, total } = serviceFigures(config, state, now, dayStart);
  const counters = { open: 0, serving: 0, paused: 0, closed: 0 };
  for (const c of config.counters) {
    const view = counterView(config, state, c);
    counters[view.status]++;
    if (view.current) counters.serving++;
  }
  const { met, missed, share } = total.withinTarget;
  return {
    kind: 'live',
    v: 1,
    centreId: config.centre.id,
    provinceId,
    at: now,
    day: state.day,
    seq: state.seq,
    services: services.map((s) => ({
      serviceId: s.id,
      waiting: s.waiting,
      // The dashboard's longest wait, in whole minutes (the same figure the manager sees).
      longestWaitSeconds: s.longestWaitMinutes * 60,
      estimatedWaitMinutes: s.estimatedWaitMinutes,
    })),
    counters,
    devicesOffline: devices.filter((d) => !d.online).length,
    satisfaction: satisfaction(Object.values(state.tickets), config.ratings.scale.length),
    withinTarget: { met, missed, share },
    targetMinutes: config.queue.waitTargetMinutes,
    backlog,
  };
}
