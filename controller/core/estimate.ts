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
import { openTicketIndex } from './open-tickets.ts';
import type { QueueState } from './types.ts';

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

export interface Waiting {
  count: number;
  /** The earliest arrival among them (Infinity when none waits). */
  oldestArrivedAt: number;
}

const NONE: Waiting = { count: 0, oldestArrivedAt: Number.POSITIVE_INFINITY };
const perService = new WeakMap<QueueState, { seq: number; index: object; by: Map<string, Waiting> }>();

/**
 * Who waits for this service: counted in one walk of the open tickets for all services, once per
 * state seq (a queue view asks for each service, twice).
 */
export function waitingOf(state: QueueState, serviceId: string): Waiting {
  const index = openTicketIndex(state);
  let cached = perService.get(state);
  if (!cached || cached.seq !== state.seq || cached.index !== index) {
    const by = new Map<string, Waiting>();
    for (const t of index.values()) {
      if (t.status !== 'waiting') continue;
      const w = by.get(t.serviceId);
      if (w) {
        w.count++;
        w.oldestArrivedAt = Math.min(w.oldestArrivedAt, t.arrivedAt);
      } else by.set(t.serviceId, { count: 1, oldestArrivedAt: t.arrivedAt });
    }
    cached = { seq: state.seq, index, by };
    perService.set(state, cached);
  }
  return cached.by.get(serviceId) ?? NONE;
}
