import { describe, expect, it } from 'vitest';
import { ClockGuard, type ClockJump } from '../../controller/queue/clock-guard.ts';

const MIN = 60_000;
const REAL = Date.UTC(2026, 10, 23, 1, 0, 0); // 08:00 in Hà Nội
const FUTURE = Date.UTC(2036, 0, 1, 1, 0, 0);

/** A wall clock the test sets (date -s) and a monotonic one that only moves forward. */
function clocks(start = REAL) {
  const c = { wall: start, mono: 1_000_000 };
  return {
    c,
    advance(ms: number) {
      c.wall += ms;
      c.mono += ms;
    },
    wall: () => c.wall,
    mono: () => c.mono,
  };
}

describe('ClockGuard (issue 10)', () => {
  it('follows the wall clock while it moves with the monotonic clock', () => {
    const t = clocks();
    const guard = new ClockGuard({ wall: t.wall, mono: t.mono, boundMs: 10 * MIN });
    t.advance(5 * MIN);
    expect(guard.now()).toBe(REAL + 5 * MIN);
    t.c.wall += 2 * MIN; // NTP nudges it a little: within the bound
    expect(guard.now()).toBe(REAL + 7 * MIN);
    expect(guard.jump).toBeNull();
  });

  it('holds the time on a forward jump, says so once, and lets go when the clock comes back', () => {
    const t = clocks();
    const seen: (ClockJump | null)[] = [];
    const guard = new ClockGuard({
      wall: t.wall,
      mono: t.mono,
      boundMs: 10 * MIN,
      onChange: (j) => seen.push(j),
    });
    t.advance(MIN);
    t.c.wall = FUTURE; // date -s 2036
    expect(guard.now()).toBe(REAL + MIN);
    t.advance(MIN);
    expect(guard.now()).toBe(REAL + 2 * MIN); // the time the engine gets goes on from where it was
    expect(guard.jump).toMatchObject({ byMs: FUTURE - REAL - MIN });
    expect(seen).toHaveLength(1);
    t.c.wall = REAL + 3 * MIN; // set back
    t.c.mono += MIN;
    expect(guard.now()).toBe(REAL + 3 * MIN);
    expect(guard.jump).toBeNull();
    expect(seen).toEqual([expect.objectContaining({ byMs: FUTURE - REAL - MIN }), null]);
  });

  it('holds the time on a backward jump too', () => {
    const t = clocks();
    const guard = new ClockGuard({ wall: t.wall, mono: t.mono, boundMs: 10 * MIN });
    t.c.wall -= 3 * 60 * MIN;
    t.c.mono += MIN;
    expect(guard.now()).toBe(REAL + MIN);
    expect(guard.jump?.byMs).toBe(-3 * 60 * MIN - MIN);
  });

  it('takes the new time once a manager confirms it', () => {
    const t = clocks();
    const guard = new ClockGuard({ wall: t.wall, mono: t.mono, boundMs: 10 * MIN });
    t.c.wall = FUTURE;
    guard.now();
    guard.accept();
    expect(guard.jump).toBeNull();
    t.advance(MIN);
    expect(guard.now()).toBe(FUTURE + MIN);
  });

  it('at start behind the journal, follows the clock as soon as NTP sets it at or after the last record', () => {
    const t = clocks(Date.UTC(2000, 0, 1)); // booted with a flat RTC battery
    const lastEvening = REAL - 14 * 60 * MIN; // the controller was stopped yesterday evening
    const guard = new ClockGuard({
      wall: t.wall,
      mono: t.mono,
      boundMs: 10 * MIN,
      lastRecordedAt: lastEvening,
    });
    expect(guard.now()).toBe(lastEvening);
    t.c.wall = REAL; // NTP: this morning, later than anything recorded
    t.c.mono += MIN;
    expect(guard.now()).toBe(REAL);
    expect(guard.jump).toBeNull();
    t.advance(MIN);
    expect(guard.now()).toBe(REAL + MIN);
  });

  it('at start, never goes back before the last recorded event', () => {
    const t = clocks(REAL - 24 * 60 * MIN); // booted a day behind (a flat RTC battery)
    const guard = new ClockGuard({ wall: t.wall, mono: t.mono, boundMs: 10 * MIN, lastRecordedAt: REAL });
    expect(guard.now()).toBe(REAL);
    expect(guard.jump?.byMs).toBe(-24 * 60 * MIN);
  });
});
