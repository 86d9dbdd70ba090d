/**
 * Applying an event to the state. Deterministic and total: it trusts the event (decide() checked
 * the rules) and mutates the state in place, which keeps replay of a busy day cheap.
 */
import { type QueueEvent, ratingSource } from './events.ts';
import { trackLastFinished } from './last-finished.ts';
import { trackOpenTickets } from './open-tickets.ts';
import { trackRecentCalls } from './recent-calls.ts';
import { recordVisit } from './service-time.ts';
import type { CounterState, QueueState, Ticket } from './types.ts';
import { recordWaitError } from './wait-estimate.ts';

export function initialState(day: string, counterIds: readonly string[]): QueueState {
  const counters: Record<string, CounterState> = {};
  for (const id of counterIds) counters[id] = { id, status: 'closed', pausedMs: {} };
  return {
    day,
    seq: 0,
    lastNumber: {},
    tickets: {},
    counters,
    requests: {},
    avgServiceMs: {},
    appointments: {},
    followUps: {},
  };
}

/** How many ended days keep their last numbers (see QueueState.pastDays). */
const PAST_DAYS_KEPT = 40;

function rememberDay(state: QueueState): void {
  if (state.seq === 0) return; // the first day of the journal ends nothing
  const past = { ...(state.pastDays ?? {}) };
  const numbers = { ...(past[state.day] ?? {}) };
  for (const [s, n] of Object.entries(state.lastNumber)) numbers[s] = Math.max(numbers[s] ?? 0, n);
  past[state.day] = numbers;
  const days = Object.keys(past).sort();
  for (const old of days.slice(0, Math.max(0, days.length - PAST_DAYS_KEPT))) delete past[old];
  state.pastDays = past;
}

export function evolve(state: QueueState, event: QueueEvent): void {
  apply(state, event);
  trackOpenTickets(state, event);
  trackLastFinished(state, event);
  trackRecentCalls(state, event);
  state.seq = event.seq;
  if (event.requestId !== undefined) state.requests[event.requestId] = event.requestTicketId ?? '';
}

function apply(state: QueueState, event: QueueEvent): void {
  const at = event.at;
  switch (event.type) {
    case 'dayStarted': {
      rememberDay(state);
      state.day = event.day;
      state.lastNumber = { ...event.lastNumber };
      state.requests = {};
      for (const id of event.expiredTicketIds) {
        const t = state.tickets[id];
        if (t) close(t, 'expired', 'dayEnded', at);
      }
      const tickets: Record<string, Ticket> = {};
      for (const id of event.carriedTicketIds) {
        const t = state.tickets[id];
        if (!t) continue;
        t.status = 'waiting';
        t.counterId = undefined;
        t.calledAt = undefined;
        t.serviceStartedAt = undefined;
        t.returnBy = undefined;
        t.queuedAt = at;
        tickets[id] = t;
      }
      state.tickets = tickets;
      for (const c of Object.values(state.counters)) {
        state.counters[c.id] = { id: c.id, status: 'closed', pausedMs: {} };
      }
      for (const [id, b] of Object.entries(state.appointments)) {
        if (b.status !== 'booked' || b.slotEnd < at) delete state.appointments[id];
      }
      for (const [id, f] of Object.entries(state.followUps))
        if (f.status === 'closed') delete state.followUps[id];
      return;
    }
    case 'ticketIssued': {
      const t = { ...event.ticket };
      if (event.by !== undefined) t.issuedBy = event.by;
      state.tickets[t.id] = t;
      state.lastNumber[t.serviceId] = Math.max(state.lastNumber[t.serviceId] ?? 0, t.number);
      const booking = t.appointment?.bookingId ? state.appointments[t.appointment.bookingId] : undefined;
      if (booking) {
        booking.status = 'checkedIn';
        booking.ticketId = t.id;
      }
      return;
    }
    case 'ticketCalled': {
      const t = ticket(state, event.ticketId);
      const counter = state.counters[event.counterId];
      t.status = 'called';
      t.counterId = event.counterId;
      t.staffId = event.staffId;
      t.calledAt = at;
      t.callSeq = event.seq;
      t.returnBy = undefined;
      if (t.firstCalledAt === undefined) {
        t.firstCalledAt = at;
        recordWaitError(state, t, at);
      }
      if (counter) counter.currentTicketId = t.id;
      return;
    }
    case 'ticketRecalled': {
      const t = ticket(state, event.ticketId);
      t.recallCount++;
      t.calledAt = at;
      t.callSeq = event.seq;
      return;
    }
    case 'ticketSkipped': {
      const t = ticket(state, event.ticketId);
      t.skipCount++;
      releaseCounter(state, event.counterId, t.id, at);
      if (event.returnBy === null) close(t, 'noShow', 'skipped', at);
      else {
        t.status = 'skipped';
        t.returnBy = event.returnBy;
      }
      return;
    }
    case 'ticketReturned': {
      const t = ticket(state, event.ticketId);
      t.status = 'waiting';
      t.returnBy = undefined;
      t.queuedAt = at;
      t.counterId = undefined;
      t.calledAt = undefined;
      return;
    }
    case 'ticketNoShow': {
      close(ticket(state, event.ticketId), 'noShow', 'didNotReturn', at);
      return;
    }
    case 'serviceStarted': {
      const t = ticket(state, event.ticketId);
      t.status = 'serving';
      t.serviceStartedAt = at;
      return;
    }
    case 'serviceFinished': {
      const t = ticket(state, event.ticketId);
      const started = t.serviceStartedAt ?? t.calledAt ?? at;
      t.status = 'done';
      t.finishedAt = at;
      t.staffId = event.staffId;
      if (event.dossierCode) t.dossierCode = event.dossierCode;
      releaseCounter(state, event.counterId, t.id, at);
      recordVisit(state, t.serviceId, event.staffId, Math.max(0, at - started), event.expectedServiceMs);
      return;
    }
    case 'ticketTransferred': {
      const t = ticket(state, event.ticketId);
      releaseCounter(state, event.fromCounterId, t.id, at);
      t.status = 'waiting';
      t.serviceId = event.serviceId;
      t.target = event.target;
      t.queuedAt = at;
      t.counterId = undefined;
      t.calledAt = undefined;
      t.serviceStartedAt = undefined;
      t.transferCount++;
      return;
    }
    case 'ticketReprinted':
      return;
    case 'ticketCancelled': {
      const t = ticket(state, event.ticketId);
      if (t.counterId) releaseCounter(state, t.counterId, t.id, at);
      close(t, 'cancelled', event.reason ?? 'cancelled', at);
      return;
    }
    case 'counterOpened': {
      const c = counter(state, event.counterId);
      c.status = 'open';
      c.openedAt = at;
      c.availableSince = at;
      return;
    }
    case 'counterClosed': {
      const c = counter(state, event.counterId);
      endPause(c, at);
      c.status = 'closed';
      c.openedAt = undefined;
      return;
    }
    case 'counterPaused': {
      const c = counter(state, event.counterId);
      c.status = 'paused';
      c.pauseReason = event.reason;
      c.pausedAt = at;
      return;
    }
    case 'counterResumed': {
      const c = counter(state, event.counterId);
      endPause(c, at);
      c.status = 'open';
      c.availableSince = at;
      return;
    }
    case 'staffLoggedIn': {
      for (const other of Object.values(state.counters)) {
        if (other.staffId === event.staffId) other.staffId = undefined;
      }
      const c = counter(state, event.counterId);
      c.staffId = event.staffId;
      c.availableSince = at;
      return;
    }
    case 'staffLoggedOut': {
      counter(state, event.counterId).staffId = undefined;
      return;
    }
    case 'appointmentBooked':
      state.appointments[event.booking.bookingId] = { ...event.booking };
      return;
    case 'appointmentCancelled': {
      const b = state.appointments[event.bookingId];
      if (b) b.status = 'cancelled';
      return;
    }
    case 'visitRated': {
      const t = ticket(state, event.ticketId);
      t.rating = { level: event.level, at, notSatisfied: event.notSatisfied, source: ratingSource(event) };
      if (event.followUpId) {
        state.followUps[event.followUpId] = {
          id: event.followUpId,
          ticketId: t.id,
          ticketLabel: t.label,
          counterId: event.counterId,
          staffId: event.staffId,
          level: event.level,
          openedAt: at,
          status: 'open',
        };
      }
      return;
    }
    case 'visitLinked': {
      const t = ticket(state, event.ticketId);
      if (event.citizenKey) t.citizenKey = event.citizenKey;
      if (event.dossierCode) t.dossierCode = event.dossierCode;
      return;
    }
    case 'followUpClosed': {
      const f = state.followUps[event.followUpId];
      if (f) {
        f.status = 'closed';
        f.closedAt = at;
        if (event.note) f.note = event.note;
      }
      return;
    }
    default: {
      const never: never = event;
      throw new Error(`unknown event ${(never as QueueEvent).type}`);
    }
  }
}

function ticket(state: QueueState, id: string): Ticket {
  const t = state.tickets[id];
  if (!t) throw new Error(`event names unknown ticket ${id}`);
  return t;
}

function counter(state: QueueState, id: string): CounterState {
  let c = state.counters[id];
  if (!c) {
    // A counter added to the configuration after this journal was started.
    c = { id, status: 'closed', pausedMs: {} };
    state.counters[id] = c;
  }
  return c;
}

function releaseCounter(state: QueueState, counterId: string, ticketId: string, at: number): void {
  const c = state.counters[counterId];
  if (c?.currentTicketId !== ticketId) return;
  c.currentTicketId = undefined;
  c.availableSince = at;
}

function close(t: Ticket, status: Ticket['status'], reason: string, at: number): void {
  t.status = status;
  t.closedReason = reason;
  t.finishedAt = at;
  t.returnBy = undefined;
}

function endPause(c: CounterState, at: number): void {
  if (c.status === 'paused' && c.pausedAt !== undefined && c.pauseReason) {
    c.pausedMs[c.pauseReason] = (c.pausedMs[c.pauseReason] ?? 0) + (at - c.pausedAt);
  }
  c.pauseReason = undefined;
  c.pausedAt = undefined;
}
