/**
 * Counter and staff time (CounterTimeLedger) where days and counters change under it: a staff
 * member moving to another counter, a counter left open without anyone, a pause left running when
 * the controller was switched off for the night. Expected times worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { CounterTimeLedger, emptyTime } from '../../controller/reports/counter-time.ts';
import { MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const HOUR = 3_600_000;
const config = smallCentre();
/** Seconds of `minutes`. */
const min = (minutes: number) => minutes * 60;

function time(t: {
  presentSeconds: number;
  servingSeconds?: number;
  idleSeconds?: number;
  paused?: Partial<Record<'break' | 'meeting' | 'technical' | 'other', number>>;
}) {
  return {
    ...emptyTime(),
    presentSeconds: t.presentSeconds,
    servingSeconds: t.servingSeconds ?? 0,
    idleSeconds: t.idleSeconds ?? 0,
    pausedSeconds: { ...emptyTime().pausedSeconds, ...t.paused },
  };
}

describe('counter and staff time', () => {
  it('follows a move between counters and cuts a pause left running overnight at midnight', () => {
    // 2026-11-23: 16:00 ha at c1; 16:30 ha moves to c2 (c1 stays open, nobody there); 17:00 c2
    // paused (technical) and the controller is switched off. 2026-11-24 07:00: minh signs in at c3.
    const h = new EngineHarness(config, MORNING + 8 * HOUR);
    h.staff('c1', 'ha');
    h.now += HOUR / 2;
    h.staff('c2', 'ha');
    h.now += HOUR / 2;
    h.run({ type: 'pauseCounter', counterId: 'c2', reason: 'technical' });
    h.now = MORNING + 23 * HOUR;
    h.staff('c3', 'minh');
    expect(h.events.filter((e) => e.type === 'dayStarted').map((e) => e.at)).toEqual([
      MORNING + 8 * HOUR,
      MORNING + 23 * HOUR,
    ]);

    const ledger = new CounterTimeLedger(config.centre.timezone);
    for (const e of h.events) ledger.apply(e);
    const days = ledger.days(MORNING + 23 * HOUR + 10 * 60_000);

    const first = days.get('2026-11-23');
    // ha: c1 16:00–16:30 idle, c2 16:30–17:00 idle, c2 paused 17:00–24:00 (7 h, not until 07:00).
    expect(first?.staff.ha).toEqual(
      time({ presentSeconds: min(480), idleSeconds: min(60), paused: { technical: min(420) } }),
    );
    // c1: open 16:00–24:00; idle only while ha was there (30 min).
    expect(first?.counters.c1).toEqual(time({ presentSeconds: min(480), idleSeconds: min(30) }));
    // c2: open 16:30–24:00: 30 min idle, 7 h paused.
    expect(first?.counters.c2).toEqual(
      time({ presentSeconds: min(450), idleSeconds: min(30), paused: { technical: min(420) } }),
    );
    expect(first?.staff.minh).toBeUndefined();

    // The next day starts with every counter closed: only minh at c3, 07:00–07:10.
    const second = days.get('2026-11-24');
    expect(second?.staff).toEqual({ minh: time({ presentSeconds: min(10), idleSeconds: min(10) }) });
    expect(Object.keys(second?.counters ?? {})).toEqual(['c3']);
  });

  it('counts the visit at a counter until it is finished, transferred, skipped or cancelled', () => {
    const h = new EngineHarness(config);
    h.staff('c1', 'ha');
    const a = h.issue('dat-dai');
    h.next('c1'); // 0: a called
    h.now += 5 * 60_000;
    h.run({ type: 'cancel', ticketId: a.id }); // 5: a cancelled while called
    h.issue('dat-dai');
    h.now += 5 * 60_000;
    h.next('c1'); // 10: called
    h.now += 5 * 60_000;
    h.run({ type: 'transfer', counterId: 'c1', to: { serviceId: 'ho-tich' } }); // 15: transferred away
    h.now += 5 * 60_000;
    h.run({ type: 'logout', counterId: 'c1' }); // 20
    const ledger = new CounterTimeLedger(config.centre.timezone);
    for (const e of h.events) ledger.apply(e);
    const day = ledger.days(h.now + HOUR).get('2026-11-23');
    // Serving 0–5 and 10–15; idle 5–10 and 15–20; after 20 the counter is open with nobody.
    expect(day?.staff.ha).toEqual(
      time({ presentSeconds: min(20), servingSeconds: min(10), idleSeconds: min(10) }),
    );
    expect(day?.counters.c1).toEqual(
      time({ presentSeconds: min(80), servingSeconds: min(10), idleSeconds: min(10) }),
    );
  });
});
