/**
 * The wait estimate's forecast as it was before it was made cheap (issue 14): the slow, obvious
 * version, kept only as the reference the fast one is checked against
 * (tests/core/wait-estimate.equivalence.test.ts). Each call sorts every waiting ticket and plays
 * the open counters forward; `extra` is a ticket not yet issued, `until` where to stop.
 */
import type { CentreConfig } from '../../../controller/centre/schema.ts';
import { servicesAt } from '../../../controller/core/assignment.ts';
import { openTickets } from '../../../controller/core/open-tickets.ts';
import {
  compareKeys,
  horizons,
  type PolicyContext,
  type PolicyKey,
  policyNamed,
} from '../../../controller/core/policies.ts';
import { meanMs, modelFor } from '../../../controller/core/service-time.ts';
import type { QueueState, Ticket } from '../../../controller/core/types.ts';

const MIN = 60_000;

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
export function referenceForecastCalls(
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
