/**
 * How long a visit waited, measured the same way by every figure on the dashboard: from arrival
 * (or from the start of today for a ticket carried over from yesterday) to its first call today.
 */
import { nextDayStart } from '../core/service-day.ts';
import { ACTIVE_STATUSES, type Ticket } from '../core/types.ts';

export const MIN = 60_000;
const DAY = 24 * 3_600_000;

/** The first instant of the local day that contains `now`. */
export function dayStartOf(now: number, timeZone: string): number {
  return nextDayStart(now - DAY, timeZone);
}

export interface Wait {
  /** When the wait counts from. */
  from: number;
  /** The first call today, if any. */
  firstCallAt: number | null;
  /** When the wait ended: the first call, or the close of a visit never called; null while it goes on. */
  until: number | null;
  /** Up to `until`, or up to now while the wait goes on. */
  waitedMs: number;
}

export function waitOf(t: Ticket, dayStart: number, now: number): Wait {
  const from = Math.max(t.arrivedAt, dayStart);
  // A ticket carried over keeps yesterday's firstCalledAt; its latest call is then the best we know.
  const firstCallAt =
    t.firstCalledAt !== undefined && t.firstCalledAt >= dayStart
      ? t.firstCalledAt
      : t.calledAt !== undefined && t.calledAt >= dayStart
        ? t.calledAt
        : null;
  const until = firstCallAt ?? (ACTIVE_STATUSES.includes(t.status) ? null : (t.finishedAt ?? null));
  return { from, firstCallAt, until, waitedMs: Math.max(0, (until ?? now) - from) };
}

/**
 * The wait target figure: a visit called within the target is "met"; one called later, or still
 * not called once the target has passed (waiting, or closed without a call), is "missed". Visits
 * still inside the target are not counted yet.
 */
export interface TargetTally {
  met: number;
  missed: number;
  /** met ÷ (met + missed), or null while nothing is counted. */
  share: number | null;
}

export function tallyTarget(waits: readonly Wait[], targetMinutes: number): TargetTally {
  let met = 0;
  let missed = 0;
  const target = targetMinutes * MIN;
  for (const w of waits) {
    if (w.firstCallAt !== null) {
      if (w.waitedMs <= target) met++;
      else missed++;
    } else if (w.waitedMs > target) missed++;
  }
  return { met, missed, share: met + missed ? met / (met + missed) : null };
}

/** Mean wait of the visits called, in minutes to one decimal, or null when none was called. */
export function averageWaitMinutes(waits: readonly Wait[]): number | null {
  const called = waits.filter((w) => w.firstCallAt !== null);
  if (!called.length) return null;
  const total = called.reduce((sum, w) => sum + w.waitedMs, 0);
  return round1(total / called.length / MIN);
}

export function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
