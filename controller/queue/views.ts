/**
 * Read models of the live queue for the API and socket.io: derived from configuration + state,
 * never stored. They hold no personal data: a ticket's citizenKey (a keyed hash) is left out.
 */
import type { CentreConfig, Counter, Service } from '../centre/schema.ts';
import { rank, servicesAt } from '../core/assignment.ts';
import { estimateService } from '../core/estimate.ts';
import { placeInLine } from '../core/line-order.ts';
import { openTickets } from '../core/open-tickets.ts';
import { policyQueue } from '../core/policies.ts';
import { recentCalls as latestCalls } from '../core/recent-calls.ts';
import { serviceDay } from '../core/service-day.ts';
import type { QueueState, Ticket } from '../core/types.ts';
import { estimateForService, estimateTicket, type WaitEstimate } from '../core/wait-estimate.ts';
import { waitingOf } from '../core/waiting.ts';

/** An estimate as screens show it: the range ("khoảng 20–30 phút") and the single number. */
function waitRange(e: WaitEstimate | null) {
  return e ? { minutes: e.minutes, low: e.low, high: e.high } : null;
}

const MIN = 60_000;
const RECENT_CALLS = 10;

export function ticketSummary(t: Ticket) {
  return {
    id: t.id,
    label: t.label,
    serviceId: t.serviceId,
    status: t.status,
    source: t.source,
    priorityClassId: t.priorityClassId ?? null,
    // The slot only: a booking id would let anyone check the booking in.
    appointment: t.appointment
      ? { slotStart: t.appointment.slotStart, slotEnd: t.appointment.slotEnd }
      : null,
    arrivedAt: t.arrivedAt,
    counterId: t.counterId ?? null,
    calledAt: t.calledAt ?? null,
    returnBy: t.returnBy ?? null,
    target: t.target ?? null,
  };
}

/** A service's estimated wait for a walk-in issued now (estimateForService), or one made a little earlier. */
export type ServiceWait = (serviceId: string) => WaitEstimate | null;

export function queueView(config: CentreConfig, state: QueueState, now: number, waitOf?: ServiceWait) {
  const active = [...openTickets(state)].sort((a, b) => a.issueSeq - b.issueSeq);
  const services = config.services.map((s) => serviceView(config, state, s, now, waitOf));
  const counters = config.counters.map((c) => counterView(config, state, c));
  const recentCalls = latestCalls(state, RECENT_CALLS).map((t) => ({
    ticketId: t.id,
    label: t.label,
    counterId: t.counterId as string,
    counterNumber: config.counters.find((c) => c.id === t.counterId)?.number ?? null,
    calledAt: t.calledAt as number,
    // The call's id: hall displays announce each call once, across reconnects and reloads.
    callSeq: t.callSeq ?? 0,
    // A call whose ticket is being served, done or a no-show is not shown as current.
    status: t.status,
  }));
  return {
    centre: { id: config.centre.id, name: config.centre.name },
    day: state.day,
    seq: state.seq,
    now,
    services,
    counters,
    tickets: active.map(ticketSummary),
    recentCalls,
  };
}

/** One service as screens show it: how many wait, the longest wait so far, the estimate. */
export function serviceView(
  config: CentreConfig,
  state: QueueState,
  s: Service,
  now: number,
  waitOf: ServiceWait = (id) => estimateForService(config, state, id, now),
) {
  const estimate = estimateService(config, state, s.id);
  const wait = estimate.servingCounters === 0 ? null : waitOf(s.id);
  const oldest = waitingOf(state, s.id).oldestArrivedAt;
  return {
    id: s.id,
    name: s.name,
    nameEn: s.nameEn ?? null,
    prefix: s.prefix,
    zoneId: s.zoneId ?? null,
    waiting: estimate.waiting,
    servingCounters: estimate.servingCounters,
    estimatedWaitMinutes: wait?.minutes ?? null,
    estimatedWait: waitRange(wait),
    longestWaitMinutes: Number.isFinite(oldest) ? Math.floor((now - oldest) / MIN) : 0,
  };
}

/** One counter as screens show it: state, who sits there, the visit in progress (number only). */
export function counterView(config: CentreConfig, state: QueueState, c: Counter) {
  const live = state.counters[c.id];
  const staff = config.staff.find((s) => s.id === live?.staffId);
  const current = live?.currentTicketId ? state.tickets[live.currentTicketId] : undefined;
  return {
    id: c.id,
    number: c.number,
    name: c.name,
    zoneId: c.zoneId ?? null,
    status: live?.status ?? 'closed',
    pauseReason: live?.pauseReason ?? null,
    pausedSince: live?.pausedAt ?? null,
    staff: staff ? { id: staff.id, name: staff.name } : null,
    current: current
      ? {
          ticketId: current.id,
          label: current.label,
          serviceId: current.serviceId,
          status: current.status,
          calledAt: current.calledAt ?? null,
          serviceStartedAt: current.serviceStartedAt ?? null,
        }
      : null,
  };
}

/** One ticket as its holder sees it: where it stands and how long it may take. */
export function ticketView(config: CentreConfig, state: QueueState, t: Ticket, now: number) {
  const service = config.services.find((s) => s.id === t.serviceId);
  const peopleAhead = t.status === 'waiting' ? placeInLine(state, config.queue, t, now) : 0;
  const wait = estimateTicket(config, state, t, now);
  return {
    ...ticketSummary(t),
    serviceName: service?.name ?? t.serviceId,
    counterNumber: config.counters.find((c) => c.id === t.counterId)?.number ?? null,
    peopleAhead,
    estimatedWaitMinutes: wait?.minutes ?? null,
    estimatedWait: waitRange(wait),
    issuedAt: t.issuedAt,
    finishedAt: t.finishedAt ?? null,
  };
}

/**
 * The ticket as its holder sees it through the ticket's own link (the QR code): the public view, its
 * rating, and whether it can still be rated (finished, unrated, within the rating window) on which scale.
 */
export function ticketHolderView(config: CentreConfig, state: QueueState, t: Ticket, now: number) {
  const { scale, windowMinutes } = config.ratings;
  const rateableUntil =
    t.status === 'done' && t.finishedAt !== undefined && t.counterId
      ? t.finishedAt + windowMinutes * MIN
      : null;
  return {
    ...ticketView(config, state, t, now),
    rating: t.rating ? { level: t.rating.level, at: t.rating.at } : null,
    canRate: !t.rating && rateableUntil !== null && now <= rateableUntil,
    rateableUntil,
    ratingScale: scale.map((l) => ({ label: l.label, labelEn: l.labelEn ?? null })),
  };
}

/**
 * The order in which this counter's next calls would go under the policy in force (policyQueue, the
 * same keys as "next"), for the staff console; `urgent` and `held` are today's rule's flags.
 */
export function counterQueueView(config: CentreConfig, state: QueueState, counterId: string, now: number) {
  const counter = config.counters.find((c) => c.id === counterId);
  const staffId = state.counters[counterId]?.staffId;
  const staff = config.staff.find((s) => s.id === staffId);
  if (!counter || !staff) return [];
  const services = servicesAt(counter, staff);
  return policyQueue(config, { state, rules: config.queue, counter, staff, now }).map((t) => {
    const r = rank(t, services.indexOf(t.serviceId), config.queue, now);
    return {
      ...ticketSummary(t),
      urgent: r.urgent,
      held: r.held,
      waitedMinutes: Math.floor((now - t.arrivedAt) / MIN),
    };
  });
}

/**
 * The visits finished at a counter today that have no rating yet, latest first: those staff may
 * record a paper rating form for (the staff console's "Ghi phiếu đánh giá giấy"). The citizen may
 * still rate the latest ones on the keypad or their ticket page; whichever comes first counts.
 */
export function paperRateableVisits(config: CentreConfig, state: QueueState, counterId: string) {
  const out: { ticketId: string; label: string; serviceId: string; finishedAt: number }[] = [];
  for (const t of Object.values(state.tickets)) {
    if (t.status !== 'done' || t.rating || t.counterId !== counterId || t.finishedAt === undefined) continue;
    if (serviceDay(t.finishedAt, config.centre.timezone) !== state.day) continue;
    out.push({ ticketId: t.id, label: t.label, serviceId: t.serviceId, finishedAt: t.finishedAt });
  }
  return out.sort((a, b) => b.finishedAt - a.finishedAt);
}

/** The centre as screens need it: names and who covers what (no secrets, no device details). */
export function centreView(c: CentreConfig) {
  return {
    centre: c.centre,
    zones: c.zones,
    services: c.services,
    counters: c.counters,
    staff: c.staff.map((s) => ({ id: s.id, name: s.name, services: s.services })),
    priorityClasses: c.queue.priorityClasses,
    rules: c.queue,
    ratingScale: c.ratings.scale,
  };
}
