/**
 * The open tickets (waiting, called, serving, skipped) of a state, kept beside it so that the rules
 * that look only at open tickets (who to call, place in line, numbering, estimates) do not walk
 * every ticket of the day on every command: a provincial day has thousands closed and tens open.
 * The index lives in a WeakMap keyed by the state object, never in the state (snapshots and the
 * journal are unchanged). It is built by one walk the first time it is asked for, and evolve()
 * keeps it current after each event; a state changed by other means gets a fresh one from
 * `forgetOpenTickets`.
 */
import { type QueueEvent, ticketIdOf } from './events.ts';
import { ACTIVE_STATUSES, type QueueState, type Ticket } from './types.ts';

const indexes = new WeakMap<QueueState, Map<string, Ticket>>();

/**
 * The waiting tickets per service, beside each open-ticket index (keyed by it, so it is rebuilt
 * with it), and the service each is listed under (a transfer changes a ticket's service).
 */
interface WaitingIndex {
  byService: Map<string, Map<string, Ticket>>;
  serviceOf: Map<string, string>;
}
const waitingIndexes = new WeakMap<Map<string, Ticket>, WaitingIndex>();

export function openTickets(state: QueueState): Iterable<Ticket> {
  return openTicketIndex(state).values();
}

/**
 * The index itself. Its identity changes when it is rebuilt (a new day, or `forgetOpenTickets`), so
 * what is cached from it (the wait forecast) can tell a state changed without evolve().
 */
export function openTicketIndex(state: QueueState): ReadonlyMap<string, Ticket> {
  let index = indexes.get(state);
  if (!index) {
    index = new Map();
    for (const t of Object.values(state.tickets)) if (ACTIVE_STATUSES.includes(t.status)) index.set(t.id, t);
    indexes.set(state, index);
  }
  return index;
}

/**
 * The waiting tickets of each service (id → ticket), kept current by evolve() like the open
 * tickets: the place in line and the queue view read one service's without walking the others.
 */
export function waitingByService(state: QueueState): ReadonlyMap<string, ReadonlyMap<string, Ticket>> {
  const open = indexes.get(state) ?? (openTicketIndex(state) as Map<string, Ticket>);
  let waiting = waitingIndexes.get(open);
  if (!waiting) {
    waiting = { byService: new Map(), serviceOf: new Map() };
    for (const t of open.values()) if (t.status === 'waiting') listWaiting(waiting, t);
    waitingIndexes.set(open, waiting);
  }
  return waiting.byService;
}

function listWaiting(waiting: WaitingIndex, t: Ticket): void {
  let of = waiting.byService.get(t.serviceId);
  if (!of) {
    of = new Map();
    waiting.byService.set(t.serviceId, of);
  }
  of.set(t.id, t);
  waiting.serviceOf.set(t.id, t.serviceId);
}

function unlistWaiting(waiting: WaitingIndex, id: string): void {
  const serviceId = waiting.serviceOf.get(id);
  if (serviceId === undefined) return;
  waiting.byService.get(serviceId)?.delete(id);
  waiting.serviceOf.delete(id);
}

/** After evolve() applied `event`: the tickets it touched join or leave the index. */
export function trackOpenTickets(state: QueueState, event: QueueEvent): void {
  const index = indexes.get(state);
  if (!index) return;
  if (event.type === 'dayStarted') {
    indexes.delete(state); // tickets replaced wholesale: rebuilt when next asked for
    return;
  }
  const id = ticketIdOf(event);
  if (id === undefined) return;
  const t = state.tickets[id];
  if (t && ACTIVE_STATUSES.includes(t.status)) index.set(id, t);
  else index.delete(id);
  const waiting = waitingIndexes.get(index);
  if (waiting) {
    unlistWaiting(waiting, id);
    if (t && t.status === 'waiting') listWaiting(waiting, t);
  }
}

/** For code that changed a state's tickets without evolve(). */
export function forgetOpenTickets(state: QueueState): void {
  indexes.delete(state);
}
