/**
 * Who waits for each service, counted in one walk of the open tickets for all services, once per
 * state seq: the queue view asks for each service twice, and the place in line ranks only the
 * ticket's own service. Kept beside the state (a WeakMap) like open-tickets.ts.
 */
import { openTicketIndex } from './open-tickets.ts';
import type { QueueState, Ticket } from './types.ts';

export interface Waiting {
  count: number;
  /** The earliest arrival among them (Infinity when none waits). */
  oldestArrivedAt: number;
  /** The tickets, in no particular order. */
  tickets: Ticket[];
}

const NONE: Waiting = { count: 0, oldestArrivedAt: Number.POSITIVE_INFINITY, tickets: [] };
const perService = new WeakMap<QueueState, { seq: number; index: object; by: Map<string, Waiting> }>();

/** Who waits for this service. */
export function waitingOf(state: QueueState, serviceId: string): Waiting {
  const index = openTicketIndex(state);
  let cached = perService.get(state);
  if (!cached || cached.seq !== state.seq || cached.index !== index) {
    const by = new Map<string, Waiting>();
    for (const t of index.values()) {
      if (t.status !== 'waiting') continue;
      const w = by.get(t.serviceId);
      if (w) {
        w.count++;
        w.oldestArrivedAt = Math.min(w.oldestArrivedAt, t.arrivedAt);
        w.tickets.push(t);
      } else by.set(t.serviceId, { count: 1, oldestArrivedAt: t.arrivedAt, tickets: [t] });
    }
    cached = { seq: state.seq, index, by };
    perService.set(state, cached);
  }
  return cached.by.get(serviceId) ?? NONE;
}
