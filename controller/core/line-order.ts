/**
 * The place in line of a waiting ticket (`placeInLine`) without ranking every ticket
 * of its service: kept beside the state like the open tickets (open-tickets.ts, updated by evolve).
 *
 * The rule's order (compareRanked, preference 0) depends on the time only through two thresholds:
 * a ticket is urgent once its wait start (`base`) is ≤ now − urgentAfter, and a booking in time is
 * held while now < its slot start − the early window. Everything else is fixed per ticket: its base,
 * its credit, its issue seq. So the walk-ins and late bookings of a service are kept in runs, one per
 * credit (a priority class's minutes), each sorted by (base, issueSeq); counting those before a
 * ticket is then two binary searches per run: the urgent ones (base ≤ now − urgentAfter) and the
 * others whose rank time (base − credit) comes first. Bookings in time (few: a day's appointments)
 * are ranked one by one with the rule itself, since their held flag needs their slot as well.
 */
import type { QueueRules } from '../centre/schema.ts';
import { compareRanked, rank } from './assignment.ts';
import { followerOf, type OpenTicketFollower } from './open-tickets.ts';
import type { QueueState, Ticket } from './types.ts';

const MIN = 60_000;

interface Entry {
  base: number;
  seq: number;
}

/** Where a ticket is listed: its service, and its credit's run (or `booking` for a booking in time). */
interface Listed extends Entry {
  serviceId: string;
  run: number | 'booking';
}

interface ServiceLine {
  /** Walk-ins and late bookings: credit (ms) → entries sorted by (base, seq). */
  runs: Map<number, Entry[]>;
  /** Bookings checked in on time. */
  bookings: Map<string, Ticket>;
}

/** How many entries come before (base, seq): binary search of a run sorted by (base, seq). */
function countBefore(run: readonly Entry[], base: number, seq: number): number {
  let lo = 0;
  let hi = run.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = run[mid] as Entry;
    if (e.base < base || (e.base === base && e.seq < seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class LineOrder implements OpenTicketFollower {
  readonly #lines = new Map<string, ServiceLine>();
  readonly #listed = new Map<string, Listed>();
  constructor(readonly rules: QueueRules) {}

  update(id: string, t: Ticket | undefined): void {
    const was = this.#listed.get(id);
    if (was) {
      const line = this.#lines.get(was.serviceId) as ServiceLine;
      if (was.run === 'booking') line.bookings.delete(id);
      else {
        const run = line.runs.get(was.run) as Entry[];
        run.splice(countBefore(run, was.base, was.seq), 1);
      }
      this.#listed.delete(id);
    }
    if (t?.status !== 'waiting') return;
    let line = this.#lines.get(t.serviceId);
    if (!line) {
      line = { runs: new Map(), bookings: new Map() };
      this.#lines.set(t.serviceId, line);
    }
    const r = rank(t, 0, this.rules, 0);
    const entry = { base: r.waitingSince, seq: t.issueSeq };
    if (bookingInTime(t, this.rules)) {
      line.bookings.set(id, t);
      this.#listed.set(id, { ...entry, serviceId: t.serviceId, run: 'booking' });
      return;
    }
    const credit = r.creditMinutes * MIN;
    let run = line.runs.get(credit);
    if (!run) {
      run = [];
      line.runs.set(credit, run);
    }
    run.splice(countBefore(run, entry.base, entry.seq), 0, entry);
    this.#listed.set(id, { ...entry, serviceId: t.serviceId, run: credit });
  }

  /** How many waiting tickets of its service the rule puts before `ticket` at `now`. */
  placeOf(ticket: Ticket, now: number): number {
    const line = this.#lines.get(ticket.serviceId);
    if (!line) return 0;
    const mine = rank(ticket, 0, this.rules, now);
    let ahead = 0;
    for (const other of line.bookings.values()) {
      if (other !== ticket && compareRanked(rank(other, 0, this.rules, now), mine) < 0) ahead++;
    }
    const urgentUpTo = now - this.rules.urgentAfterMinutes * MIN;
    for (const [credit, run] of line.runs) {
      if (mine.held)
        ahead += run.length; // none of them is held: all go first
      else if (mine.urgent) ahead += countBefore(run, mine.waitingSince, ticket.issueSeq);
      else {
        // Every urgent one, then those not urgent whose rank time (base − credit) is before mine.
        const urgent = countBefore(run, urgentUpTo, Number.POSITIVE_INFINITY);
        const earlier = countBefore(run, mine.rankAt + credit, ticket.issueSeq);
        ahead += Math.max(urgent, earlier);
      }
    }
    return ahead;
  }
}

/** A booking checked in on time: ranked from its slot, with the appointment credit, possibly held. */
function bookingInTime(t: Ticket, rules: QueueRules): boolean {
  const booking = t.appointment;
  return booking !== undefined && t.arrivedAt <= booking.slotEnd + rules.appointments.lateGraceMinutes * MIN;
}

/**
 * How many waiting tickets of the same service would be called before this one at a counter whose
 * staff put the service first: the place in line a citizen is told. Other services' tickets and
 * other counters' preferences make the real order vary; this is the honest single number.
 */
export function placeInLine(state: QueueState, rules: QueueRules, ticket: Ticket, now: number): number {
  return followerOf(state, rules, () => new LineOrder(rules)).placeOf(ticket, now);
}
