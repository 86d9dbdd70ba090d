/**
 * Per counter, the visit finished there last today: what a rating press rates (decide's
 * rateVisit). Without it every press walked every ticket of the day, and a hall with a rating
 * keypad at each counter sends many. Kept like open-tickets.ts: in a WeakMap keyed by the state,
 * never in the state (snapshots and the journal are unchanged), built by one walk when first asked
 * for and kept current by evolve() after each event.
 *
 * "Last" is the latest `finishedAt`; between visits finished at the same instant, the one issued
 * first (lowest issueSeq), which is the ticket a walk of `state.tickets` in its order finds first.
 */
import { type QueueEvent, ticketIdOf } from './events.ts';
import type { QueueState, Ticket } from './types.ts';

interface Index {
  byCounter: Map<string, Ticket>;
  /** The tickets held in byCounter, to notice when one of them stops being a finished visit. */
  held: Set<Ticket>;
}

const indexes = new WeakMap<QueueState, Index>();

/** A ticket that counts as a finished visit at a counter. */
function finishedVisit(t: Ticket): t is Ticket & { counterId: string; finishedAt: number } {
  return t.status === 'done' && t.counterId !== undefined && t.finishedAt !== undefined;
}

/** Whether `a` was finished after `b` (see the order above). */
export function finishedLater(a: Ticket, b: Ticket | undefined): boolean {
  if (!b) return true;
  const at = a.finishedAt as number;
  const bt = b.finishedAt as number;
  return at > bt || (at === bt && a.issueSeq < b.issueSeq);
}

function consider(index: Index, t: Ticket): void {
  if (!finishedVisit(t)) return;
  const best = index.byCounter.get(t.counterId);
  if (best === t || !finishedLater(t, best)) return;
  if (best) index.held.delete(best);
  index.byCounter.set(t.counterId, t);
  index.held.add(t);
}

function indexOf(state: QueueState): Index {
  let index = indexes.get(state);
  if (!index) {
    index = { byCounter: new Map(), held: new Set() };
    for (const t of Object.values(state.tickets)) consider(index, t);
    indexes.set(state, index);
  }
  return index;
}

/** The visit finished last at this counter today, if any. */
export function lastFinishedAt(state: QueueState, counterId: string): Ticket | undefined {
  return indexOf(state).byCounter.get(counterId);
}

/** After evolve() applied `event`: a visit it finished may become its counter's last. */
export function trackLastFinished(state: QueueState, event: QueueEvent): void {
  const index = indexes.get(state);
  if (!index) return;
  if (event.type === 'dayStarted') {
    indexes.delete(state); // tickets replaced wholesale: rebuilt when next asked for
    return;
  }
  const id = ticketIdOf(event);
  const t = id === undefined ? undefined : state.tickets[id];
  if (!t) return;
  if (index.held.has(t) && (!finishedVisit(t) || index.byCounter.get(t.counterId) !== t)) {
    // A counter's last visit changed after the fact (not done any more, or moved): walk again.
    indexes.delete(state);
    return;
  }
  consider(index, t);
}

/** For code that changed a state's tickets without evolve(). */
export function forgetLastFinished(state: QueueState): void {
  indexes.delete(state);
}
