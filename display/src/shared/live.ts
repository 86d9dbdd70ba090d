/**
 * One socket.io connection per screen. The controller sends the full state on every connection,
 * so a screen that lost its link recovers everything when it comes back; until then it says so.
 * After a change the queue comes as a patch of the last revision (queue-patch.ts); a screen that
 * missed one asks for the whole state again.
 */

import { useEffect, useState } from 'preact/hooks';
import { io, type Socket } from 'socket.io-client';
import { QueueFollower, type QueuePatch, type QueueState } from '../../../controller/realtime/queue-patch.ts';
import type { DevicesState, QueueEvent, QueueView } from './types.ts';

let socket: Socket | null = null;

export function liveSocket(): Socket {
  if (!socket) {
    socket = io({ transports: ['websocket', 'polling'], reconnectionDelayMax: 5_000 });
    follow(socket); // from the first message on, whichever screen part asked for the socket
  }
  return socket;
}

/** Whether the link to the controller is up right now. */
export function useConnected(): boolean {
  const s = liveSocket();
  const [connected, setConnected] = useState(s.connected);
  useEffect(() => {
    const up = () => setConnected(true);
    const down = () => setConnected(false);
    s.on('connect', up);
    s.on('disconnect', down);
    s.io.on('reconnect_attempt', down);
    setConnected(s.connected);
    return () => {
      s.off('connect', up);
      s.off('disconnect', down);
      s.io.off('reconnect_attempt', down);
    };
  }, [s]);
  return connected;
}

/** The latest value of a state message (`queue:state`, `devices:state`, …), null until the first. */
export function useLiveState<T>(event: string): T | null {
  const s = liveSocket();
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    const on = (v: T) => setValue(v);
    s.on(event, on);
    return () => {
      s.off(event, on);
    };
  }, [s, event]);
  return value;
}

/** The live queue: the whole state on (re)connection, kept current by the patches that follow it. */
let follower: QueueFollower | null = null;
const queueListeners = new Set<(view: QueueView) => void>();

function follow(s: Socket): void {
  const f = new QueueFollower(() => s.emit('queue:resync'));
  const tell = (view: QueueView | null) => {
    if (view) for (const listener of queueListeners) listener(view);
  };
  s.on('queue:state', (message: QueueState) => tell(f.state(message)));
  s.on('queue:patch', (patch: QueuePatch) => tell(f.patch(patch)));
  s.on('disconnect', () => f.reset());
  follower = f;
}

export function useQueue(): QueueView | null {
  liveSocket();
  const f = follower as QueueFollower;
  const [value, setValue] = useState<QueueView | null>(f.view);
  useEffect(() => {
    queueListeners.add(setValue);
    if (f.view) setValue(f.view);
    return () => {
      queueListeners.delete(setValue);
    };
  }, [f]);
  return value;
}
export const useDevices = () => useLiveState<DevicesState>('devices:state');

/** Calls `handler` for every durable batch of queue events (calls, recalls, finishes…). */
export function useQueueEvents(handler: (events: QueueEvent[]) => void): void {
  const s = liveSocket();
  useEffect(() => {
    s.on('queue:events', handler);
    return () => {
      s.off('queue:events', handler);
    };
  }, [s, handler]);
}

/** Milliseconds since the epoch, refreshed every `everyMs` (for "waited 7 min" and clocks). */
export function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
