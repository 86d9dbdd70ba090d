/**
 * Wait estimate for a service: people ahead × average service time ÷ counters serving it now.
 * Average service time is the running average of finished visits, starting from the configured
 * time and resisting outliers (`learnedServiceMs` in evolve.ts; carried across days, so a
 * morning starts from yesterday's pace), or the configured time before any visit is finished.
 * Deliberately simple and explainable to a citizen; it is an estimate printed on a ticket, not a
 * promise.
 */
import type { CentreConfig } from '../centre/schema.ts';
import { servicesAt } from './assignment.ts';
import type { QueueState } from './types.ts';
import { waitingOf } from './waiting.ts';

const MIN = 60_000;

export interface ServiceEstimate {
  waiting: number;
  /** Counters open now, with someone logged in who covers this service there. */
  servingCounters: number;
  avgServiceMinutes: number;
  /** null when no counter serving this service is open: there is nothing to estimate from. */
  estimatedWaitMinutes: number | null;
}

export function estimateService(config: CentreConfig, state: QueueState, serviceId: string): ServiceEstimate {
  const service = config.services.find((s) => s.id === serviceId);
  const waiting = waitingOf(state, serviceId).count;
  let servingCounters = 0;
  for (const counter of config.counters) {
    const live = state.counters[counter.id];
    if (live?.status !== 'open' || !live.staffId) continue;
    const staff = config.staff.find((s) => s.id === live.staffId);
    if (staff && servicesAt(counter, staff).includes(serviceId)) servingCounters++;
  }
  const avgMs = state.avgServiceMs[serviceId] ?? (service?.expectedServiceMinutes ?? 10) * MIN;
  const avgServiceMinutes = avgMs / MIN;
  const base = { waiting, servingCounters, avgServiceMinutes };
  return { ...base, estimatedWaitMinutes: estimateWait(base, waiting) };
}

/** Minutes until a citizen with `peopleAhead` before them is called; null when no counter serves the service. */
export function estimateWait(
  estimate: Omit<ServiceEstimate, 'estimatedWaitMinutes'>,
  peopleAhead: number,
): number | null {
  if (estimate.servingCounters === 0) return null;
  return Math.ceil((peopleAhead * estimate.avgServiceMinutes) / estimate.servingCounters);
}
