/**
 * The coming hours at this centre as a simulator scenario (simulation/scenario.ts), so the staffing
 * advice's Erlang C bound can be checked and corrected by simulating those hours through the real
 * engine (simulation/staffing.ts, run in a worker by staffing-advisor.ts). Pure: time passed in.
 *
 * What it carries: the expected arrivals of each service in each coming hour (expectedArrivals, as
 * the dashboard's bound uses), the learned visit lengths and their spread (service-time.ts), the
 * skill pools (the dashboard's pools: a zone's services), today's share of priority visitors, the
 * policy in force and the wait target, and the hall as it is now (the scenario's `hall`): the
 * citizens waiting, with their services, priority and how long they have waited, and the visits at
 * the counters with how long they have gone on, so the current hour starts from the real queue.
 * Only the centre's opening hours are simulated (from the current hour: the simulation starts now,
 * with the rest of this hour's expected arrivals). What it does not carry: bookings (a booked
 * citizen waiting now counts as a walk-in), no-shows and transfers to come. Services get the hour
 * profile of all arrivals together (a scenario has one profile and a share per service).
 */
import type { CentreConfig } from '../centre/schema.ts';
import { openTickets } from '../core/open-tickets.ts';
import { cv, meanMs, modelFor } from '../core/service-time.ts';
import type { QueueState, Ticket } from '../core/types.ts';
import { type ArrivalHistory, adviceHours, expectedArrivals, pools } from './staffing-advice.ts';
import { dayStartOf } from './waits.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface LiveScenario {
  /** Scenario input (checked by simulation/scenario.ts in the worker). */
  scenario: Record<string, unknown>;
  /** Start of each simulated hour (epoch ms). */
  hourStarts: number[];
  /** Scenario pool id → the dashboard's pool id. */
  poolIds: Record<string, string>;
}

const two = (n: number) => String(n).padStart(2, '0');

function prefixOf(i: number): string {
  const letter = String.fromCharCode(65 + (i % 26));
  return i < 26 ? letter : `${letter}${Math.floor(i / 26) % 10}`;
}

/** The open tickets in a stable order (oldest first, then as issued), so the same state gives the same scenario. */
function byAge(a: Ticket, b: Ticket): number {
  return a.arrivedAt - b.arrivedAt || a.issueSeq - b.issueSeq;
}

/**
 * null when the centre has closed for the day, or when nobody is expected in the coming hours and
 * nobody is in the hall (nothing to simulate).
 */
export function liveScenario(
  config: CentreConfig,
  state: QueueState,
  now: number,
  history: ArrivalHistory | null,
  hours = 3,
): LiveScenario | null {
  const dayStart = dayStartOf(now, config.centre.timezone);
  const open = adviceHours(config, now, hours);
  const firstHour = open[0];
  const lastHour = open.at(-1);
  if (firstHour === undefined || lastHour === undefined) return null;
  const expected = expectedArrivals(config, state, now, history);
  // Contiguous hours from the first to the last advised (an hour in a break gets no arrivals).
  const span = lastHour - firstHour + 1;
  const hourList = Array.from({ length: span }, (_, i) => firstHour + i);
  const opensAt = dayStart + firstHour * HOUR;
  // The simulation starts now (or at the first open hour, before opening), from the hall as it is.
  const startsAt = Math.max(now, opensAt);
  const startMinute = Math.floor((startsAt - opensAt) / 1_000) / 60;
  const left = (h: number) => (!open.includes(h) ? 0 : h === firstHour ? 1 - startMinute / 60 : 1);

  const services: Record<string, unknown>[] = [];
  const serviceKey = new Map<string, string>();
  const perHour = new Array<number>(span).fill(0);
  // The hall now: waiting tickets and visits at a counter (called or being served).
  const hallTickets = [...openTickets(state)].sort(byAge);
  const waiting = hallTickets.filter((t) => t.status === 'waiting');
  const serving = hallTickets.filter((t) => t.status === 'called' || t.status === 'serving');
  const inHall = new Set([...waiting, ...serving].map((t) => t.serviceId));
  config.services.forEach((s, i) => {
    const counts = hourList.map((h) => expected(s.id, h) * left(h));
    const total = counts.reduce((a, b) => a + b, 0);
    if (total <= 0 && !inHall.has(s.id)) return;
    counts.forEach((n, k) => {
      perHour[k] = (perHour[k] ?? 0) + n;
    });
    const model = modelFor(state, s.id, undefined, s.expectedServiceMinutes * MIN);
    const key = `s${i + 1}`;
    serviceKey.set(s.id, key);
    services.push({
      id: key,
      name: s.name,
      prefix: prefixOf(i),
      expectedServiceMinutes: Math.min(240, s.expectedServiceMinutes),
      meanMinutes: Math.min(240, Math.max(0.1, Math.round(meanMs(model) / 6_000) / 10)),
      cv: Math.min(3, Math.max(0, Math.round(cv(model) * 100) / 100)),
      share: total,
    });
  });
  const tickets = Math.round(perHour.reduce((a, b) => a + b, 0));
  if (tickets < 1 && waiting.length === 0 && serving.length === 0) return null;
  const minutes = (ms: number) => Math.min(1440, Math.max(0, Math.round(ms / 6_000) / 10));
  const hall = {
    startMinute,
    waiting: waiting.map((t) => ({
      serviceId: serviceKey.get(t.serviceId) as string,
      // A transferred ticket waits from when it joined this queue; it was called once already.
      waitedMinutes: minutes(startsAt - (t.transferCount > 0 ? t.queuedAt : t.arrivedAt)),
      priority: t.priorityClassId !== undefined,
      transferred: t.transferCount > 0,
    })),
    serving: serving.map((t) => ({
      serviceId: serviceKey.get(t.serviceId) as string,
      elapsedMinutes: minutes(startsAt - (t.calledAt ?? t.serviceStartedAt ?? startsAt)),
    })),
  };

  const poolIds: Record<string, string> = {};
  const poolList: Record<string, unknown>[] = [];
  pools(config).forEach((p, i) => {
    const covered = p.services.map((id) => serviceKey.get(id)).filter((k): k is string => k !== undefined);
    if (covered.length === 0) return;
    const key = `p${i + 1}`;
    poolIds[key] = p.id;
    poolList.push({ id: key, name: p.name, services: covered, byHour: new Array<number>(span).fill(1) });
  });

  // Today's share of priority visitors among first legs, with the first priority class's credit.
  let firstLegs = 0;
  let priority = 0;
  for (const t of Object.values(state.tickets)) {
    if (t.arrivedAt < dayStart || t.transferCount > 0) continue;
    firstLegs++;
    if (t.priorityClassId) priority++;
  }
  const priorityClass = config.queue.priorityClasses[0];
  const end = firstHour + span;
  const date = new Date(dayStart + 12 * HOUR);
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: config.centre.timezone }).format(date);
  return {
    hourStarts: hourList.map((h) => dayStart + h * HOUR),
    poolIds,
    scenario: {
      name: config.centre.name,
      description: `the coming ${span} hour(s) at ${config.centre.name}`,
      level: config.centre.level,
      date: ymd,
      opens: `${two(firstHour)}:00`,
      lastTicket: end >= 24 ? '23:59' : `${two(end)}:00`,
      ticketsPerDay: tickets,
      arrivalsByHour: perHour,
      hall,
      services,
      pools: poolList,
      ...(priorityClass && priority > 0
        ? {
            priority: {
              share: priority / firstLegs,
              classId: 'uu-tien',
              creditMinutes: priorityClass.creditMinutes,
            },
          }
        : {}),
      queue: { policy: config.queue.policy, waitTargetMinutes: config.queue.waitTargetMinutes },
    },
  };
}
