/**
 * Who is signed in on this screen (staff console, manager dashboard). The session is an HttpOnly
 * cookie set by POST /api/session; the page only ever sees the user it belongs to.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import { api } from './api.ts';
import { liveSocket } from './live.ts';

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
