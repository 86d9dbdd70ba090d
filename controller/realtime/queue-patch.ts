/**
 * The live queue as deltas: after a change the controller sends what changed since the last state
 * it sent (`queue:patch`), not the whole queue; with 2,600 citizens waiting the whole queue is
 * hundreds of kilobytes to every screen several times a second, a change a few hundred bytes.
 *
 * Every patch carries its revision and the one it applies to (`base`). A screen that holds another
 * revision (it missed one, or has none yet) asks for the whole state again (`queue:resync`); it
 * gets the whole state on every (re)connection too. Applying every patch in order to the whole
 * state of a revision gives exactly the whole state of the last one.
 *
 * Pure and free of imports that run: the screens bundle it (`npm run layers` allows it).
 */
import type { queueView } from '../queue/views.ts';

export type QueueView = ReturnType<typeof queueView>;

/** The lists of the view whose entries have an `id`: sent entry by entry. */
const LISTS = ['services', 'counters', 'tickets'] as const;
type ListName = (typeof LISTS)[number];

interface ListPatch {
  /** Entries new or changed, in the order of the new list. */
  upsert?: { id: string }[];
  /** Ids of entries gone. */
  remove?: string[];
  /** The ids in their new order, only when it is not the old order without the gone, then the new. */
  order?: string[];
}

export interface QueuePatch {
  rev: number;
  base: number;
  /** Fields of the view replaced whole (the time and seq always; recent calls, the day… when changed). */
  set: Partial<Record<string, unknown>>;
  lists: Partial<Record<ListName, ListPatch>>;
}

/** The whole state as sent: the view with its revision. */
export type QueueState = QueueView & { rev: number };

/** Structural equality of JSON values (what the view is made of). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

function diffList(before: readonly { id: string }[], after: readonly { id: string }[]): ListPatch | null {
  const old = new Map(before.map((e) => [e.id, e]));
  const ids = new Set(after.map((e) => e.id));
  const upsert = after.filter((e) => {
    const was = old.get(e.id);
    return !was || !sameJson(was, e);
  });
  const remove = before.filter((e) => !ids.has(e.id)).map((e) => e.id);
  // The order a screen gets by keeping the old order and adding the new at the end.
  const kept = before.filter((e) => ids.has(e.id)).map((e) => e.id);
  const implied = [...kept, ...after.filter((e) => !old.has(e.id)).map((e) => e.id)];
  const inOrder = implied.every((id, i) => after[i]?.id === id);
  if (upsert.length === 0 && remove.length === 0 && inOrder) return null;
  const patch: ListPatch = {};
  if (upsert.length) patch.upsert = upsert;
  if (remove.length) patch.remove = remove;
  if (!inOrder) patch.order = after.map((e) => e.id);
  return patch;
}

/** What changed from `before` to `after`, as the patch from revision `rev - 1` to `rev`. */
export function diffQueue(before: QueueView, after: QueueView, rev: number): QueuePatch {
  const set: Record<string, unknown> = {};
  const lists: Partial<Record<ListName, ListPatch>> = {};
  const b = before as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(after)) {
    if ((LISTS as readonly string[]).includes(key)) {
      const patch = diffList((b[key] ?? []) as { id: string }[], value as { id: string }[]);
      if (patch) lists[key as ListName] = patch;
    } else if (!sameJson(b[key], value)) set[key] = value;
  }
  return { rev, base: rev - 1, set, lists };
}

function applyList<T extends { id: string }>(list: readonly T[], patch: ListPatch | undefined): T[] {
  if (!patch) return list as T[];
  const byId = new Map(list.map((e) => [e.id, e]));
  for (const id of patch.remove ?? []) byId.delete(id);
  for (const e of patch.upsert ?? []) byId.set(e.id, e as T); // a new id goes last, a known one stays
  if (!patch.order) return [...byId.values()];
  return patch.order.map((id) => byId.get(id)).filter((e): e is T => e !== undefined);
}

/** The view of the patch's revision, from the view of its base (a new object; `view` is not changed). */
export function applyQueuePatch(view: QueueView, patch: QueuePatch): QueueView {
  const next = { ...view, ...patch.set } as QueueView;
  for (const name of LISTS) {
    (next as Record<ListName, unknown>)[name] = applyList(view[name] as { id: string }[], patch.lists[name]);
  }
  return next;
}

/**
 * A screen's copy of the live queue: whole states replace it, patches of the next revision update
 * it, and any other patch means a revision was missed, so it asks for the whole state (once, until
 * one comes).
 */
export class QueueFollower {
  view: QueueView | null = null;
  rev: number | null = null;
  #asked = false;
  readonly #resync: () => void;

  constructor(resync: () => void) {
    this.#resync = resync;
  }

  /** A whole state (on connection, or answering a resync). */
  state(message: QueueState): QueueView {
    const { rev, ...view } = message;
    this.view = view as QueueView;
    this.rev = rev;
    this.#asked = false;
    return this.view;
  }

  /** A patch: the new view, or null when it could not be applied (a whole state has been asked for). */
  patch(patch: QueuePatch): QueueView | null {
    if (this.view === null || this.rev !== patch.base) {
      if (this.rev !== null && patch.rev <= this.rev) return null; // an old one, already covered
      if (!this.#asked) {
        this.#asked = true;
        this.#resync();
      }
      return null;
    }
    this.view = applyQueuePatch(this.view, patch);
    this.rev = patch.rev;
    return this.view;
  }

  /** The link dropped: the next connection brings a whole state. */
  reset(): void {
    this.#asked = false;
  }
}
