/**
 * The alert panel's rows: queue alerts one by one, device alerts grouped by what is wrong (five
 * devices offline are one row naming the five), ordered by severity — critical first — then
 * citizens before devices, then the oldest. Pure.
 */
import type { DashboardAlert } from './dashboard-data.ts';

export interface AlertRow {
  id: string;
  kind: DashboardAlert['kind'];
  deviceKind: DashboardAlert['deviceKind'];
  severity: DashboardAlert['severity'];
  since: number;
  /** The alerts in this row (one, or every device with the same trouble). */
  alerts: DashboardAlert[];
}

const rank = (row: AlertRow) => (row.severity === 'critical' ? 0 : 1) * 2 + (row.kind === 'device' ? 1 : 0);

export function alertRows(alerts: readonly DashboardAlert[]): AlertRow[] {
  const rows: AlertRow[] = [];
  const byDeviceKind = new Map<string, AlertRow>();
  for (const a of alerts) {
    if (a.kind !== 'device') {
      rows.push({
        id: a.id,
        kind: a.kind,
        deviceKind: null,
        severity: a.severity,
        since: a.since,
        alerts: [a],
      });
      continue;
    }
    const key = `device:${a.deviceKind}`;
    const row = byDeviceKind.get(key);
    if (!row) {
      const created: AlertRow = {
        id: key,
        kind: 'device',
        deviceKind: a.deviceKind,
        severity: a.severity,
        since: a.since,
        alerts: [a],
      };
      byDeviceKind.set(key, created);
      rows.push(created);
      continue;
    }
    row.alerts.push(a);
    row.since = Math.min(row.since, a.since);
    if (a.severity === 'critical') row.severity = 'critical';
  }
  return rows.sort((a, b) => rank(a) - rank(b) || a.since - b.since || a.id.localeCompare(b.id));
}

/** What a group of device alerts says, in each language. */
export function deviceGroupText(row: AlertRow): { vi: string; en: string } {
  const n = row.alerts.length;
  const ids = row.alerts.map((a) => a.subject.deviceId ?? '?').join(', ');
  const what: Record<string, [string, string]> = {
    offline: ['mất kết nối', 'offline'],
    paperOut: ['hết giấy', 'out of paper'],
    paperLow: ['sắp hết giấy', 'low on paper'],
    coverOpen: ['đang mở nắp máy in', 'printer cover open'],
    printerOffline: ['máy in không hoạt động', 'printer not working'],
    misbehaving: ['gửi nhiều dữ liệu lỗi', 'sending bad data'],
  };
  const [vi, en] = what[row.deviceKind ?? ''] ?? ['có sự cố', 'in trouble'];
  return { vi: `${n} thiết bị ${vi}: ${ids}`, en: `${n} device${n > 1 ? 's' : ''} ${en}: ${ids}` };
}
