/**
 * Runs the announcement queue (controller/voice/announcement-queue.ts) on a ClipPlayer: the next
 * announcement starts only when the previous one has been said to the end, and only once the
 * clips are loaded and the browser lets the page make sound.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import {
  type Announcement,
  type AnnouncerState,
  enqueue,
  finishCurrent,
  idleAnnouncer,
  startNext,
} from '../../../../controller/voice/announcement-queue.ts';
import type { ClipPlayer, PlayerStatus } from './clip-player.ts';

export function usePlayerStatus(player: ClipPlayer): PlayerStatus {
  const [status, setStatus] = useState(player.status);
  useEffect(() => {
    setStatus(player.status);
    return player.subscribe(setStatus);
  }, [player]);
  return status;
}

export function useAnnouncer(
  player: ClipPlayer,
  status: PlayerStatus,
): { state: AnnouncerState; announce: (a: Announcement) => void } {
  const [state, setState] = useState<AnnouncerState>(idleAnnouncer);
  const announce = useCallback((a: Announcement) => setState((s) => enqueue(s, a)), []);
  const canPlay = status.clips !== 'loading' && !status.blocked;

  // Every change goes through a functional update: a call arriving between a render and these
  // effects must never be overwritten by a stale copy of the queue.
  useEffect(() => {
    if (canPlay && !state.current && state.pending.length > 0) setState((s) => startNext(s, Date.now()));
  }, [state, canPlay]);

  const current = state.current;
  useEffect(() => {
    if (!current) return;
    player
      .play(current.parts)
      .catch((error: unknown) => console.warn('announcement could not be played', error))
      .finally(() => setState((s) => finishCurrent(s, current.id)));
  }, [current, player]);

  return { state, announce };
}
