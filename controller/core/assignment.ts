/**
 * Which waiting ticket a counter gets when its staff member asks for the next citizen.
 * The rule is written out in docs/assignment.md; each numbered step there has a test.
 *
 * 1. Eligible: waiting tickets of a service the staff member covers and the counter is equipped
 *    for; a ticket transferred to a named counter or person only goes there.
 * 2. Urgent first: a ticket that has waited `urgentAfterMinutes` (since arrival, kept across
 *    transfers; for a booking checked in on time, since the later of arrival and slot start) is
 *    taken before any other, longest wait first.
 * 3. Otherwise the lowest rank time wins:
 *      rank = base − credit + preferenceIndex × preferencePenalty
 *    base is the arrival time (for a booking checked in on time, the later of arrival and slot
 *    start); credit is the larger of the priority class credit and, for a booking in time, the
 *    appointment credit. Credits are bounded, so a ticket is overtaken only by tickets that
 *    arrived at most max-credit (+ preference penalty) minutes after it, and never once urgent.
 * 4. A booking checked in before its slot's early window is held back, unless nobody else is eligible.
 * 5. Ties go to the ticket issued first.
 */
import type { Counter, QueueRules, Staff } from '../centre/schema.ts';
import { waitingFor } from './open-tickets.ts';
import type { QueueState, Ticket } from './types.ts';

const MIN = 60_000;

export interface AssignmentInput {
  state: QueueState;
  rules: QueueRules;
  counter: Counter;
  staff: Staff;
  now: number;
}

export interface Ranked {
  ticket: Ticket;
  /** When its wait is counted from: arrival, or for a booking in time the later of arrival and slot start. */
  waitingSince: number;
  urgent: boolean;
  held: boolean;
  /** ms since epoch; lower goes first. */
  rankAt: number;
  /** The credit it was given (priority class or booking), in minutes. */
  creditMinutes: number;
}

/** The services this person may serve at this counter, in their order of preference. */
export function servicesAt(counter: Counter, staff: Staff): string[] {
  if (counter.services.length === 0) return [...staff.services];
  return staff.services.filter((s) => counter.services.includes(s));
}

export function isEligible(
  ticket: Ticket,
  counter: Counter,
  staff: Staff,
  services: readonly string[],
): boolean {
  if (ticket.status !== 'waiting' || !services.includes(ticket.serviceId)) return false;
  if (ticket.target?.counterId && ticket.target.counterId !== counter.id) return false;
  if (ticket.target?.staffId && ticket.target.staffId !== staff.id) return false;
  return true;
}

export function rank(ticket: Ticket, preferenceIndex: number, rules: QueueRules, now: number): Ranked {
  const priority = rules.priorityClasses.find((p) => p.id === ticket.priorityClassId);
  let base = ticket.arrivedAt;
  let credit = priority?.creditMinutes ?? 0;
  let held = false;
  const booking = ticket.appointment;
  if (booking && ticket.arrivedAt <= booking.slotEnd + rules.appointments.lateGraceMinutes * MIN) {
    // Coming early earns nothing: the wait of a booking in time counts from its slot.
    base = Math.max(ticket.arrivedAt, booking.slotStart);
    credit = Math.max(credit, rules.appointments.creditMinutes);
    held = now < booking.slotStart - rules.appointments.earlyWindowMinutes * MIN;
  }
  const urgent = now - base >= rules.urgentAfterMinutes * MIN;
  // A ticket sent to a named counter or person is that counter's first concern.
  const penalty = ticket.target ? 0 : preferenceIndex * rules.preferencePenaltyMinutes;
  return {
    ticket,
    waitingSince: base,
    urgent,
    held,
    rankAt: base - credit * MIN + penalty * MIN,
    creditMinutes: credit,
  };
}

/** Negative when `a` is called before `b`. */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.held !== b.held) return a.held ? 1 : -1;
  if (a.urgent !== b.urgent) return a.urgent ? -1 : 1;
  const byTime = a.urgent ? a.waitingSince - b.waitingSince : a.rankAt - b.rankAt;
  if (byTime !== 0) return byTime;
  return a.ticket.issueSeq - b.ticket.issueSeq;
}

/** Eligible tickets for this counter in the order they would be called. */
export function rankedQueue(input: AssignmentInput): Ranked[] {
  const { state, rules, counter, staff, now } = input;
  const services = servicesAt(counter, staff);
  const ranked: Ranked[] = [];
  for (const t of waitingFor(state, services)) {
    if (isEligible(t, counter, staff, services))
      ranked.push(rank(t, services.indexOf(t.serviceId), rules, now));
  }
  return ranked.sort(compareRanked);
}

/** The ticket to call next, or undefined when nobody eligible waits. */
export function pickNext(input: AssignmentInput): Ticket | undefined {
  let best: Ranked | undefined;
  const { state, rules, counter, staff, now } = input;
  const services = servicesAt(counter, staff);
  for (const t of waitingFor(state, services)) {
    if (!isEligible(t, counter, staff, services)) continue;
    const r = rank(t, services.indexOf(t.serviceId), rules, now);
    if (!best || compareRanked(r, best) < 0) best = r;
  }
  return best?.ticket;
}
