/** The figures of a simulated day: waits against the target, staff, and how good the estimates were. */
import { type DayResult, MIN } from './day.ts';

export interface Kpis {
  tickets: number;
  called: number;
  /** Still waiting when the day ran out of staff (counted as over the target). */
  unserved: number;
  meanWait: number;
  medianWait: number;
  p90Wait: number;
  longestWait: number;
  /** Share of tickets called within the wait target (0–1). */
  withinTarget: number;
  utilisation: number;
  dossiersPerStaff: number;
  /** Priority visitors: share within the target, and the worst service's share (no service starved). */
  priorityWithin: number | null;
  worstServiceWithin: { serviceId: string; share: number; p90: number };
  estimate: {
    count: number;
    /** Mean absolute error of the estimate given at issue against the real wait (minutes). */
    mae: number;
    /** Share of real waits inside the range given. */
    coverage: number;
    meanWidth: number;
    naiveMae: number;
  };
}

export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

export function kpis(day: DayResult): Kpis {
  const target = day.config.queue.waitTargetMinutes;
  const waits: number[] = [];
  let unserved = 0;
  let within = 0;
  const byService = new Map<string, number[]>();
  const priority: boolean[] = [];
  const errors: number[] = [];
  const naiveErrors: number[] = [];
  let covered = 0;
  let width = 0;
  for (const t of day.tickets) {
    const list = byService.get(t.serviceId) ?? [];
    byService.set(t.serviceId, list);
    if (t.firstCalledAt === undefined) {
      unserved++;
      list.push(Number.POSITIVE_INFINITY);
      if (t.priority) priority.push(false);
      continue;
    }
    const w = Math.max(0, t.firstCalledAt - t.waitFrom) / MIN;
    waits.push(w);
    list.push(w);
    if (w <= target) within++;
    if (t.priority) priority.push(w <= target);
    if (t.estimate && !t.appointment) {
      // Estimates are judged against the wait from arrival, which is what they announce.
      const real = (t.firstCalledAt - t.arrivedAt) / MIN;
      errors.push(Math.abs(t.estimate.minutes - real));
      if (real >= t.estimate.low && real <= t.estimate.high) covered++;
      width += t.estimate.high - t.estimate.low;
      if (t.naive !== null) naiveErrors.push(Math.abs(t.naive - real));
    }
  }
  let worst = { serviceId: '', share: 2, p90: 0 };
  for (const [serviceId, ws] of byService) {
    const share = ws.filter((w) => w <= target).length / ws.length;
    if (share < worst.share) worst = { serviceId, share, p90: quantile(ws.filter(Number.isFinite), 0.9) };
  }
  return {
    tickets: day.tickets.length,
    called: waits.length,
    unserved,
    meanWait: mean(waits),
    medianWait: quantile(waits, 0.5),
    p90Wait: quantile(waits, 0.9),
    longestWait: waits.length === 0 ? 0 : Math.max(...waits),
    withinTarget: day.tickets.length === 0 ? 1 : within / day.tickets.length,
    utilisation: day.onDutyMs === 0 ? 0 : day.busyMs / day.onDutyMs,
    dossiersPerStaff: day.staffWorked === 0 ? 0 : day.finishedVisits / day.staffWorked,
    priorityWithin: priority.length === 0 ? null : priority.filter(Boolean).length / priority.length,
    worstServiceWithin: worst,
    estimate: {
      count: errors.length,
      mae: mean(errors),
      coverage: errors.length === 0 ? 0 : covered / errors.length,
      meanWidth: errors.length === 0 ? 0 : width / errors.length,
      naiveMae: mean(naiveErrors),
    },
  };
}
