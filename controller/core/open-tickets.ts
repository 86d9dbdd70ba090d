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
 * What is kept beside an open-ticket index and told of every ticket that changed: built from the open
 * tickets when first asked for (`followerOf`), rebuilt with the index (a new day).
 */
export interface OpenTicketFollower {
  /** `open` is the ticket as it now is, or undefined once it is no longer open. */
  update(id: string, open: Ticket | undefined): void;
}

const followers = new WeakMap<Map<string, Ticket>, Map<unknown, OpenTicketFollower>>();

/** The state's follower under `key`, made by `make` and fed the open tickets when first asked for. */
export function followerOf<F extends OpenTicketFollower>(state: QueueState, key: unknown, make: () => F): F {
  const open = indexes.get(state) ?? (openTicketIndex(state) as Map<string, Ticket>);
  let byKey = followers.get(open);
  if (!byKey) {
    byKey = new Map();
    followers.set(open, byKey);
  }
  let follower = byKey.get(key) as F | undefined;
  if (!follower) {
    follower = make();
    for (const t of open.values()) follower.update(t.id, t);
    byKey.set(key, follower);
  }
  return follower;
}

/**
 * Open tickets grouped by a key (the service of those waiting, a label a service holds, a citizen),
 * with the key each is listed under, since the key of a ticket changes with it (a transfer changes
 * its service).
 */
class Listing implements OpenTicketFollower {
  readonly byKey = new Map<string, Map<string, Ticket>>();
  readonly #keyOf = new Map<string, string>();
  constructor(readonly keyFor: (t: Ticket) => string | undefined) {}

  update(id: string, t: Ticket | undefined): void {
    const was = this.#keyOf.get(id);
    if (was !== undefined) {
      this.byKey.get(was)?.delete(id);
      this.#keyOf.delete(id);
    }
    const key = t ? this.keyFor(t) : undefined;
    if (key === undefined || !t) return;
    let of = this.byKey.get(key);
    if (!of) {
      of = new Map();
      this.byKey.set(key, of);
    }
    of.set(id, t);
    this.#keyOf.set(id, key);
  }
}

const LISTINGS = {
  waitingByService: (t: Ticket) => (t.status === 'waiting' ? t.serviceId : undefined),
  labelsByService: (t: Ticket) => labelKey(t.serviceId, t.label),
  byCitizen: (t: Ticket) => t.citizenKey,
  skipped: (t: Ticket) => (t.status === 'skipped' ? 'skipped' : undefined),
} satisfies Record<string, (t: Ticket) => string | undefined>;
type ListingName = keyof typeof LISTINGS;

function labelKey(serviceId: string, label: string): string {
  return `${serviceId}\n${label}`;
}

function listingOf(state: QueueState, name: ListingName): Listing {
  return followerOf(state, name, () => new Listing(LISTINGS[name]));
}

/**
 * The waiting tickets of each service (id → ticket), kept current by evolve() like the open
 * tickets: the place in line and the queue view read one service's without walking the others.
 */
export function waitingByService(state: QueueState): ReadonlyMap<string, ReadonlyMap<string, Ticket>> {
  return listingOf(state, 'waitingByService').byKey;
}

/** The waiting tickets of these services (those a counter may call), one service after another. */
export function* waitingFor(state: QueueState, services: readonly string[]): Iterable<Ticket> {
  const byService = waitingByService(state);
  for (const s of new Set(services)) yield* byService.get(s)?.values() ?? [];
}

/** Whether an open ticket of the service holds this label (numbering skips it when labels wrap). */
export function labelHeld(state: QueueState, serviceId: string, label: string): boolean {
  return (listingOf(state, 'labelsByService').byKey.get(labelKey(serviceId, label))?.size ?? 0) > 0;
}

/** An open ticket of this citizen (by citizenKey), if any: one open ticket per citizen. */
export function openTicketOf(state: QueueState, citizenKey: string): Ticket | undefined {
  const of = listingOf(state, 'byCitizen').byKey.get(citizenKey);
  return of ? of.values().next().value : undefined;
}

/** The skipped tickets (waiting to be recalled or to become no-shows). */
export function skippedTickets(state: QueueState): Iterable<Ticket> {
  return listingOf(state, 'skipped').byKey.get('skipped')?.values() ?? [];
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
  const open = t && ACTIVE_STATUSES.includes(t.status) ? t : undefined;
  if (open) index.set(id, open);
  else index.delete(id);
  for (const follower of followers.get(index)?.values() ?? []) follower.update(id, open);
}

/** For code that changed a state's tickets without evolve(). */
export function forgetOpenTickets(state: QueueState): void {
  indexes.delete(state);
}
