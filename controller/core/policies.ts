/**
 * Assignment policies: who a counter calls next. The centre chooses one in its configuration
 * (`queue.policy`); decide() asks it on every "next", and the wait estimator asks it too, so an
 * estimate follows the rule in force. Each policy gives every eligible ticket a key (class, then
 * time, then issue order); the lowest key is called.
 *
 * - `priority-credit`: today's rule (assignment.ts, docs/assignment.md): urgent tickets oldest
 *   first, then arrival minus credit plus the preference penalty; early bookings held back.
 * - `fifo`: the baseline. First come, first served across the counter's services: no credits, no
 *   preference, no holding back.
 * - `least-lateness`: aims at the share of visits within the wait target. Tickets that have waited
 *   `ageingCeilingMinutes` go first (oldest first), so nobody starves; then the tickets that would
 *   pass the target before another counter covering their service is likely free (earliest
 *   deadline first); then the others by today's rank. Credits count as time already waited, so a
 *   priority visitor's or a booking's deadline comes earlier; early bookings are held back as today.
 */
import type { CentreConfig, PolicyName, QueueRules } from '../centre/schema.ts';
import { type AssignmentInput, isEligible, rank, servicesAt } from './assignment.ts';
import { waitingFor } from './open-tickets.ts';
import { meanMs, modelFor } from './service-time.ts';
import type { QueueState, Ticket } from './types.ts';

const MIN = 60_000;

export interface PolicyKey {
  cls: number;
  at: number;
}

export interface PolicyContext {
  rules: QueueRules;
  now: number;
  /** Expected time until a counter covering the service is next free to call (least-lateness). */
  horizonMs: (serviceId: string) => number;
}

export interface AssignmentPolicy {
  readonly name: PolicyName;
  key(ticket: Ticket, preferenceIndex: number, ctx: PolicyContext): PolicyKey;
}

export function compareKeys(a: PolicyKey, b: PolicyKey, ta: Ticket, tb: Ticket): number {
  return a.cls - b.cls || a.at - b.at || ta.issueSeq - tb.issueSeq;
}

const priorityCredit: AssignmentPolicy = {
  name: 'priority-credit',
  key(ticket, preferenceIndex, { rules, now }) {
    const r = rank(ticket, preferenceIndex, rules, now);
    if (r.held) return { cls: 9, at: r.rankAt };
    return r.urgent ? { cls: 0, at: r.waitingSince } : { cls: 1, at: r.rankAt };
  },
};

const fifo: AssignmentPolicy = {
  name: 'fifo',
  key: (ticket) => ({ cls: 0, at: ticket.arrivedAt }),
};

const leastLateness: AssignmentPolicy = {
  name: 'least-lateness',
  key(ticket, preferenceIndex, { rules, now, horizonMs }) {
    const r = rank(ticket, preferenceIndex, rules, now);
    if (r.held) return { cls: 9, at: r.rankAt };
    if (now - r.waitingSince >= rules.ageingCeilingMinutes * MIN) return { cls: 0, at: r.waitingSince };
    const deadline = r.waitingSince - r.creditMinutes * MIN + rules.waitTargetMinutes * MIN;
    if (now >= deadline) return { cls: 2, at: r.rankAt }; // already late: after those still in time
    if (now + horizonMs(ticket.serviceId) >= deadline) return { cls: 1, at: deadline };
    return { cls: 3, at: r.rankAt };
  },
};

const POLICIES: Record<PolicyName, AssignmentPolicy> = {
  'priority-credit': priorityCredit,
  fifo,
  'least-lateness': leastLateness,
};

export function policyNamed(name: PolicyName): AssignmentPolicy {
  return POLICIES[name];
}

/**
 * For each service: the expected time until one of the open counters covering it is free to call,
 * taken as the mean service time there divided by how many counters cover it. Cached per call.
 */
export function horizons(config: CentreConfig, state: QueueState): (serviceId: string) => number {
  const cache = new Map<string, number>();
  let staffById: Map<string, CentreConfig['staff'][number]> | undefined;
  return (serviceId) => {
    let h = cache.get(serviceId);
    if (h !== undefined) return h;
    const expected = (config.services.find((s) => s.id === serviceId)?.expectedServiceMinutes ?? 10) * MIN;
    let counters = 0;
    let totalMs = 0;
    staffById ??= new Map(config.staff.map((s) => [s.id, s]));
    for (const counter of config.counters) {
      const live = state.counters[counter.id];
      if (live?.status !== 'open' || !live.staffId) continue;
      const staff = staffById.get(live.staffId);
      if (!staff || !servicesAt(counter, staff).includes(serviceId)) continue;
      counters++;
      totalMs += meanMs(modelFor(state, serviceId, staff.id, expected));
    }
    h = counters === 0 ? Number.POSITIVE_INFINITY : totalMs / counters / counters;
    cache.set(serviceId, h);
    return h;
  };
}

/**
 * The eligible tickets for this counter with the policy's keys: the one place that decides who is
 * called before whom. pickNextBy takes the least of them (decide's "next"); policyQueue sorts them
 * (the staff console's "next calls").
 */
function keyed(config: CentreConfig, input: AssignmentInput, visit: (t: Ticket, k: PolicyKey) => void): void {
  const { state, rules, counter, staff, now } = input;
  const policy = policyNamed(rules.policy);
  const services = servicesAt(counter, staff);
  const ctx: PolicyContext = { rules, now, horizonMs: horizons(config, state) };
  for (const t of waitingFor(state, services)) {
    if (isEligible(t, counter, staff, services)) visit(t, policy.key(t, services.indexOf(t.serviceId), ctx));
  }
}

/** The ticket the counter calls next under the centre's policy, or undefined when nobody eligible waits. */
export function pickNextBy(config: CentreConfig, input: AssignmentInput): Ticket | undefined {
  let best: Ticket | undefined;
  let bestKey: PolicyKey | undefined;
  keyed(config, input, (t, k) => {
    if (!best || !bestKey || compareKeys(k, bestKey, t, best) < 0) {
      best = t;
      bestKey = k;
    }
  });
  return best;
}

/** The counter's eligible tickets in the order the centre's policy would call them, first first. */
export function policyQueue(config: CentreConfig, input: AssignmentInput): Ticket[] {
  const all: { t: Ticket; k: PolicyKey }[] = [];
  keyed(config, input, (t, k) => {
    all.push({ t, k });
  });
  return all.sort((a, b) => compareKeys(a.k, b.k, a.t, b.t)).map((x) => x.t);
}
