/**
 * The open tickets (waiting, called, serving, skipped) of a state, kept beside it so that the rules
 * that look only at open tickets (who to call, place in line, numbering, estimates) do not walk
 * every ticket of the day on every command: a provincial day has thousands closed and tens open.
 * The index lives in a WeakMap keyed by the state object, never in the state (snapshots and the
 * journal are unchanged). It is built by one walk the first time it is asked for, and evolve()
 * keeps it current after each event; a state changed by other means gets a fresh one from
 * `forgetOpenTickets`.
 */
import type { QueueEvent } from './events.ts';
import { ACTIVE_STATUSES, type QueueState, type Ticket } from './types.ts';

const indexes = new WeakMap<QueueState, Map<string, Ticket>>();

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

/** After evolve() applied `event`: the tickets it touched join or leave the index. */
export function trackOpenTickets(state: QueueState, event: QueueEvent): void {
  const index = indexes.get(state);
  if (!index) return;
  if (event.type === 'dayStarted') {
    indexes.delete(state); // tickets replaced wholesale: rebuilt when next asked for
    return;
  }
  const id = 'ticket' in event ? event.ticket.id : 'ticketId' in event ? event.ticketId : undefined;
  if (id === undefined) return;
  const t = state.tickets[id];
  if (t && ACTIVE_STATUSES.includes(t.status)) index.set(id, t);
  else index.delete(id);
}

/** For code that changed a state's tickets without evolve(). */
export function forgetOpenTickets(state: QueueState): void {
  indexes.delete(state);
}
