/**
 * Who waits for each service: from the waiting tickets per service that evolve() keeps beside the
 * state (open-tickets.ts), so an issue does not walk every open ticket; each service's answer is
 * made once per state seq (the queue view asks for each service twice: its count and its longest
 * wait). The tickets themselves are `waitingByService`.
 */
import { openTicketIndex, waitingByService } from './open-tickets.ts';
import type { QueueState } from './types.ts';

export interface Waiting {
  count: number;
  /** The earliest arrival among them (Infinity when none waits). */
  oldestArrivedAt: number;
}

const NONE: Waiting = { count: 0, oldestArrivedAt: Number.POSITIVE_INFINITY };
/** Each service's answer, made once per state seq (and open-ticket index) when first asked. */
const perService = new WeakMap<QueueState, { seq: number; index: object; by: Map<string, Waiting> }>();

/** Who waits for this service. */
export function waitingOf(state: QueueState, serviceId: string): Waiting {
  const index = openTicketIndex(state);
  let cached = perService.get(state);
  if (!cached || cached.seq !== state.seq || cached.index !== index) {
    cached = { seq: state.seq, index, by: new Map() };
    perService.set(state, cached);
  }
  let answer = cached.by.get(serviceId);
  if (!answer) {
    const listed = waitingByService(state).get(serviceId);
    if (!listed || listed.size === 0) answer = NONE;
    else {
      let oldestArrivedAt = Number.POSITIVE_INFINITY;
      for (const t of listed.values()) oldestArrivedAt = Math.min(oldestArrivedAt, t.arrivedAt);
      answer = { count: listed.size, oldestArrivedAt };
    }
    cached.by.set(serviceId, answer);
  }
  return answer;
}
