/**
 * The hall page's queue of announcements, as pure state transitions (time passed in): one is said
 * at a time, in the order the calls came, and none is ever cut off or merged with another — a
 * recall of a number still waiting to be said is said again. Announcements that waited too long
 * (the TV's sound was off for minutes) are dropped rather than read out late.
 */
import type { AnnouncementScript } from './phrases.ts';

export interface Announcement extends AnnouncementScript {
  id: string;
  queuedAt: number;
}

export interface AnnouncerState {
  pending: readonly Announcement[];
  current: Announcement | null;
  /** Announcements said to the end. */
  completed: number;
  /** Announcements dropped because they were too old to be said. */
  dropped: number;
}

/** A call older than this when its turn comes is no longer read out. */
export const MAX_ANNOUNCEMENT_AGE_MS = 120_000;

export const idleAnnouncer: AnnouncerState = { pending: [], current: null, completed: 0, dropped: 0 };

export function enqueue(state: AnnouncerState, announcement: Announcement): AnnouncerState {
  return { ...state, pending: [...state.pending, announcement] };
}

/** Starts the next announcement if none is being said; stale ones are dropped on the way. */
export function startNext(
  state: AnnouncerState,
  now: number,
  maxAgeMs = MAX_ANNOUNCEMENT_AGE_MS,
): AnnouncerState {
  if (state.current || state.pending.length === 0) return state;
  let dropped = state.dropped;
  let index = 0;
  while (index < state.pending.length && now - (state.pending[index] as Announcement).queuedAt > maxAgeMs) {
    dropped++;
    index++;
  }
  return {
    ...state,
    current: state.pending[index] ?? null,
    pending: state.pending.slice(index + 1),
    dropped,
  };
}

/** The announcement `id` has been said to the end. */
export function finishCurrent(state: AnnouncerState, id: string): AnnouncerState {
  if (state.current?.id !== id) return state;
  return { ...state, current: null, completed: state.completed + 1 };
}
