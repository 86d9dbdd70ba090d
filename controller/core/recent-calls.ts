/**
 * The day's calls, latest first: what the hall shows as its recent calls (queueView). Without it
 * every queue view walked and sorted every ticket of the day, so the hall's live state cost more
 * as the day went on. Kept like open-tickets.ts: in a WeakMap keyed by the state, never in the
 * state, built by one walk when first asked for and kept current by evolve() after each event.
 *
 * A call counts while its ticket has a `calledAt` and a counter (a done visit keeps both; a ticket
 * returned to the queue or transferred loses them). The order is the walk's: latest `calledAt`
 * first, and between calls at the same instant, the ticket that comes first in `state.tickets`
 * (the order tickets were added to it), which a stable sort of that walk keeps.
 */
import { type QueueEvent, ticketIdOf } from './events.ts';
import type { QueueState, Ticket } from './types.ts';

interface Entry {
  t: Ticket;
  at: number;
  /** The ticket's place in `state.tickets`. */
  ord: number;
}

interface Index {
  /** Oldest call first (the reverse of the order shown), so a new call is added at the end. */
  entries: Entry[];
  byTicket: Map<Ticket, Entry>;
  ord: Map<string, number>;
  nextOrd: number;
}

const indexes = new WeakMap<QueueState, Index>();

const counts = (t: Ticket) => t.calledAt !== undefined && !!t.counterId;

/** Negative when `a` is shown after `b`. */
const older = (a: Entry, b: Entry) => a.at - b.at || b.ord - a.ord;

/** Where `e` is, or goes, in the entries (oldest first): a binary search. */
function position(list: readonly Entry[], e: Entry): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (older(list[mid] as Entry, e) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(index: Index, t: Ticket): void {
  const e: Entry = { t, at: t.calledAt as number, ord: index.ord.get(t.id) as number };
  index.entries.splice(position(index.entries, e), 0, e);
  index.byTicket.set(t, e);
}

function remove(index: Index, e: Entry): void {
  const list = index.entries;
  const at = position(list, e);
  if (list[at] === e) list.splice(at, 1);
  index.byTicket.delete(e.t);
}

function indexOf(state: QueueState): Index {
  let index = indexes.get(state);
  if (!index) {
    index = { entries: [], byTicket: new Map(), ord: new Map(), nextOrd: 0 };
    for (const t of Object.values(state.tickets)) {
      index.ord.set(t.id, index.nextOrd++);
      if (counts(t)) insert(index, t);
    }
    indexes.set(state, index);
  }
  return index;
}

/** The latest `limit` calls, latest first. */
export function recentCalls(state: QueueState, limit: number): Ticket[] {
  const list = indexOf(state).entries;
  const out: Ticket[] = [];
  for (let i = list.length - 1; i >= 0 && out.length < limit; i--) out.push((list[i] as Entry).t);
  return out;
}

/** After evolve() applied `event`: the ticket it touched joins, moves in or leaves the calls. */
export function trackRecentCalls(state: QueueState, event: QueueEvent): void {
  const index = indexes.get(state);
  if (!index) return;
  if (event.type === 'dayStarted') {
    indexes.delete(state); // tickets replaced wholesale: rebuilt when next asked for
    return;
  }
  const id = ticketIdOf(event);
  const t = id === undefined ? undefined : state.tickets[id];
  if (!t || id === undefined) return;
  if (!index.ord.has(id)) index.ord.set(id, index.nextOrd++);
  const e = index.byTicket.get(t);
  if (e && counts(t) && e.at === t.calledAt) return;
  if (e) remove(index, e);
  if (counts(t)) insert(index, t);
}

/** For code that changed a state's tickets without evolve(). */
export function forgetRecentCalls(state: QueueState): void {
  indexes.delete(state);
}
