/**
 * Who is signed in on this screen (staff console, manager dashboard). The session is an HttpOnly
 * cookie set by POST /api/session; the page only ever sees the user it belongs to.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './api.ts';
import { liveSocket } from './live.ts';

/** How often, at most, the page tells the controller the user acted. */
const ACTIVITY_REPORT_MS = 60_000;

/** The live connection says who it is when it connects: after signing in or out, it connects again. */
function reconnectLive(): void {
  const socket = liveSocket();
  socket.disconnect().connect();
}

export interface SessionUser {
  username: string;
  name: string;
  role: 'staff' | 'manager';
  staffId: string | null;
  /** The counter a staff member signed in to, if any. */
  counterId: string | null;
}

export interface SessionState {
  user: SessionUser | null;
  loading: boolean;
  login(username: string, password: string, counterId?: string): Promise<void>;
  logout(): Promise<void>;
  refresh(): Promise<void>;
}

export function useSession(): SessionState {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setUser((await api<{ user: SessionUser | null }>('GET', '/session')).user);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // The controller closes this screen's live connection when its session ends (signed out
  // elsewhere, idle, account removed): ask who we are now, then connect again as that.
  useEffect(() => {
    const socket = liveSocket();
    const ended = (reason: string) => {
      if (reason !== 'io server disconnect') return;
      void refresh().finally(() => socket.connect());
    };
    socket.on('disconnect', ended);
    return () => {
      socket.off('disconnect', ended);
    };
  }, [refresh]);

  // Only the user's own keys and taps keep the session alive (docs/security.md#sessions), reported
  // at most once a minute; the live updates and the page's own reading do not.
  useEffect(() => {
    if (!user) return;
    let last = 0;
    const acted = () => {
      if (Date.now() - last < ACTIVITY_REPORT_MS) return;
      last = Date.now();
      api('POST', '/session/activity').catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setUser(null);
      });
    };
    window.addEventListener('pointerdown', acted, { passive: true });
    window.addEventListener('keydown', acted);
    return () => {
      window.removeEventListener('pointerdown', acted);
      window.removeEventListener('keydown', acted);
    };
  }, [user]);

  return {
    user,
    loading,
    refresh,
    async login(username, password, counterId) {
      const body = counterId ? { username, password, counterId } : { username, password };
      setUser((await api<{ user: SessionUser }>('POST', '/session', body)).user);
      reconnectLive();
    },
    async logout() {
      await api('DELETE', '/session');
      setUser(null);
      reconnectLive();
    },
  };
}
