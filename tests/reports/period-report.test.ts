/**
 * The centre's report of a small day (report-day.ts), checked against figures worked out by hand
 * (the arithmetic is in the comments), read from a journal on disk the way the controller does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dayPeriod, monthPeriod, PeriodError, PrunedPeriodError } from '../../controller/reports/period.ts';
import { ReportSource } from '../../controller/reports/report-source.ts';
import { dailySummary } from '../../controller/visits/daily-summary.ts';
import { deriveVisitRecords } from '../../controller/visits/visit-ledger.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { EngineHarness } from '../helpers/engine.ts';
import { at, config, DAY, pseudonym, smallDay, writeJournal } from './report-day.ts';

const dirs: { remove: () => void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function sourceFor(events: Parameters<typeof writeJournal>[1], now: number) {
  const data = tempDataDir('reports-');
  dirs.push(data);
  return new ReportSource({
    journalDir: writeJournal(data.dir, events),
    config: () => config,
    pseudonym,
    clock: () => now,
  });
}

const MINUTE = 60;

describe('report of a day', () => {
  it('matches the figures worked out by hand', async () => {
    const { h } = smallDay();
    const report = await sourceFor(h.events, at(120)).report(dayPeriod(DAY));
    const t = report.total;
    expect(report.period).toEqual({
      kind: 'day',
      id: DAY,
      firstDay: DAY,
      lastDay: DAY,
      daysCounted: 1,
      daysInPeriod: 1,
    });
    expect(report.provisional).toBe(0);
    // Records: A served, C served, D leg 0 transferred, B no-show, E cancelled, D leg 1 served.
    expect(t.figures).toMatchObject({
      visits: 6,
      tickets: 5, // A B C D E
      served: 3, // A, C, D (leg 1)
      noShow: 1,
      transferred: 1,
      cancelled: 1,
      expired: 0,
    });
    // First-leg waits: A 2 min, C 5, B 20, D 26 → 120, 300, 1200, 1560 s (E was never called).
    expect(t.figures.wait).toEqual({
      count: 4,
      meanSeconds: 795, // (120 + 300 + 1200 + 1560) / 4 = 3180 / 4
      medianSeconds: 750, // (300 + 1200) / 2
      p90Seconds: 1560, // ⌈0.9 × 4⌉ = 4th smallest
      withinTarget: 2, // A, C ≤ 15 min
      overTarget: 2, // B, D; E closed after 5 min uncalled: neither
      withinTargetShare: 0.5,
    });
    // Service: A 3→13 = 10 min; C 5→25 = 20 min (never started: from the call); D leg 1 32→40 = 8 min.
    expect(t.figures.serviceTime).toEqual({ count: 3, meanSeconds: 760, medianSeconds: 600 }); // 2280 / 3
    expect(t.figures.satisfaction).toEqual({
      visits: 3,
      rated: 2,
      notSatisfied: 1, // C rated 4 of 4
      rate766: 2 / 3, // (3 served − 1 not satisfied) / 3
      satisfiedShare: 0.5, // A (level 1 ≤ 2) of 2 ratings
      byLevel: [1, 0, 0, 1],
    });
    expect(t.staff).toEqual({ count: 2, dossiersPerStaff: 1.5 }); // 3 served ÷ ha, minh

    // Productivity: district level 1,200 a year × 1 day ÷ 365 = 3.2877 per staff member.
    expect(t.productivity.yearlyTarget).toBe(1200);
    expect(t.productivity.targetPerStaff).toBeCloseTo(3.287671, 5);
    expect(t.productivity.share).toBeCloseTo(0.45625, 5); // 1.5 / 3.287671

    const service = (id: string) => report.services.find((s) => s.id === id)?.figures;
    // Đất đai: A served (wait 120), B no-show (wait 1200), D leg 1 served (leg 1: no wait).
    expect(service('dat-dai')).toMatchObject({ visits: 3, tickets: 3, served: 2, noShow: 1 });
    expect(service('dat-dai')?.wait).toMatchObject({
      meanSeconds: 660, // (120 + 1200) / 2
      medianSeconds: 660,
      p90Seconds: 1200, // ⌈1.8⌉ = 2nd
      withinTargetShare: 0.5,
    });
    expect(service('dat-dai')?.serviceTime.meanSeconds).toBe(540); // (600 + 480) / 2
    expect(service('dat-dai')?.satisfaction).toMatchObject({ rate766: 1, satisfiedShare: 1 }); // 2 served, 0 not satisfied
    // Hộ tịch: C served (wait 300, service 1200, rated 4), D leg 0 transferred (wait 1560).
    expect(service('ho-tich')).toMatchObject({ visits: 2, served: 1, transferred: 1 });
    expect(service('ho-tich')?.wait.meanSeconds).toBe(930); // (300 + 1560) / 2
    expect(service('ho-tich')?.satisfaction).toMatchObject({ rate766: 0, satisfiedShare: 0 });
    // Trả kết quả: E cancelled uncalled: no wait figures.
    expect(service('tra-kq')).toMatchObject({ visits: 1, cancelled: 1 });
    expect(service('tra-kq')?.wait).toMatchObject({ count: 0, meanSeconds: null, withinTargetShare: null });

    const counter = (id: string) => report.counters.find((c) => c.id === id);
    expect(counter('c1')?.figures).toMatchObject({ visits: 3, served: 2, noShow: 1 });
    expect(counter('c2')?.figures).toMatchObject({ visits: 2, served: 1, transferred: 1 });
    expect(counter('c3')?.figures.visits).toBe(0);
    // c1 (ha), 0→50: idle 0–2, 13–20, 40–50 = 19 min; serving 2–13, 20–22, 32–40 = 21; break 22–32 = 10.
    const c1Time = {
      presentSeconds: 50 * MINUTE,
      servingSeconds: 21 * MINUTE,
      idleSeconds: 19 * MINUTE,
      pausedSeconds: { break: 10 * MINUTE, meeting: 0, technical: 0, other: 0 },
    };
    // c2 (minh), 0→45: idle 0–5, 25–26, 30–45 = 21 min; serving 5–25, 26–30 = 24.
    const c2Time = {
      presentSeconds: 45 * MINUTE,
      servingSeconds: 24 * MINUTE,
      idleSeconds: 21 * MINUTE,
      pausedSeconds: { break: 0, meeting: 0, technical: 0, other: 0 },
    };
    expect(counter('c1')?.time).toEqual(c1Time);
    expect(counter('c2')?.time).toEqual(c2Time);
    expect(counter('c3')?.time.presentSeconds).toBe(0);

    expect(report.staff.map((s) => [s.staffId, s.name])).toEqual([
      ['ha', 'Nguyễn Thị Thu Hà'],
      ['minh', 'Trần Văn Minh'],
    ]);
    const [ha, minh] = report.staff;
    expect(ha?.time).toEqual(c1Time);
    expect(minh?.time).toEqual(c2Time);
    expect(ha?.figures).toMatchObject({ served: 2, noShow: 1 });
    expect(ha?.productivity.dossiers).toBe(2);
    expect(ha?.productivity.share).toBeCloseTo(0.608333, 5); // 2 / 3.287671
    expect(minh?.productivity.share).toBeCloseTo(0.304167, 5); // 1 / 3.287671
    expect(ha?.pseudonym).toBe(pseudonym('ha'));
    // The centre's time is its staff's: 95 min present, 45 serving, 40 idle, 10 on a break.
    expect(t.time).toEqual({
      presentSeconds: 95 * MINUTE,
      servingSeconds: 45 * MINUTE,
      idleSeconds: 40 * MINUTE,
      pausedSeconds: { break: 10 * MINUTE, meeting: 0, technical: 0, other: 0 },
    });
  });

  it('shows the same figures as the daily summary sent upstream', async () => {
    const { h } = smallDay();
    const report = await sourceFor(h.events, at(120)).report(dayPeriod(DAY));
    const ctx = { centreId: config.centre.id, provinceId: 'quang-nam', pseudonym, config: () => config };
    const summary = dailySummary(config, 'quang-nam', DAY, deriveVisitRecords(ctx, h.events), 1, at(120));
    expect(report.total.figures).toEqual(summary.total);
    expect(report.total.staff).toEqual(summary.staff);
    expect(report.services.map((s) => ({ serviceId: s.id, figures: s.figures }))).toEqual(summary.services);
  });

  it('keeps a staff member since removed from the configuration, by id', async () => {
    const { h } = smallDay();
    const data = tempDataDir('reports-');
    dirs.push(data);
    const withoutMinh = { ...config, staff: config.staff.filter((s) => s.id !== 'minh') };
    const source = new ReportSource({
      journalDir: writeJournal(data.dir, h.events),
      config: () => withoutMinh,
      pseudonym,
      clock: () => at(120),
    });
    const report = await source.report(dayPeriod(DAY));
    expect(report.staff.map((s) => [s.staffId, s.name, s.figures.served])).toEqual([
      ['ha', 'Nguyễn Thị Thu Hà', 2],
      ['minh', 'minh', 1],
    ]);
    expect(report.staff[1]?.time.presentSeconds).toBe(45 * MINUTE);
  });

  it('counts a served visit whose rating window is still open, as provisional', async () => {
    const { h } = smallDay();
    // At 08:42 the rating window of D (finished 08:40, 5 min) is open: its record is not final.
    const sofar = h.events.filter((e) => e.at <= at(42));
    const report = await sourceFor(sofar, at(42)).report(dayPeriod(DAY));
    expect(report.provisional).toBe(1);
    expect(report.total.figures.served).toBe(3);
    // The counters' time runs to 08:42 only: c1 is still open, idle since 08:40.
    expect(report.counters.find((c) => c.id === 'c1')?.time.idleSeconds).toBe((2 + 7 + 2) * MINUTE);
  });
});

describe('report of a month', () => {
  it('adds up the days of the month and reads from the first day it needs', async () => {
    const h = new EngineHarness(config);
    smallDay(h);
    // The next day: one visit served, 08:00 → 08:10, never started, called at once.
    h.now = at(24 * 60);
    h.staff('c1', 'ha');
    h.issue('dat-dai');
    h.next('c1');
    h.now = at(24 * 60 + 10);
    h.run({ type: 'finishService', counterId: 'c1' });
    const source = sourceFor(h.events, at(24 * 60 + 120));
    const month = await source.report(monthPeriod('2026-11'));
    // 2026-11 has 30 days; the report is made on the 24th: days 1–24 count.
    expect(month.period).toMatchObject({ daysCounted: 24, daysInPeriod: 30 });
    expect(month.total.figures).toMatchObject({ visits: 7, served: 4, tickets: 6 });
    // Waits: 120, 300, 1200, 1560 and the new day's 0 → mean 3180 / 5 = 636 s.
    expect(month.total.figures.wait.meanSeconds).toBe(636);
    // ha still signed in at c1 (idle since 08:10) until 10:00: present 120 min on the second day.
    expect(month.staff.find((s) => s.staffId === 'ha')?.time.presentSeconds).toBe((50 + 120) * MINUTE);
    // 1,200 × 24 / 365 = 78.9041 per staff member.
    expect(month.total.productivity.targetPerStaff).toBeCloseTo(78.90411, 4);
    expect(month.days.filter((d) => d.figures.visits > 0).map((d) => [d.id, d.figures.visits])).toEqual([
      ['2026-11-23', 6],
      ['2026-11-24', 1],
    ]);

    // The second day alone, again: read from that day's start, not from the journal's.
    const data = await source.load(['2026-11-24'], at(24 * 60 + 120));
    expect(data.records.map((r) => r.day)).toEqual(['2026-11-24']);
    expect(data.eventsRead).toBeLessThan(h.events.length / 2);
    const again = await source.report(dayPeriod('2026-11-24'));
    expect(again.total.figures.visits).toBe(1);
    const first = await source.report(dayPeriod(DAY));
    expect(first.total.figures.visits).toBe(6);
  });

  it('after retention deleted the first day, refuses periods before the first day kept and reports the rest alike', async () => {
    const h = new EngineHarness(config);
    smallDay(h);
    h.now = at(24 * 60);
    h.staff('c1', 'ha');
    h.issue('dat-dai');
    h.next('c1');
    h.now = at(24 * 60 + 10);
    h.run({ type: 'finishService', counterId: 'c1' });
    const now = at(24 * 60 + 120);
    const whole = await sourceFor(h.events, now).report(dayPeriod('2026-11-24'));
    // Retention deletes segments up to a snapshot, and one is taken at each day start.
    const secondDay = h.events.findLast((e) => e.type === 'dayStarted');
    const kept = h.events.filter((e) => e.seq > (secondDay?.seq ?? 0));
    expect(kept.length).toBeLessThan(h.events.length);
    const source = sourceFor(kept, now);
    expect(await source.earliestKeptDay()).toBe('2026-11-24');
    await expect(source.report(dayPeriod(DAY))).rejects.toThrow(PrunedPeriodError);
    await expect(source.report(monthPeriod('2026-11'))).rejects.toThrow(/keeps the days from 2026-11-24 on/);
    const again = await source.report(dayPeriod('2026-11-24'));
    expect(again.total).toEqual(whole.total);
    expect(again.staff).toEqual(whole.staff);
    expect(again.days).toEqual(whole.days);
  });

  it('refuses periods that are malformed, impossible or not begun', async () => {
    expect(() => dayPeriod('2026-02-30')).toThrow(/2026-02 has 28 days/);
    expect(() => dayPeriod('23/11/2026')).toThrow(PeriodError);
    expect(() => monthPeriod('2026-13')).toThrow(/month must be 01 to 12/);
    expect(() => monthPeriod('1999-01')).toThrow(/year must be between/);
    const { h } = smallDay();
    await expect(sourceFor(h.events, at(120)).report(dayPeriod('2026-11-24'))).rejects.toThrow(
      /has not begun yet \(today is 2026-11-23/,
    );
  });
});
