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
import { openTicketIndex, openTickets } from './open-tickets.ts';
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
  counterId: string;
  freeAt: number;
  /** The lanes of the services this person may serve here, in order of preference (null: none waits). */
  lanes: (Lane | null)[];
  /** Preference index of each service served here. */
  prefOf: Map<string, number>;
  /** Expected visit length per service for this staff member (ms), worked out once per forecast. */
  durations: Map<string, number>;
}

/** One service's waiting tickets in the policy's order as of `now`, with which are already taken. */
interface Lane {
  serviceId: string;
  tickets: Ticket[];
  taken: Uint8Array;
  /** Every ticket before this index is taken. */
  head: number;
}

/** A plain ticket issued now whose call time is read off a forecast made without it (see play()). */
interface Probe {
  ticket: Ticket;
  serviceId: string;
  /** Where it would stand in its service's lane: the number of waiting tickets that go before it. */
  pos: number;
  at?: number;
  /** Its presence would have changed the forecast before its own call: work it out on its own. */
  diverged?: boolean;
}

interface Setup {
  state: QueueState;
  policy: ReturnType<typeof policyNamed>;
  ctx: PolicyContext;
  counters: SimCounter[];
  lanes: Map<string, Lane>;
  expected: Map<string, number>;
}

interface Keyed {
  t: Ticket;
  k: PolicyKey;
}

const byKey = (a: Keyed, b: Keyed) => compareKeys(a.k, b.k, a.t, b.t);

/** The open counters, and each service's waiting tickets sorted by the policy's key as of now. */
function setUp(config: CentreConfig, state: QueueState, now: number, extra?: Ticket): Setup {
  const rules = config.queue;
  const policy = policyNamed(rules.policy);
  const ctx: PolicyContext = { rules, now, horizonMs: horizons(config, state) };
  const expected = new Map(config.services.map((s) => [s.id, s.expectedServiceMinutes * MIN]));
  const staffById = new Map(config.staff.map((s) => [s.id, s]));

  const open = config.counters.filter((counter) => {
    const live = state.counters[counter.id];
    return live?.status === 'open' && live.staffId && staffById.has(live.staffId);
  });
  if (open.length === 0) {
    // Nobody to call anyone: nothing to sort (a hall filling before the counters open).
    return { state, policy, ctx, counters: [], lanes: new Map(), expected };
  }

  // Each service's queue in the policy's order as of now (a counter's own preferences come in below).
  const byService = new Map<string, Keyed[]>();
  const add = (t: Ticket) => {
    const entry = { t, k: policy.key(t, 0, ctx) };
    const q = byService.get(t.serviceId);
    if (q) q.push(entry);
    else byService.set(t.serviceId, [entry]);
  };
  for (const t of openTickets(state)) if (t.status === 'waiting') add(t);
  if (extra) add(extra);
  const lanes = new Map<string, Lane>();
  for (const [serviceId, q] of byService) {
    q.sort(byKey);
    const tickets = q.map((e) => e.t);
    lanes.set(serviceId, { serviceId, tickets, taken: new Uint8Array(tickets.length), head: 0 });
  }

  const counters: SimCounter[] = [];
  for (const counter of open) {
    const live = state.counters[counter.id] as QueueState['counters'][string];
    const staff = staffById.get(live.staffId as string);
    if (!staff) continue;
    const services = servicesAt(counter, staff);
    const durations = new Map<string, number>();
    const c: SimCounter = {
      staffId: staff.id,
      counterId: counter.id,
      freeAt: now,
      lanes: services.map((s) => lanes.get(s) ?? null),
      prefOf: new Map(),
      durations,
    };
    // First preference wins should a service be listed twice (forEach in the old loop saw both; the
    // second could never be chosen over the first, as its key only adds a penalty).
    services.forEach((s, i) => {
      if (!c.prefOf.has(s)) c.prefOf.set(s, i);
    });
    const current = live.currentTicketId ? state.tickets[live.currentTicketId] : undefined;
    if (current) {
      const m = durationOf(state, c, current.serviceId, expected);
      const started = current.serviceStartedAt ?? current.calledAt ?? now;
      // A visit already longer than usual is expected to end soon, not at once.
      c.freeAt = Math.max(started + m, now + 0.25 * m);
    }
    counters.push(c);
  }
  return { state, policy, ctx, counters, lanes, expected };
}

function durationOf(state: QueueState, c: SimCounter, serviceId: string, expected: Map<string, number>) {
  let d = c.durations.get(serviceId);
  if (d === undefined) {
    d = meanMs(modelFor(state, serviceId, c.staffId, expected.get(serviceId) ?? 10 * MIN));
    c.durations.set(serviceId, d);
  }
  return d;
}

/** Where `ticket` would stand in its service's lane (binary search on the lane's order as of now). */
function positionIn(setup: Setup, ticket: Ticket): number {
  const lane = setup.lanes.get(ticket.serviceId);
  if (!lane) return 0;
  const key = setup.policy.key(ticket, 0, setup.ctx);
  let lo = 0;
  let hi = lane.tickets.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = lane.tickets[mid] as Ticket;
    if (compareKeys(setup.policy.key(t, 0, setup.ctx), key, t, ticket) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Plays the open counters forward: whenever a counter is expected to be free, it takes the ticket
 * the policy would give it among the first it may take of each of its services' lanes. Records each
 * call in `calls`; stops once `until` is called.
 *
 * Probes are tickets not in the lanes. A probe changes nothing until it is the first its service
 * offers some counter (everything before it there taken): from then on, at each of that counter's
 * turns, either it wins the turn (its call time is known: the forecast with it is this one up to
 * here) or another service's ticket does, exactly as without it; only if its own service's next
 * ticket (one behind it) would win does the forecast with it part from this one, and that probe is
 * marked to be worked out on its own. So one pass answers every service's "a ticket issued now".
 */
function play(setup: Setup, calls: Map<string, number> | null, until?: Ticket, probes: Probe[] = []): void {
  const { policy, counters, expected } = setup;
  const ctx: PolicyContext = { ...setup.ctx };
  const active = [...counters];
  let open = probes.length;
  // Per preference index: the candidate's place in its lane (lane length when none), ticket and key.
  const candIdx: number[] = [];
  const candT: (Ticket | undefined)[] = [];
  const candK: (PolicyKey | undefined)[] = [];
  while (active.length > 0) {
    let ci = 0;
    for (let i = 1; i < active.length; i++) {
      if ((active[i] as SimCounter).freeAt < (active[ci] as SimCounter).freeAt) ci = i;
    }
    const c = active[ci] as SimCounter;
    const at = c.freeAt;
    ctx.now = at;
    let best: Ticket | undefined;
    let bestKey: PolicyKey | undefined;
    let bestPref = -1;
    for (let pref = 0; pref < c.lanes.length; pref++) {
      const lane = c.lanes[pref];
      candT[pref] = undefined;
      candK[pref] = undefined;
      if (!lane) {
        candIdx[pref] = 0;
        continue;
      }
      const q = lane.tickets;
      let i = lane.head;
      while (i < q.length && lane.taken[i]) i++;
      lane.head = i;
      // The first ticket this counter may take (one sent to another counter or person is passed over).
      for (; i < q.length; i++) {
        if (lane.taken[i]) continue;
        const t = q[i] as Ticket;
        if (t.target?.counterId && t.target.counterId !== c.counterId) continue;
        if (t.target?.staffId && t.target.staffId !== c.staffId) continue;
        break;
      }
      candIdx[pref] = i;
      if (i === q.length) continue;
      const t = q[i] as Ticket;
      const k = policy.key(t, pref, ctx);
      candT[pref] = t;
      candK[pref] = k;
      if (!best || !bestKey || compareKeys(k, bestKey, t, best) < 0) {
        best = t;
        bestKey = k;
        bestPref = pref;
      }
    }
    if (open > 0) {
      for (const p of probes) {
        if (p.at !== undefined || p.diverged) continue;
        const pref = c.prefOf.get(p.serviceId);
        if (pref === undefined || (candIdx[pref] as number) < p.pos) continue;
        // It is this service's first offer to this counter.
        const k = policy.key(p.ticket, pref, ctx);
        let wins = true;
        for (let o = 0; o < c.lanes.length && wins; o++) {
          const ot = candT[o];
          if (
            o !== pref &&
            ot &&
            c.lanes[o] !== c.lanes[pref] &&
            compareKeys(k, candK[o] as PolicyKey, p.ticket, ot) >= 0
          )
            wins = false;
        }
        if (wins) p.at = at;
        else if (bestPref === pref) p.diverged = true;
        else continue;
        open--;
      }
    }
    if (!best) {
      active.splice(ci, 1); // nothing left it can take: no one arrives in a forecast
      if (calls === null && open === 0) return;
      continue;
    }
    const lane = c.lanes[bestPref] as Lane;
    lane.taken[candIdx[bestPref] as number] = 1;
    calls?.set(best.id, at);
    if (best === until) return;
    if (calls === null && open === 0) return;
    c.freeAt = at + durationOf(setup.state, c, best.serviceId, expected);
  }
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
  const setup = setUp(config, state, now, extra);
  const calls = new Map<string, number>();
  const stop = until === undefined ? undefined : until === extra?.id ? extra : state.tickets[until];
  play(setup, calls, stop);
  return calls;
}

/** One forecast of a state at an instant: every waiting ticket's call, and a walk-in's per service. */
interface Forecast {
  config: CentreConfig;
  seq: number;
  now: number;
  /** The open-ticket index it was made from: a state changed outside evolve() gets a new one. */
  index: object;
  calls: Map<string, number>;
  walkIns: Map<string, Probe>;
}

/**
 * The forecast of this state at `now`, made once: a queue:state asks for every service's estimate
 * and the ticket views for their tickets' at the same instant, and each used to play the whole
 * queue forward again. Kept beside the state like the open tickets, for its seq and instant.
 */
const forecasts = new WeakMap<QueueState, Forecast>();

function forecastOf(config: CentreConfig, state: QueueState, now: number): Forecast {
  const index = openTicketIndex(state);
  const cached = forecasts.get(state);
  if (
    cached &&
    cached.seq === state.seq &&
    cached.now === now &&
    cached.config === config &&
    cached.index === index
  )
    return cached;
  const setup = setUp(config, state, now);
  const walkIns = new Map<string, Probe>();
  for (const s of config.services) {
    const ticket = walkIn(state, s.id, now);
    walkIns.set(s.id, { ticket, serviceId: s.id, pos: positionIn(setup, ticket) });
  }
  const calls = new Map<string, number>();
  play(setup, calls, undefined, [...walkIns.values()]);
  const forecast = { config, seq: state.seq, now, index, calls, walkIns };
  forecasts.set(state, forecast);
  return forecast;
}

/** A plain walk-in ticket of this service, issued now: what the kiosk and the hall announce. */
function walkIn(state: QueueState, serviceId: string, now: number): Ticket {
  return newTicket(
    state,
    { id: `estimate:${serviceId}`, label: '', serviceId, number: 0, source: 'kiosk' },
    now,
  );
}

/** Estimate for a ticket already waiting; null when it is not waiting or no open counter serves it. */
export function estimateTicket(config: CentreConfig, state: QueueState, ticket: Ticket, now: number) {
  if (ticket.status !== 'waiting') return null;
  const cached = forecasts.get(state);
  const known =
    cached?.seq === state.seq && cached.now === now ? undefined : justIssued(config, state, ticket, now);
  const at = known !== undefined ? known.at : forecastOf(config, state, now).calls.get(ticket.id);
  return at === undefined ? null : calibrated(state, (at - now) / MIN);
}

/**
 * The call time worked out when this ticket was issued, if the state has changed by nothing but its
 * issue since and it is asked at the same instant (the issuing request's answer): the forecast of the
 * state with it is the forecast of the state before with it added, which is what the issue played.
 */
interface IssueHint {
  config: CentreConfig;
  seq: number;
  now: number;
  index: object;
  ticket: Ticket;
  at: number | undefined;
}
const issued = new WeakMap<QueueState, IssueHint>();

function justIssued(config: CentreConfig, state: QueueState, ticket: Ticket, now: number) {
  const h = issued.get(state);
  if (
    !h ||
    h.config !== config ||
    h.now !== now ||
    h.seq + 1 !== state.seq ||
    ticket.issueSeq !== state.seq || // the last event issued this very ticket
    h.index !== openTicketIndex(state) ||
    !sameForForecast(h.ticket, ticket)
  )
    return undefined;
  return { at: h.at };
}

/** What of a ticket the forecast reads. */
function sameForForecast(a: Ticket, b: Ticket): boolean {
  return (
    a.id === b.id &&
    a.issueSeq === b.issueSeq &&
    a.serviceId === b.serviceId &&
    a.arrivedAt === b.arrivedAt &&
    a.priorityClassId === b.priorityClassId &&
    a.appointment?.slotStart === b.appointment?.slotStart &&
    a.appointment?.slotEnd === b.appointment?.slotEnd &&
    a.target?.counterId === b.target?.counterId &&
    a.target?.staffId === b.target?.staffId &&
    a.status === b.status
  );
}

/** Estimate for a ticket about to be issued (it is not in the state yet). */
export function estimateNewTicket(config: CentreConfig, state: QueueState, ticket: Ticket, now: number) {
  const setup = setUp(config, state, now);
  const probe: Probe = { ticket, serviceId: ticket.serviceId, pos: positionIn(setup, ticket) };
  // Only an untargeted ticket can be played as a probe (a probe is offered to every counter of its service).
  if (!ticket.target) play(setup, null, undefined, [probe]);
  if (ticket.target || probe.diverged) {
    const calls = forecastCalls(config, state, now, ticket, ticket.id);
    probe.at = calls.get(ticket.id);
  }
  const index = openTicketIndex(state);
  issued.set(state, { config, seq: state.seq, now, index, ticket: { ...ticket }, at: probe.at });
  return probe.at === undefined ? null : calibrated(state, (probe.at - now) / MIN);
}

/** A plain walk-in ticket of this service, issued now: what the kiosk and the hall announce. */
export function estimateForService(config: CentreConfig, state: QueueState, serviceId: string, now: number) {
  const probe = forecastOf(config, state, now).walkIns.get(serviceId);
  if (!probe) return estimateNewTicket(config, state, walkIn(state, serviceId, now), now);
  if (probe.diverged) {
    probe.at = forecastCalls(config, state, now, probe.ticket, probe.ticket.id).get(probe.ticket.id);
    probe.diverged = false;
  }
  return probe.at === undefined ? null : calibrated(state, (probe.at - now) / MIN);
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
