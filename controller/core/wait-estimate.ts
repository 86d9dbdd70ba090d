/**
 * Estimated waits, as ranges a citizen can trust. Two steps:
 *
 * 1. A forecast: the open counters are played forward from `now`, each taking, whenever it is
 *    expected to be free, the ticket the centre's assignment policy would give it among those
 *    waiting, each visit lasting the learned mean for that service and staff member
 *    (service-time.ts). This counts the counters open, who covers what, the policy's order
 *    (credits, bookings, preferences) and the visits in progress. It knows nothing of citizens
 *    yet to come who will be called first (priority visitors, bookings), nor of chance.
 * 2. A calibration: every ticket's forecast at issue is compared with its real wait when first
 *    called; the latest MAX_ERRORS errors, as log ratios ln((real + K) / (forecast + K)), give the
 *    point (their median) and the range (their 10th and 90th percentiles), so about 80 % of waits
 *    fall inside it and a bias of the forecast is corrected. Until enough tickets have been
 *    called, the defaults measured on simulated days are used (docs/prediction.md).
 *
 * Pure: configuration, state and time in, numbers out.
 */

import type { CentreConfig } from '../centre/schema.ts';
import { servicesAt } from './assignment.ts';
import { newTicket } from './new-ticket.ts';
import { openTickets } from './open-tickets.ts';
import { compareKeys, horizons, type PolicyContext, type PolicyKey, policyNamed } from './policies.ts';
import { meanMs, modelFor } from './service-time.ts';
import type { QueueState, Ticket } from './types.ts';

const MIN = 60_000;
/** Minutes added to both sides of the ratio, so short waits are judged in minutes, long ones in proportion. */
const K = 5;
const MAX_ERRORS = 400;
const MIN_ERRORS = 40;
/** Log-ratio quantiles (10 %, 50 %, 90 %) before the centre has its own: measured on simulated days. */
export const DEFAULT_ERROR_QUANTILES: readonly [number, number, number] = [-0.2, 0, 0.44];

export interface WaitEstimate {
  /** The single number (minutes), e.g. for a printed ticket. */
  minutes: number;
  /** The range shown: about 80 % of real waits fall inside it. */
  low: number;
  high: number;
  /** The raw forecast before calibration (minutes), kept on a ticket to learn from. */
  forecast: number;
}

interface SimCounter {
  staffId: string;
  services: string[];
  freeAt: number;
  counter: CentreConfig['counters'][number];
}

/**
 * When each waiting ticket (and `extra`, a ticket not yet issued) is expected to be called (ms),
 * by playing the open counters forward under the policy in force. Stops once `until` is placed.
 * Tickets no open counter can serve get no entry.
 */
export function forecastCalls(
  config: CentreConfig,
  state: QueueState,
  now: number,
  extra?: Ticket,
  until?: string,
): Map<string, number> {
  const rules = config.queue;
  const policy = policyNamed(rules.policy);
  const ctx: PolicyContext = { rules, now, horizonMs: horizons(config, state) };
  const expected = new Map(config.services.map((s) => [s.id, s.expectedServiceMinutes * MIN]));
  const durationMs = (serviceId: string, staffId: string) =>
    meanMs(modelFor(state, serviceId, staffId, expected.get(serviceId) ?? 10 * MIN));

  const counters: SimCounter[] = [];
  for (const counter of config.counters) {
    const live = state.counters[counter.id];
    if (live?.status !== 'open' || !live.staffId) continue;
    const staff = config.staff.find((s) => s.id === live.staffId);
    if (!staff) continue;
    let freeAt = now;
    const current = live.currentTicketId ? state.tickets[live.currentTicketId] : undefined;
    if (current) {
      const m = durationMs(current.serviceId, staff.id);
      const started = current.serviceStartedAt ?? current.calledAt ?? now;
      // A visit already longer than usual is expected to end soon, not at once.
      freeAt = Math.max(started + m, now + 0.25 * m);
    }
    counters.push({ staffId: staff.id, services: servicesAt(counter, staff), freeAt, counter });
  }

  // Each service's queue in the policy's order as of now (a counter's own preferences come in below).
  const queues = new Map<string, Ticket[]>();
  const add = (t: Ticket) => {
    const q = queues.get(t.serviceId);
    if (q) q.push(t);
    else queues.set(t.serviceId, [t]);
  };
  for (const t of openTickets(state)) if (t.status === 'waiting') add(t);
  if (extra) add(extra);
  for (const q of queues.values()) {
    const keys = new Map(q.map((t) => [t, policy.key(t, 0, ctx)]));
    q.sort((a, b) => compareKeys(keys.get(a) as PolicyKey, keys.get(b) as PolicyKey, a, b));
  }
  const heads = new Map<string, number>([...queues.keys()].map((s) => [s, 0]));
  const taken = new Set<Ticket>();

  const calls = new Map<string, number>();
  const active = [...counters];
  while (active.length > 0) {
    let ci = 0;
    for (let i = 1; i < active.length; i++) {
      if ((active[i] as SimCounter).freeAt < (active[ci] as SimCounter).freeAt) ci = i;
    }
    const c = active[ci] as SimCounter;
    const at = c.freeAt;
    const simCtx: PolicyContext = { ...ctx, now: at };
    let best: Ticket | undefined;
    let bestKey: PolicyKey | undefined;
    c.services.forEach((serviceId, pref) => {
      const q = queues.get(serviceId);
      if (!q) return;
      let i = heads.get(serviceId) ?? 0;
      while (i < q.length && taken.has(q[i] as Ticket)) i++;
      heads.set(serviceId, i);
      // The first ticket this counter may take (one sent to another counter or person is passed over).
      for (; i < q.length; i++) {
        const t = q[i] as Ticket;
        if (taken.has(t)) continue;
        if (t.target?.counterId && t.target.counterId !== c.counter.id) continue;
        if (t.target?.staffId && t.target.staffId !== c.staffId) continue;
        const k = policy.key(t, pref, simCtx);
        if (!best || !bestKey || compareKeys(k, bestKey, t, best) < 0) {
          best = t;
          bestKey = k;
        }
        break;
      }
    });
    if (!best) {
      active.splice(ci, 1); // nothing left it can take: no one arrives in a forecast
      continue;
    }
    taken.add(best);
    calls.set(best.id, at);
    if (best.id === until) break;
    c.freeAt = at + durationMs(best.serviceId, c.staffId);
  }
  return calls;
}

function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const quantileCache = new WeakMap<QueueState, { seq: number; q: readonly [number, number, number] }>();

/** The calibration in force: the 10 %, 50 % and 90 % log-ratio quantiles (cached per state and seq). */
export function errorQuantiles(state: QueueState): readonly [number, number, number] {
  const errors = state.waitErrors;
  if (!errors || errors.length < MIN_ERRORS) return DEFAULT_ERROR_QUANTILES;
  const cached = quantileCache.get(state);
  if (cached?.seq === state.seq) return cached.q;
  const sorted = [...errors].sort((a, b) => a - b);
  const q = [quantile(sorted, 0.1), quantile(sorted, 0.5), quantile(sorted, 0.9)] as const;
  quantileCache.set(state, { seq: state.seq, q });
  return q;
}

/** A forecast (minutes) made into the estimate shown. */
export function calibrated(state: QueueState, forecastMinutes: number): WaitEstimate {
  const [q10, q50, q90] = errorQuantiles(state);
  const at = (q: number) => Math.max(0, (forecastMinutes + K) * Math.exp(q) - K);
  const low = Math.floor(at(q10));
  const minutes = Math.max(low, Math.round(at(q50)));
  const high = Math.max(minutes, Math.ceil(at(q90)), low + 1);
  return { minutes, low, high, forecast: Math.round(forecastMinutes * 10) / 10 };
}

/** Estimate for a ticket already waiting; null when it is not waiting or no open counter serves it. */
export function estimateTicket(config: CentreConfig, state: QueueState, ticket: Ticket, now: number) {
  if (ticket.status !== 'waiting') return null;
  const at = forecastCalls(config, state, now, undefined, ticket.id).get(ticket.id);
  return at === undefined ? null : calibrated(state, (at - now) / MIN);
}

/** Estimate for a ticket about to be issued (it is not in the state yet). */
export function estimateNewTicket(config: CentreConfig, state: QueueState, ticket: Ticket, now: number) {
  const at = forecastCalls(config, state, now, ticket, ticket.id).get(ticket.id);
  return at === undefined ? null : calibrated(state, (at - now) / MIN);
}

/** A plain walk-in ticket of this service, issued now: what the kiosk and the hall announce. */
export function estimateForService(config: CentreConfig, state: QueueState, serviceId: string, now: number) {
  const probe = newTicket(
    state,
    { id: `estimate:${serviceId}`, label: '', serviceId, number: 0, source: 'kiosk' },
    now,
  );
  return estimateNewTicket(config, state, probe, now);
}

/** On a ticket's first call (evolve): how far its forecast at issue was from its real wait. */
export function recordWaitError(state: QueueState, ticket: Ticket, calledAt: number): void {
  if (ticket.forecastMinutesAtIssue === undefined || ticket.transferCount > 0) return;
  const real = Math.max(0, calledAt - ticket.arrivedAt) / MIN;
  state.waitErrors ??= [];
  const errors = state.waitErrors;
  errors.push(Math.log((real + K) / (ticket.forecastMinutesAtIssue + K)));
  if (errors.length > MAX_ERRORS) errors.splice(0, errors.length - MAX_ERRORS);
}
