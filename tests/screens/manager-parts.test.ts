/**
 * The manager dashboard's pure parts (issue 12, item 8): the alert panel's rows, the charts' time
 * axis, and the audit log in words.
 */
import { describe, expect, it } from 'vitest';
import { alertRows, deviceGroupText } from '../../display/src/manager/alert-groups.ts';
import { auditLine } from '../../display/src/manager/audit-text.ts';
import type { DashboardAlert } from '../../display/src/manager/dashboard-data.ts';
import { timeAxis } from '../../display/src/manager/time-axis.ts';

const T0 = Date.UTC(2026, 11, 5, 3, 0); // 10:00 in Vietnam
const MIN = 60_000;

function alert(
  id: string,
  kind: DashboardAlert['kind'],
  severity: DashboardAlert['severity'],
  since: number,
  deviceKind: DashboardAlert['deviceKind'] = null,
): DashboardAlert {
  return {
    id,
    kind,
    deviceKind,
    severity,
    since,
    subject: kind === 'device' ? { deviceId: id.replace(/^device:|:\w+$/g, '') } : { serviceId: id },
    message: id,
    messageEn: id,
  };
}

describe('alert panel rows', () => {
  it('groups device alerts by trouble, orders by severity, citizens before devices, then oldest', () => {
    const offline = ['c1-pad', 'c2-pad', 'c3-pad', 'c4-pad', 'c5-pad'].map((d, i) =>
      alert(`device:${d}:offline`, 'device', 'critical', T0 + i * MIN, 'offline'),
    );
    const rows = alertRows([
      ...offline,
      alert('longWait:dat-dai', 'longWait', 'warning', T0 + 2 * MIN),
      alert('longWait:thue', 'longWait', 'critical', T0 + 9 * MIN),
      alert('device:kiosk-a:paperLow', 'device', 'warning', T0, 'paperLow'),
      alert('idleStaff:quay-2', 'idleStaff', 'warning', T0 + MIN),
    ]);
    expect(rows.map((r) => r.id)).toEqual([
      'longWait:thue', // critical, citizens
      'device:offline', // critical, devices: one row for five
      'idleStaff:quay-2', // warnings: citizens, oldest first
      'longWait:dat-dai',
      'device:paperLow',
    ]);
    const group = rows[1];
    expect(group?.alerts).toHaveLength(5);
    expect(group?.since).toBe(T0);
    expect(group && deviceGroupText(group).vi).toBe(
      '5 thiết bị mất kết nối: c1-pad, c2-pad, c3-pad, c4-pad, c5-pad',
    );
    // Nothing is lost in the grouping.
    expect(rows.flatMap((r) => r.alerts)).toHaveLength(9);
  });
});

describe('charts time axis', () => {
  it('is linear in time: ticks on round quarter hours, each label once', () => {
    const offset = 7 * 3_600_000;
    // Points every 15 minutes, and a last one 30 s after the one before it.
    const times = [0, 15, 30, 45, 60].map((m) => T0 + 2 * MIN + m * MIN);
    times.push(T0 + 62 * MIN + 30_000);
    const axis = timeAxis(times, offset, 5);
    expect(axis).not.toBeNull();
    if (!axis) return;
    expect(axis.stepMs).toBe(15 * MIN);
    expect(axis.ticks).toEqual([15, 30, 45, 60].map((m) => T0 + m * MIN));
    const label = (ms: number) =>
      new Intl.DateTimeFormat('vi-VN', {
        timeZone: 'Asia/Ho_Chi_Minh',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(ms);
    const labels = axis.ticks.map(label);
    expect(labels).toEqual(['10:15', '10:30', '10:45', '11:00']);
    expect(new Set(labels).size).toBe(labels.length);
    expect(axis.min).toBeLessThanOrEqual(times[0] as number);
    expect(axis.max).toBe(times.at(-1));
  });

  it('chooses a wider step for a long day', () => {
    const axis = timeAxis([T0, T0 + 8 * 60 * MIN], 7 * 3_600_000);
    expect(axis?.stepMs).toBe(60 * MIN);
    expect(axis?.ticks.length).toBeLessThanOrEqual(10);
  });
});

describe('audit log in words', () => {
  const names = {
    counters: new Map([['quay-3', 'Quầy 3']]),
    staff: new Map([['nguyen-thi-thu-ha', 'Nguyễn Thị Thu Hà']]),
    services: new Map([['dat-dai', 'Đất đai']]),
    accounts: new Map([['quanly', 'Quản lý Trung tâm (demo)']]),
  };
  const at = new Date(T0).toISOString();

  it('says what was done, by whom, to what, in Vietnamese', () => {
    expect(
      auditLine(
        { at, by: 'quanly', action: 'POST /api/follow-ups/2026-12-05%3A0002%3Arating/close', status: 200 },
        names,
      ),
    ).toEqual({
      what: 'Xử lý phản ánh “Không hài lòng”',
      target: 'số 0002',
      by: 'Quản lý Trung tâm (demo)',
      ok: true,
      result: 'Thành công',
    });
    // Ticket ids name the service and the day's running number (not the printed label).
    expect(
      auditLine(
        { at, by: 'quanly', action: 'POST /api/tickets/2026-12-05%3Adat-dai%3A7/cancel', status: 200 },
        names,
      ),
    ).toMatchObject({
      what: 'Hủy số thứ tự',
      target: `${names.services.get('dat-dai')} · vé thứ 7 trong ngày`,
    });
    expect(
      auditLine({ at, by: 'quanly', action: 'POST /api/counters/quay-3/close', status: 409 }, names),
    ).toMatchObject({ what: 'Đóng quầy', target: 'Quầy 3', ok: false, result: 'Bị từ chối (409)' });
    expect(
      auditLine(
        { at, by: 'quanly', action: 'PUT /api/staff/nguyen-thi-thu-ha/services', status: 200 },
        names,
      ),
    ).toMatchObject({ what: 'Phân công dịch vụ', target: 'Nguyễn Thị Thu Hà' });
    expect(auditLine({ at, by: 'x', action: 'sign in', status: 401 }, names)).toMatchObject({
      what: 'Đăng nhập',
      by: 'x',
      result: 'Sai tên hoặc mật khẩu',
    });
  });
});
