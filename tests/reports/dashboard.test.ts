import { describe, expect, it } from 'vitest';
import { estimateForService } from '../../controller/core/wait-estimate.ts';
import type { DeviceAlert } from '../../controller/device-service/device-registry.ts';
import { systemAlerts } from '../../controller/reports/alerts.ts';
import { type DeviceInput, dashboardView } from '../../controller/reports/dashboard.ts';
import { dayStartOf } from '../../controller/reports/waits.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const NO_DEVICES: DeviceInput = { devices: [], alerts: [] };
const view = (h: EngineHarness, devices = NO_DEVICES) =>
  dashboardView(h.engine.config, h.engine.state, h.now, devices);
const at = (hh: number, mm: number) => MORNING + ((hh - 8) * 60 + mm) * MIN;

/**
 * 08:00 A, B (đất đai); 08:05 C (hộ tịch); 08:10 Hà opens counter 1 and calls A (waited 10);
 * 08:15 D (hộ tịch); 08:20 A finished, B called (waited 20); now 08:22.
 */
function smallMorning() {
  const h = new EngineHarness();
  const a = h.issue('dat-dai');
  const b = h.issue('dat-dai');
  h.advance(5);
  const c = h.issue('ho-tich');
  h.advance(5).staff('c1', 'ha');
  h.next('c1');
  h.run({ type: 'startService', counterId: 'c1' });
  h.advance(5);
  const d = h.issue('ho-tich');
  h.advance(5).run({ type: 'finishService', counterId: 'c1' });
  h.next('c1');
  h.advance(2);
  return { h, a, b, c, d };
}

describe('dashboardView', () => {
  it('starts the day at local midnight', () => {
    expect(dayStartOf(MORNING, 'Asia/Ho_Chi_Minh')).toBe(MORNING - 8 * 60 * MIN);
    expect(view(new EngineHarness()).dayStart).toBe(MORNING - 8 * 60 * MIN);
  });

  it('gives each service its waiting, longest and estimated wait, served, within-target share and average wait', () => {
    const { h } = smallMorning();
    const v = view(h);
    const byId = Object.fromEntries(v.services.map((s) => [s.id, s]));
    // The estimate is what a new ticket of the service would be given (wait-estimate.ts).
    const estimate = (serviceId: string) =>
      estimateForService(h.engine.config, h.engine.state, serviceId, h.now);
    expect(byId['dat-dai']?.estimatedWaitMinutes).toBe(estimate('dat-dai')?.minutes);
    expect(byId['ho-tich']?.estimatedWaitMinutes).toBe(estimate('ho-tich')?.minutes);
    // Hà is busy with B, and C and D (urgent by then) come before a new civil-status ticket.
    expect(estimate('ho-tich')?.forecast).toBeGreaterThan(16);
    expect(byId['dat-dai']).toMatchObject({
      waiting: 0,
      longestWaitMinutes: 0,
      servedToday: 1,
      calledToday: 2,
      withinTarget: { met: 1, missed: 1, share: 0.5 }, // A after 10 min, B after 20
      averageWaitMinutes: 15,
    });
    expect(byId['ho-tich']).toMatchObject({
      waiting: 2,
      longestWaitMinutes: 17, // C since 08:05
      servingCounters: 1, // Hà covers hộ tịch
      servedToday: 0,
      calledToday: 0,
      withinTarget: { met: 0, missed: 1, share: 0 }, // C is past 15 min; D (7 min) is not counted yet
      averageWaitMinutes: null,
    });
    expect(byId['tra-kq']).toMatchObject({
      waiting: 0,
      estimatedWaitMinutes: null,
      withinTarget: { met: 0, missed: 0, share: null },
    });
    expect(v.total).toEqual({
      waiting: 2,
      longestWaitMinutes: 17,
      servedToday: 1,
      calledToday: 2,
      withinTarget: { met: 1, missed: 2, share: 1 / 3 },
      averageWaitMinutes: 15,
    });
  });

  it('counts the wait to the first call, and a ticket cancelled after the target as missed', () => {
    const h = new EngineHarness();
    const a = h.issue('dat-dai');
    const b = h.issue('dat-dai');
    h.advance(3).staff('c1', 'ha');
    h.next('c1'); // A, 3 min
    h.advance(1).run({ type: 'recall', counterId: 'c1' }); // a recall is not a new first call
    h.advance(1).run({ type: 'skip', counterId: 'c1' });
    h.run({ type: 'returnTicket', ticketId: a.id });
    h.advance(15).run({ type: 'cancel', ticketId: b.id }); // B left after 20 min uncalled
    const s = view(h).services.find((x) => x.id === 'dat-dai');
    expect(s).toMatchObject({
      waiting: 1,
      calledToday: 1,
      withinTarget: { met: 1, missed: 1 },
      averageWaitMinutes: 3,
    });
  });

  it('shows each counter: status, pause, staff, the visit and for how long, served today', () => {
    const { h, b } = smallMorning();
    h.staff('c2', 'minh').run({ type: 'pauseCounter', counterId: 'c2', reason: 'break' });
    const v = view(h);
    expect(v.counters[0]).toMatchObject({
      id: 'c1',
      number: 1,
      status: 'open',
      staff: { id: 'ha', name: 'Nguyễn Thị Thu Hà' },
      services: ['dat-dai', 'ho-tich'],
      current: { label: b.label, status: 'called', calledAt: at(8, 20), since: at(8, 20), minutes: 2 },
      servedToday: 1,
      openedAt: at(8, 10),
    });
    expect(v.counters[1]).toMatchObject({
      status: 'paused',
      pauseReason: 'break',
      pausedSince: at(8, 22),
      current: null,
      servedToday: 0,
    });
    expect(v.counters[2]).toMatchObject({ status: 'closed', staff: null, services: [] });
  });

  it('scores satisfaction the 766 way and as the share of satisfied ratings, against 95 %', () => {
    const h = new EngineHarness();
    h.staff('c1', 'ha');
    for (const level of [1, 2, 4, null]) {
      h.issue('dat-dai');
      h.next('c1');
      h.advance(4).run({ type: 'finishService', counterId: 'c1' });
      if (level) h.run({ type: 'rateVisit', counterId: 'c1', level });
    }
    const s = view(h).satisfaction;
    expect(s).toMatchObject({
      visits: 4,
      rated: 3,
      notSatisfied: 1,
      rate766: 0.75,
      satisfiedShare: 2 / 3,
      byLevel: [1, 1, 0, 1],
      target: 0.95,
    });
    expect(s.scale[3]).toEqual({ label: 'Không hài lòng', labelEn: 'Not satisfied' });
  });

  it('lists "not satisfied" follow-ups with their visit, and never the citizen key', () => {
    const h = new EngineHarness();
    h.staff('c1', 'ha');
    const t = h.issue('ho-tich', { citizenKey: 'k'.repeat(64) });
    h.advance(2);
    h.next('c1');
    h.advance(1).run({ type: 'startService', counterId: 'c1' });
    h.advance(6).run({ type: 'finishService', counterId: 'c1', dossierCode: 'H42.22-261123-0001' });
    h.advance(1).run({ type: 'rateVisit', counterId: 'c1', level: 4 });
    const v = view(h);
    expect(v.followUps).toEqual([
      {
        id: `${t.id}:rating`,
        status: 'open',
        level: 4,
        levelLabel: 'Không hài lòng',
        levelLabelEn: 'Not satisfied',
        openedAt: at(8, 10),
        closedAt: null,
        note: null,
        ticketId: t.id,
        ticketLabel: t.label,
        counter: { id: 'c1', number: 1, name: 'Quầy 1' },
        staff: { id: 'ha', name: 'Nguyễn Thị Thu Hà' },
        visit: {
          serviceId: 'ho-tich',
          serviceName: 'Tư pháp – Hộ tịch',
          serviceNameEn: null,
          arrivedAt: at(8, 0),
          calledAt: at(8, 2),
          serviceStartedAt: at(8, 3),
          finishedAt: at(8, 9),
          dossierCode: 'H42.22-261123-0001',
        },
      },
    ]);
    h.run({ type: 'closeFollowUp', followUpId: `${t.id}:rating`, note: 'đã gọi lại' });
    expect(view(h).followUps[0]).toMatchObject({ status: 'closed', closedAt: at(8, 10), note: 'đã gọi lại' });
    expect(JSON.stringify(view(h))).not.toContain('k'.repeat(64));
  });

  it('builds the waiting and average-wait series every 15 minutes, and arrivals per hour', () => {
    const { h } = smallMorning();
    const v = view(h);
    expect(v.series.stepMinutes).toBe(15);
    expect(v.series.waiting).toEqual([
      { at: at(8, 0), waiting: 2, averageWaitMinutes: null }, // A, B
      { at: at(8, 15), waiting: 3, averageWaitMinutes: 10 }, // B, C, D; A called after 10 min
      { at: at(8, 22), waiting: 2, averageWaitMinutes: 20 }, // C, D; B called after 20 min
    ]);
    h.advance(50); // 09:12
    h.issue('tra-kq');
    h.advance(55); // 10:07
    expect(view(h).series.arrivalsPerHour).toEqual([
      { hour: 8, arrivals: 4 },
      { hour: 9, arrivals: 1 },
      { hour: 10, arrivals: 0 },
    ]);
    expect(view(new EngineHarness()).series).toMatchObject({ waiting: [], arrivalsPerHour: [] });
  });
});

describe('dashboard alerts', () => {
  const kinds = (h: EngineHarness) => view(h).alerts.map((a) => a.id);

  it('raises a long wait past alerts.waitMinutes, critical at twice it', () => {
    const h = new EngineHarness();
    const a = h.issue('dat-dai');
    h.advance(10);
    h.issue('dat-dai');
    h.advance(5);
    expect(kinds(h)).toEqual([]); // exactly 15 min is not beyond
    h.advance(1);
    expect(view(h).alerts).toEqual([
      {
        id: 'longWait:dat-dai',
        kind: 'longWait',
        deviceKind: null,
        severity: 'warning',
        since: at(8, 15),
        subject: { serviceId: 'dat-dai', ticketIds: [a.id] },
        message: `Đất đai: 1 công dân chờ quá 15 phút (lâu nhất 16 phút, số ${a.label})`,
        messageEn: `Đất đai: 1 waiting over 15 min (longest 16 min, number ${a.label})`,
      },
    ]);
    h.advance(14); // 08:30: A 30 min, B 20 min
    const [alert] = view(h).alerts;
    expect(alert).toMatchObject({ severity: 'critical', subject: { ticketIds: [a.id, expect.any(String)] } });
  });

  it('follows the thresholds set in the configuration', () => {
    const h = new EngineHarness(smallCentre({ alerts: { waitMinutes: 2, maxWaiting: 2 } }));
    h.issue('ho-tich');
    h.issue('ho-tich');
    expect(kinds(h)).toEqual([]);
    h.issue('ho-tich');
    expect(view(h).alerts).toEqual([
      expect.objectContaining({
        id: 'tooManyWaiting:ho-tich',
        kind: 'tooManyWaiting',
        severity: 'warning',
        message: 'Tư pháp – Hộ tịch: 3 công dân đang chờ (ngưỡng 2)',
      }),
    ]);
    h.advance(3);
    expect(kinds(h)).toEqual(['tooManyWaiting:ho-tich', 'longWait:ho-tich']); // the oldest first
    for (let i = 0; i < 2; i++) h.issue('ho-tich');
    expect(view(h).alerts.find((a) => a.kind === 'tooManyWaiting')?.severity).toBe('critical');
  });

  it('raises a visit longer than longServiceMinutes', () => {
    const h = new EngineHarness();
    const t = h.issue('dat-dai');
    h.staff('c1', 'ha');
    h.next('c1');
    h.advance(5).run({ type: 'startService', counterId: 'c1' });
    h.advance(30);
    expect(kinds(h)).toEqual([]); // 30 min since the start is not beyond 30
    h.advance(1);
    expect(view(h).alerts).toEqual([
      expect.objectContaining({
        id: 'longService:c1',
        kind: 'longService',
        severity: 'warning',
        since: at(8, 35),
        subject: { counterId: 'c1', staffId: 'ha', ticketIds: [t.id] },
        message: `Quầy 1: lượt phục vụ số ${t.label} đã kéo dài 31 phút (ngưỡng 30 phút)`,
      }),
    ]);
  });

  it('raises idle staff only while citizens wait for services that counter can serve', () => {
    const h = new EngineHarness();
    h.staff('c1', 'ha');
    h.issue('tra-kq'); // Hà does not cover it
    h.advance(10);
    expect(kinds(h)).toEqual([]);
    const t = h.issue('dat-dai');
    h.advance(4);
    expect(kinds(h)).toEqual([]);
    h.advance(1);
    expect(view(h).alerts).toEqual([
      expect.objectContaining({
        id: 'idleStaff:c1',
        kind: 'idleStaff',
        severity: 'warning',
        since: at(8, 15),
        subject: { counterId: 'c1', staffId: 'ha', ticketIds: [t.id] },
        message: 'Quầy 1: Nguyễn Thị Thu Hà chưa gọi ai trong 5 phút khi 1 công dân đang chờ',
      }),
    ]);
    h.run({ type: 'pauseCounter', counterId: 'c1', reason: 'meeting' });
    expect(kinds(h)).toEqual([]); // a paused counter is not idle
    h.advance(20);
    h.run({ type: 'resumeCounter', counterId: 'c1' });
    const idle = () => kinds(h).filter((id) => id.startsWith('idleStaff'));
    h.advance(4);
    expect(idle()).toEqual([]); // idle counts from the end of the pause, not from before it
    h.advance(1);
    expect(idle()).toEqual(['idleStaff:c1']);
    h.next('c1');
    h.advance(4).run({ type: 'finishService', counterId: 'c1' });
    h.issue('ho-tich');
    h.advance(4);
    expect(idle()).toEqual([]); // idle since the visit ended 4 min ago
    h.advance(1);
    expect(idle()).toEqual(['idleStaff:c1']);
  });

  it('does not count a counter that is not equipped for the waiting service', () => {
    const h = new EngineHarness();
    h.staff('c3', 'ha'); // counter 3 serves trả kết quả only; Hà does not cover it
    h.issue('dat-dai');
    h.advance(20);
    expect(kinds(h)).toEqual(['longWait:dat-dai']);
  });

  it('adds the active device alerts, critical first', () => {
    const h = new EngineHarness();
    h.issue('dat-dai');
    h.advance(16);
    const alert = (kind: DeviceAlert['kind'], active = true): DeviceAlert => ({
      id: `kiosk-a:${kind}`,
      deviceId: 'kiosk-a',
      kind,
      active,
      at: MORNING,
      message: `vi ${kind}`,
      messageEn: `en ${kind}`,
    });
    const v = view(h, {
      devices: [],
      alerts: [alert('paperLow'), alert('offline'), alert('coverOpen', false)],
    });
    expect(v.alerts.map((a) => [a.id, a.severity])).toEqual([
      ['device:kiosk-a:offline', 'critical'],
      ['device:kiosk-a:paperLow', 'warning'],
      ['longWait:dat-dai', 'warning'],
    ]);
    expect(v.alerts[0]).toMatchObject({
      kind: 'device',
      deviceKind: 'offline',
      subject: { deviceId: 'kiosk-a' },
      message: 'vi offline',
      messageEn: 'en offline',
    });
  });
});

describe("the controller's own alerts (issue 10)", () => {
  const MB = 1024 * 1024;
  it('raises a full disk (critical), low free space below alerts.minFreeDiskMb, and a clock jump', () => {
    const h = new EngineHarness();
    const alerts = systemAlerts(
      {
        diskFull: { since: at(8, 1) },
        freeBytes: 120 * MB,
        minFreeBytes: h.engine.config.alerts.minFreeDiskMb * MB,
        clockJump: { byMs: 24 * 60 * MIN, at: at(8, 2), wallAt: at(8, 2) + 24 * 60 * MIN },
      },
      h.now,
    );
    expect(alerts.map((a) => [a.kind, a.severity])).toEqual([
      ['diskFull', 'critical'],
      ['diskLow', 'warning'],
      ['clockJump', 'warning'],
    ]);
    expect(alerts[1]?.message).toContain('120 MB');
    expect(alerts[2]?.messageEn).toContain('forward');
    const shown = dashboardView(h.engine.config, h.engine.state, h.now, NO_DEVICES, alerts).alerts;
    expect(shown.map((a) => a.kind)).toEqual(['diskFull', 'diskLow', 'clockJump']);
  });

  it('raises nothing while there is room and the clock is steady', () => {
    const none = systemAlerts(
      { diskFull: null, freeBytes: 900 * MB, minFreeBytes: 500 * MB, clockJump: null },
      0,
    );
    expect(none).toEqual([]);
  });
});
