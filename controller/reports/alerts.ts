/**
 * The dashboard's alerts about the queue (device alerts come from the device registry): long
 * waits, long visits, idle staff while citizens wait, too many waiting. Thresholds: `alerts` in
 * the centre configuration. Each alert is recomputed from the state, so it clears by itself.
 */
import type { CentreConfig } from '../centre/schema.ts';
import { rankedQueue } from '../core/assignment.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceAlert } from '../device-service/device-registry.ts';
import { MIN } from './waits.ts';

export type AlertSeverity = 'warning' | 'critical';
export type QueueAlertKind = 'longWait' | 'longService' | 'idleStaff' | 'tooManyWaiting';
/** The controller's own conditions (issue 10): its data disk and its clock. */
export type SystemAlertKind = 'diskFull' | 'diskLow' | 'clockJump';

export interface DashboardAlert {
  /** Stable while the condition lasts (kind + subject), so a screen can keep its place. */
  id: string;
  kind: QueueAlertKind | SystemAlertKind | 'device' | 'upstream';
  /** For device alerts: the registry's kind (offline, paperOut, …). */
  deviceKind: DeviceAlert['kind'] | null;
  severity: AlertSeverity;
  /** When the condition began. */
  since: number;
  subject: {
    serviceId?: string;
    counterId?: string;
    staffId?: string;
    ticketIds?: string[];
    deviceId?: string;
  };
  message: string;
  messageEn: string;
  /** A clock jump's size (wall clock minus the queue's time, ms): what confirming it moves the queue by. */
  clockJumpMs?: number;
}

/** A threshold in minutes as each language writes it (a test may set a fraction of a minute). */
const vi = (n: number) => String(n).replace('.', ',');

/** Twice a threshold is critical: the alert has been ignored, or the hall is overwhelmed. */
const CRITICAL_FACTOR = 2;

export function queueAlerts(config: CentreConfig, state: QueueState, now: number): DashboardAlert[] {
  return [...waitAlerts(config, state, now), ...counterAlerts(config, state, now)];
}

function waitAlerts(config: CentreConfig, state: QueueState, now: number): DashboardAlert[] {
  const { waitMinutes, maxWaiting } = config.alerts;
  const out: DashboardAlert[] = [];
  for (const s of config.services) {
    const waiting = Object.values(state.tickets)
      .filter((t) => t.serviceId === s.id && t.status === 'waiting')
      .sort((a, b) => a.arrivedAt - b.arrivedAt);
    const late = waiting.filter((t) => now - t.arrivedAt > waitMinutes * MIN);
    const oldest = late[0];
    const nameEn = s.nameEn ?? s.name;
    if (oldest) {
      const longest = Math.floor((now - oldest.arrivedAt) / MIN);
      out.push({
        id: `longWait:${s.id}`,
        kind: 'longWait',
        deviceKind: null,
        severity: longest >= CRITICAL_FACTOR * waitMinutes ? 'critical' : 'warning',
        since: oldest.arrivedAt + waitMinutes * MIN,
        subject: { serviceId: s.id, ticketIds: late.map((t) => t.id) },
        message: `${s.name}: ${late.length} công dân chờ quá ${vi(waitMinutes)} phút (lâu nhất ${longest} phút, số ${oldest.label})`,
        messageEn: `${nameEn}: ${late.length} waiting over ${waitMinutes} min (longest ${longest} min, number ${oldest.label})`,
      });
    }
    if (waiting.length > maxWaiting) {
      // Since the arrival that took the count over the threshold (among those still waiting).
      const over = waiting[maxWaiting] ?? waiting[waiting.length - 1];
      out.push({
        id: `tooManyWaiting:${s.id}`,
        kind: 'tooManyWaiting',
        deviceKind: null,
        severity: waiting.length > CRITICAL_FACTOR * maxWaiting ? 'critical' : 'warning',
        since: over?.arrivedAt ?? now,
        subject: { serviceId: s.id },
        message: `${s.name}: ${waiting.length} công dân đang chờ (ngưỡng ${maxWaiting})`,
        messageEn: `${nameEn}: ${waiting.length} waiting (limit ${maxWaiting})`,
      });
    }
  }
  return out;
}

function counterAlerts(config: CentreConfig, state: QueueState, now: number): DashboardAlert[] {
  const { longServiceMinutes, idleStaffMinutes } = config.alerts;
  const out: DashboardAlert[] = [];
  for (const counter of config.counters) {
    const live = state.counters[counter.id];
    if (!live || live.status === 'closed') continue;
    const current = live.currentTicketId ? state.tickets[live.currentTicketId] : undefined;
    if (current) {
      const since = current.serviceStartedAt ?? current.calledAt ?? now;
      const minutes = Math.floor((now - since) / MIN);
      if (now - since > longServiceMinutes * MIN) {
        out.push({
          id: `longService:${counter.id}`,
          kind: 'longService',
          deviceKind: null,
          severity: minutes >= CRITICAL_FACTOR * longServiceMinutes ? 'critical' : 'warning',
          since: since + longServiceMinutes * MIN,
          subject: { counterId: counter.id, ticketIds: [current.id], staffId: live.staffId },
          message: `Quầy ${counter.number}: lượt phục vụ số ${current.label} đã kéo dài ${minutes} phút (ngưỡng ${vi(longServiceMinutes)} phút)`,
          messageEn: `Counter ${counter.number}: the visit of number ${current.label} has lasted ${minutes} min (limit ${longServiceMinutes} min)`,
        });
      }
      continue;
    }
    const staff = config.staff.find((s) => s.id === live.staffId);
    if (live.status !== 'open' || !staff) continue;
    const eligible = rankedQueue({ state, rules: config.queue, counter, staff, now });
    if (!eligible.length) continue;
    // Idle since the counter was last ready (opened, resumed, signed in to, visit ended), and only while
    // someone waited; snapshots from before availableSince existed fall back to the opening time.
    const lastActive = live.availableSince ?? live.openedAt ?? 0;
    const firstWaiting = Math.min(...eligible.map((r) => r.ticket.queuedAt));
    const idleFrom = Math.max(lastActive, firstWaiting);
    if (now - idleFrom < idleStaffMinutes * MIN) continue;
    const minutes = Math.floor((now - idleFrom) / MIN);
    out.push({
      id: `idleStaff:${counter.id}`,
      kind: 'idleStaff',
      deviceKind: null,
      severity: minutes >= CRITICAL_FACTOR * idleStaffMinutes ? 'critical' : 'warning',
      since: idleFrom + idleStaffMinutes * MIN,
      subject: { counterId: counter.id, staffId: staff.id, ticketIds: eligible.map((r) => r.ticket.id) },
      message: `Quầy ${counter.number}: ${staff.name} chưa gọi ai trong ${minutes} phút khi ${eligible.length} công dân đang chờ`,
      messageEn: `Counter ${counter.number}: ${staff.name} has called nobody for ${minutes} min while ${eligible.length} wait`,
    });
  }
  return out;
}

const CRITICAL_DEVICE: readonly DeviceAlert['kind'][] = [
  'offline',
  'paperOut',
  'coverOpen',
  'printerOffline',
];

export function deviceAlert(a: DeviceAlert): DashboardAlert {
  return {
    id: `device:${a.id}`,
    kind: 'device',
    deviceKind: a.kind,
    severity: CRITICAL_DEVICE.includes(a.kind) ? 'critical' : 'warning',
    since: a.at,
    subject: { deviceId: a.deviceId },
    message: a.message,
    messageEn: a.messageEn,
  };
}

export interface SystemInput {
  /** Set while the data disk is full (commands are refused). */
  diskFull: { since: number } | null;
  /** Free bytes on the data disk at the last check, if known. */
  freeBytes: number | null;
  /** Below this, low free space is raised (alerts.minFreeDiskMb). */
  minFreeBytes: number;
  /** A wall-clock jump the queue does not follow until a manager confirms it. */
  clockJump: { byMs: number; at: number; wallAt: number } | null;
}

/** Alerts about the controller itself, raised well before a full disk stops recording. */
export function systemAlerts(input: SystemInput, now: number): DashboardAlert[] {
  const out: DashboardAlert[] = [];
  const base = { deviceKind: null, subject: {} };
  if (input.diskFull) {
    out.push({
      ...base,
      id: 'system:diskFull',
      kind: 'diskFull',
      severity: 'critical',
      since: input.diskFull.since,
      message: 'Ổ đĩa dữ liệu đã đầy: không cấp được số mới; hãy giải phóng dung lượng ngay',
      messageEn: 'The data disk is full: no new ticket can be issued; free space now',
    });
  }
  if (input.freeBytes !== null && input.freeBytes < input.minFreeBytes) {
    const mb = Math.floor(input.freeBytes / (1024 * 1024));
    out.push({
      ...base,
      id: 'system:diskLow',
      kind: 'diskLow',
      severity: 'warning',
      since: now,
      message: `Ổ đĩa dữ liệu sắp đầy: còn ${mb} MB`,
      messageEn: `The data disk is nearly full: ${mb} MB free`,
    });
  }
  if (input.clockJump) {
    const minutes = Math.round(Math.abs(input.clockJump.byMs) / MIN);
    const forward = input.clockJump.byMs > 0;
    out.push({
      ...base,
      id: 'system:clockJump',
      kind: 'clockJump',
      severity: 'warning',
      since: input.clockJump.at,
      clockJumpMs: input.clockJump.byMs,
      message: `Đồng hồ máy chủ vừa nhảy ${forward ? 'tới' : 'lùi'} ${minutes} phút; hàng đợi giữ giờ cũ cho đến khi quản lý xác nhận`,
      messageEn: `The controller's clock jumped ${forward ? 'forward' : 'back'} ${minutes} min; the queue keeps its own time until a manager confirms it`,
    });
  }
  return out;
}

/** Critical first, then the oldest. */
export function compareAlerts(a: DashboardAlert, b: DashboardAlert): number {
  if (a.severity !== b.severity) return a.severity === 'critical' ? -1 : 1;
  return a.since - b.since || a.id.localeCompare(b.id);
}
