/**
 * Where the counters' and the staff's time went, day by day: a pure fold over journal events, like
 * the visit ledger (no I/O, time passed in).
 *
 * A counter is at any instant in one state: closed; open with a visit (a citizen called or being
 * served); open with nobody called ("idle", only when a staff member is signed in there); or
 * paused, for a reason. A staff member's time is the time they are signed in at a counter, split
 * the same way. Every interval is cut at the end of its local day (a counter left open overnight
 * while the controller was off is not counted past midnight), and the day's `dayStarted` closes
 * every counter, as the engine does.
 */
import type { PauseReason } from '../centre/schema.ts';
import { PAUSE_REASONS } from '../centre/schema.ts';
import type { QueueEvent } from '../core/events.ts';
import { nextDayStart } from '../core/service-day.ts';

/** Seconds per state. */
export interface TimeFigures {
  /** Staff: signed in at a counter. Counter: open or paused. */
  presentSeconds: number;
  /** A citizen called or being served. */
  servingSeconds: number;
  /** Open, a staff member signed in, nobody called or being served. */
  idleSeconds: number;
  pausedSeconds: Record<PauseReason, number>;
}

export interface DayTimes {
  staff: Record<string, TimeFigures>;
  counters: Record<string, TimeFigures>;
}

interface CounterNow {
  status: 'open' | 'paused' | 'closed';
  reason: PauseReason | null;
  staffId: string | null;
  ticketId: string | null;
  since: number;
}

export function emptyTime(): TimeFigures {
  return {
    presentSeconds: 0,
    servingSeconds: 0,
    idleSeconds: 0,
    pausedSeconds: Object.fromEntries(PAUSE_REASONS.map((r) => [r, 0])) as Record<PauseReason, number>,
  };
}

export function addTime(into: TimeFigures, t: TimeFigures): TimeFigures {
  into.presentSeconds += t.presentSeconds;
  into.servingSeconds += t.servingSeconds;
  into.idleSeconds += t.idleSeconds;
  for (const r of PAUSE_REASONS) into.pausedSeconds[r] += t.pausedSeconds[r];
  return into;
}

export function pausedTotal(t: TimeFigures): number {
  return PAUSE_REASONS.reduce((n, r) => n + t.pausedSeconds[r], 0);
}

export class CounterTimeLedger {
  readonly #timeZone: string;
  #day = '';
  #dayEnd = 0;
  #counters = new Map<string, CounterNow>();
  readonly #days = new Map<string, DayTimes>();

  constructor(timeZone: string) {
    this.#timeZone = timeZone;
  }

  /** Folds one journal event in (events in seq order). */
  apply(event: QueueEvent): void {
    const at = event.at;
    switch (event.type) {
      case 'dayStarted':
        for (const [id, c] of this.#counters) this.#accrue(id, c, at, this.#days);
        this.#counters.clear();
        this.#day = event.day;
        this.#dayEnd = nextDayStart(at, this.#timeZone);
        return;
      case 'counterOpened':
        this.#change(event.counterId, at, (c) => {
          c.status = 'open';
        });
        return;
      case 'counterClosed':
        this.#change(event.counterId, at, (c) => {
          c.status = 'closed';
          c.reason = null;
        });
        return;
      case 'counterPaused':
        this.#change(event.counterId, at, (c) => {
          c.status = 'paused';
          c.reason = event.reason;
        });
        return;
      case 'counterResumed':
        this.#change(event.counterId, at, (c) => {
          c.status = 'open';
          c.reason = null;
        });
        return;
      case 'staffLoggedIn':
        for (const [id, c] of this.#counters)
          if (c.staffId === event.staffId && id !== event.counterId)
            this.#change(id, at, (o) => {
              o.staffId = null;
            });
        this.#change(event.counterId, at, (c) => {
          c.staffId = event.staffId;
        });
        return;
      case 'staffLoggedOut':
        this.#change(event.counterId, at, (c) => {
          c.staffId = null;
        });
        return;
      case 'ticketCalled':
        this.#change(event.counterId, at, (c) => {
          c.ticketId = event.ticketId;
        });
        return;
      case 'serviceFinished':
      case 'ticketSkipped':
        this.#release(event.counterId, event.ticketId, at);
        return;
      case 'ticketTransferred':
        this.#release(event.fromCounterId, event.ticketId, at);
        return;
      case 'ticketCancelled':
        for (const [id, c] of this.#counters)
          if (c.ticketId === event.ticketId) this.#release(id, event.ticketId, at);
        return;
      default:
        return;
    }
  }

  /**
   * The time of each day folded so far; the current states counted up to `now` (and no further
   * than their day's end). Does not change the ledger.
   */
  days(now: number): Map<string, DayTimes> {
    const out = new Map<string, DayTimes>();
    for (const [day, t] of this.#days) out.set(day, structuredClone(t));
    for (const [id, c] of this.#counters) this.#accrue(id, c, now, out);
    return out;
  }

  #change(counterId: string, at: number, mutate: (c: CounterNow) => void): void {
    let c = this.#counters.get(counterId);
    if (!c) {
      c = { status: 'closed', reason: null, staffId: null, ticketId: null, since: at };
      this.#counters.set(counterId, c);
    }
    this.#accrue(counterId, c, at, this.#days);
    c.since = Math.max(c.since, at);
    mutate(c);
  }

  #release(counterId: string, ticketId: string, at: number): void {
    if (this.#counters.get(counterId)?.ticketId !== ticketId) return;
    this.#change(counterId, at, (c) => {
      c.ticketId = null;
    });
  }

  /** Counts [since, min(until, day end)) of the counter's present state into `into`. */
  #accrue(counterId: string, c: CounterNow, until: number, into: Map<string, DayTimes>): void {
    if (!this.#day) return;
    const seconds = (Math.min(until, this.#dayEnd) - c.since) / 1000;
    if (seconds <= 0 || c.status === 'closed') return;
    let day = into.get(this.#day);
    if (!day) {
      day = { staff: {}, counters: {} };
      into.set(this.#day, day);
    }
    const counter = day.counters[counterId] ?? emptyTime();
    day.counters[counterId] = counter;
    let staff: TimeFigures | null = null;
    if (c.staffId) {
      staff = day.staff[c.staffId] ?? emptyTime();
      day.staff[c.staffId] = staff;
    }
    counter.presentSeconds += seconds;
    if (staff) staff.presentSeconds += seconds;
    if (c.status === 'paused') {
      const reason = c.reason ?? 'other';
      counter.pausedSeconds[reason] += seconds;
      if (staff) staff.pausedSeconds[reason] += seconds;
    } else if (c.ticketId) {
      counter.servingSeconds += seconds;
      if (staff) staff.servingSeconds += seconds;
    } else if (staff) {
      counter.idleSeconds += seconds;
      staff.idleSeconds += seconds;
    }
  }
}
