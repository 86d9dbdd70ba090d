/**
 * The day's chart series, rebuilt from ticket timestamps (no sampling is stored): the number
 * waiting for a first call and the average wait of first calls, every 15 minutes; arrivals per hour.
 */
import type { QueueState } from '../core/types.ts';
import { MIN, round1, waitOf } from './waits.ts';

export const SERIES_STEP_MINUTES = 15;
const HOUR = 60 * MIN;

export interface SeriesPoint {
  at: number;
  /** Citizens waiting for their first call at `at`. */
  waiting: number;
  /** Mean wait (minutes) of the first calls made since the previous point (one step before the first); null when none. */
  averageWaitMinutes: number | null;
}

export function waitingSeries(state: QueueState, now: number, dayStart: number): SeriesPoint[] {
  const waits = Object.values(state.tickets).map((t) => waitOf(t, dayStart, now));
  if (!waits.length) return [];
  const step = SERIES_STEP_MINUTES * MIN;
  const first = Math.min(...waits.map((w) => w.from));
  const times: number[] = [];
  for (let at = Math.floor(first / step) * step; at <= now; at += step) times.push(at);
  if (times.at(-1) !== now) times.push(now);
  return times.map((at, i) => {
    const after = times[i - 1] ?? at - step;
    let waiting = 0;
    let calls = 0;
    let waited = 0;
    for (const w of waits) {
      if (w.from <= at && (w.until === null || at < w.until)) waiting++;
      if (w.firstCallAt !== null && w.firstCallAt > after && w.firstCallAt <= at) {
        calls++;
        waited += w.waitedMs;
      }
    }
    return { at, waiting, averageWaitMinutes: calls ? round1(waited / calls / MIN) : null };
  });
}

export interface HourCount {
  /** Local hour of the day, 0-23. */
  hour: number;
  arrivals: number;
}

/** Tickets that arrived today, per local hour, from the first arrival's hour to the current one. */
export function arrivalsPerHour(state: QueueState, now: number, dayStart: number): HourCount[] {
  const hours = Object.values(state.tickets)
    .filter((t) => t.arrivedAt >= dayStart)
    .map((t) => Math.floor((t.arrivedAt - dayStart) / HOUR));
  if (!hours.length) return [];
  const last = Math.max(Math.floor((now - dayStart) / HOUR), ...hours);
  const out: HourCount[] = [];
  for (let hour = Math.min(...hours); hour <= last; hour++) {
    out.push({ hour, arrivals: hours.filter((h) => h === hour).length });
  }
  return out;
}
