/**
 * The dashboard's data: GET /api/dashboard, fetched again whenever the queue or the devices change
 * (at most once a second) and every 30 s, so times and alerts move on even in a quiet hall.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DashboardView } from '../../../controller/reports/dashboard.ts';
import { api } from '../shared/api.ts';
import { useDevices, useQueue } from '../shared/live.ts';

export type { DashboardView };
export type ServiceRow = DashboardView['services'][number];
export type CounterRow = DashboardView['counters'][number];
export type DashboardAlert = DashboardView['alerts'][number];
export type FollowUpRow = DashboardView['followUps'][number];

const MIN_INTERVAL_MS = 1_000;
const REFRESH_MS = 30_000;

export interface DashboardData {
  view: DashboardView | null;
  /** Server clock minus this browser's, so running timers agree with the controller. */
  skewMs: number;
  error: string | null;
  /** Fetch now (after an action), still at most once a second. */
  reload: () => void;
}

export function useDashboard(): DashboardData {
  const queue = useQueue();
  const devices = useDevices();
  const [view, setView] = useState<DashboardView | null>(null);
  const [skewMs, setSkew] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const sched = useRef({ last: 0, timer: 0 as number | 0, inFlight: false, again: false });
  const fetchRef = useRef<() => void>(() => undefined);

  fetchRef.current = () => {
    const s = sched.current;
    if (s.inFlight) {
      s.again = true;
      return;
    }
    const wait = s.last + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      if (!s.timer) {
        s.timer = window.setTimeout(() => {
          s.timer = 0;
          fetchRef.current();
        }, wait);
      }
      return;
    }
    s.inFlight = true;
    s.last = Date.now();
    api<DashboardView>('GET', '/dashboard')
      .then((v) => {
        setView(v);
        setSkew(v.now - Date.now());
        setError(null);
      })
      .catch((e: Error) => setError(e.message))
      .finally(() => {
        s.inFlight = false;
        if (s.again) {
          s.again = false;
          fetchRef.current();
        }
      });
  };

  // Every queue:state / devices:state (sent on connect and after each change) means fresh figures.
  useEffect(() => fetchRef.current(), [queue, devices]);
  useEffect(() => {
    const timer = setInterval(() => fetchRef.current(), REFRESH_MS);
    return () => {
      clearInterval(timer);
      clearTimeout(sched.current.timer);
    };
  }, []);

  return { view, skewMs, error, reload: () => fetchRef.current() };
}
