/**
 * One simulated day at a centre, driven through the real queue engine (controller/core/engine.ts):
 * every arrival, call, skip, transfer, finish and shift change is an engine command at its
 * simulated time, and the engine's own decisions (who is called, the estimate printed) are what
 * the day records. Discrete events: arrivals drawn from the scenario, visits ending, no-shows being
 * skipped, staff coming on and off duty at the hour. Deterministic for a seed.
 */
import type { CentreConfig, PolicyName } from '../controller/centre/schema.ts';
import type { Command } from '../controller/core/commands.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { estimateService, estimateWait } from '../controller/core/estimate.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import type { Ticket } from '../controller/core/types.ts';
import { exponential, logNormal, pick, type Random, seeded } from './random.ts';
import { centreOf, poolStaff, type Scenario } from './scenario.ts';

export const MIN = 60_000;
const HOUR = 60 * MIN;
const UTC_OFFSET_HOURS = 7; // Asia/Ho_Chi_Minh

export interface DayOptions {
  seed?: number;
  policy?: PolicyName;
  /** Staff on duty per pool and hour, instead of the scenario's (staffing advice tries these). */
  byHour?: Record<string, number[]>;
  onProgress?: (done: number, total: number) => void;
  /** Keep every command and event (for the tests that compare with a live controller). */
  record?: boolean;
}

export interface TicketRecord {
  id: string;
  serviceId: string;
  priority: boolean;
  appointment: boolean;
  arrivedAt: number;
  /** From when the wait counts: arrival, or for a booking in time the later of arrival and slot start. */
  waitFrom: number;
  firstCalledAt?: number;
  estimate: { minutes: number; low: number; high: number; forecast: number } | null;
  /** The naive estimate: people ahead × mean service time ÷ counters serving the service. */
  naive: number | null;
  /** Already waiting when the simulation began (the scenario's `hall`). */
  seeded?: true;
}

export interface DayResult {
  scenario: Scenario;
  seed: number;
  policy: PolicyName;
  config: CentreConfig;
  opensAt: number;
  /** When the simulated hours begin: `opens`, or later in its hour for a scenario starting from a hall. */
  startsAt: number;
  tickets: TicketRecord[];
  /** Per 5 minutes from opening: tickets waiting and staff on duty. */
  timeline: { at: number; waiting: number; onDuty: number }[];
  busyMs: number;
  onDutyMs: number;
  finishedVisits: number;
  staffWorked: number;
  commands?: { at: number; command: Command }[];
  events?: QueueEvent[];
}

interface Arrival {
  at: number;
  serviceId: string;
  priority: boolean;
  slotStart?: number;
  noShow: boolean;
  durationMs: number;
  transfer?: { serviceId: string; durationMs: number };
  /** From the scenario's hall: waiting when the simulation began (transferred: called once already). */
  seeded?: { transferred: boolean };
}

type Planned =
  | { at: number; kind: 'arrive'; index: number }
  | { at: number; kind: 'end'; counterId: string }
  | { at: number; kind: 'skip'; counterId: string }
  | { at: number; kind: 'hour'; hour: number };
type SimEvent = Planned & { order: number };

/** A binary heap of events by time, then by the order they were planned (so ties are deterministic). */
class Agenda {
  #heap: SimEvent[] = [];
  #order = 0;
  get size(): number {
    return this.#heap.length;
  }
  push(e: Planned): void {
    const h = this.#heap;
    h.push({ ...e, order: this.#order++ } as SimEvent);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i] as SimEvent, h[p] as SimEvent)) break;
      [h[i], h[p]] = [h[p] as SimEvent, h[i] as SimEvent];
      i = p;
    }
  }
  pop(): SimEvent | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l] as SimEvent, h[m] as SimEvent)) m = l;
        if (r < h.length && before(h[r] as SimEvent, h[m] as SimEvent)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m] as SimEvent, h[i] as SimEvent];
        i = m;
      }
    }
    return top;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}

/** Local HH:MM of the scenario's date as ms since epoch. */
export function localTime(s: Scenario, hhmm: string): number {
  const [y, m, d] = s.date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(y, m - 1, d, hh - UTC_OFFSET_HOURS, mm);
}

function drawArrivals(s: Scenario, random: Random, startMs: number): Arrival[] {
  const opensAt = localTime(s, s.opens);
  const lastAt = localTime(s, s.lastTicket);
  const shares = s.services.map((x) => x.share);
  const arrivals: Arrival[] = [];
  for (let i = 0; i < s.ticketsPerDay; i++) {
    let at: number;
    do {
      const h = pick(random, s.arrivalsByHour);
      // The first hour's arrivals come after the start (a simulation from a hall starts within it).
      const from = h === 0 ? startMs : 0;
      at = opensAt + h * HOUR + from + random() * (HOUR - from);
    } while (at >= lastAt);
    const service = s.services[pick(random, shares)] as Scenario['services'][number];
    const booked = s.appointments !== undefined && random() < s.appointments.share;
    let slotStart: number | undefined;
    if (booked && s.appointments) {
      // Booked for a slot a little after they come (most come early).
      const slot = s.appointments.slotMinutes * MIN;
      const target = at + exponential(random, s.appointments.earlyMinutes * MIN);
      slotStart = Math.floor((target - opensAt) / slot) * slot + opensAt;
    }
    const transferTo = s.transfers && random() < s.transfers.share ? s.transfers.toServiceId : undefined;
    const next = s.services.find((x) => x.id === transferTo);
    arrivals.push({
      at: Math.round(at),
      serviceId: service.id,
      priority: s.priority !== undefined && random() < s.priority.share,
      slotStart,
      noShow: random() < s.noShowShare,
      durationMs: Math.round(logNormal(random, service.meanMinutes * MIN, service.cv)),
      transfer:
        next && next.id !== service.id
          ? { serviceId: next.id, durationMs: Math.round(logNormal(random, next.meanMinutes * MIN, next.cv)) }
          : undefined,
    });
  }
  return arrivals.sort((a, b) => a.at - b.at);
}

/** The scenario's hall as arrivals before the start (oldest first), drawn after the day's own arrivals. */
function hallArrivals(s: Scenario, random: Random, startsAt: number): Arrival[] {
  const midnight = localTime(s, '00:00');
  return (s.hall?.waiting ?? []).map((w) => {
    const service = s.services.find((x) => x.id === w.serviceId) as Scenario['services'][number];
    return {
      at: Math.max(midnight, Math.round(startsAt - w.waitedMinutes * MIN)),
      serviceId: w.serviceId,
      priority: w.priority,
      noShow: false,
      durationMs: Math.round(logNormal(random, service.meanMinutes * MIN, service.cv)),
      seeded: { transferred: w.transferred },
    };
  });
}

/** What is left of a visit that has gone on `elapsedMs`: a log-normal length drawn given it is longer. */
function remainingMs(random: Random, service: Scenario['services'][number], elapsedMs: number): number {
  for (let i = 0; i < 50; i++) {
    const d = logNormal(random, service.meanMinutes * MIN, service.cv);
    if (d > elapsedMs) return d - elapsedMs;
    if (service.cv === 0) break;
  }
  // Already far longer than its kind usually is: expected to end soon.
  return Math.max(MIN, (service.meanMinutes * MIN) / 4);
}

export function simulateDay(scenario: Scenario, options: DayOptions = {}): DayResult {
  const seed = options.seed ?? 1;
  const byHour = options.byHour ?? Object.fromEntries(scenario.pools.map((p) => [p.id, p.byHour]));
  // Visits in progress at the start take a counter of the first pool covering their service.
  const servingPool = (scenario.hall?.serving ?? []).map(
    (v) => scenario.pools.find((p) => p.services.includes(v.serviceId)) as Scenario['pools'][number],
  );
  const extra = Math.max(
    0,
    ...scenario.pools.map((p) => Math.max(...(byHour[p.id] ?? p.byHour)) - Math.max(...p.byHour)),
    ...scenario.pools.map((p) => servingPool.filter((x) => x === p).length - Math.max(...p.byHour)),
  );
  const base = centreOf(scenario, scenario.name, extra);
  const policy = options.policy ?? base.queue.policy;
  const config: CentreConfig = { ...base, queue: { ...base.queue, policy } };
  const random = seeded(seed);
  const opensAt = localTime(scenario, scenario.opens);
  const startsAt = opensAt + Math.round((scenario.hall?.startMinute ?? 0) * MIN);
  const arrivals = drawArrivals(scenario, random, startsAt - opensAt);
  // The hall's citizens, drawn after the day's arrivals so a scenario without a hall draws as before.
  const seededArrivals = hallArrivals(scenario, random, startsAt);
  arrivals.unshift(...seededArrivals);
  arrivals.sort((a, b) => a.at - b.at);
  // The engine starts when the first of the hall arrived (or at opening).
  const firstAt = Math.min(opensAt, ...seededArrivals.map((a) => a.at));
  const engine = QueueEngine.empty(config, firstAt);
  const commands: { at: number; command: Command }[] = [];
  const events: QueueEvent[] = [];

  const run = (command: Command, at: number) => {
    if (options.record) commands.push({ at, command });
    const outcome = engine.execute(command, at);
    if (options.record) events.push(...outcome.events);
    if (outcome.error)
      throw new Error(
        `simulation: ${command.type} refused at ${new Date(at).toISOString()}: ${outcome.error.message}`,
      );
    return outcome;
  };

  const counterOf = new Map<string, string>(); // staff id → their counter
  config.staff.forEach((p, i) => {
    counterOf.set(p.id, config.counters[i]?.id as string);
  });
  const staffServices = new Map(config.staff.map((p) => [p.id, p.services]));
  interface Desk {
    staffId: string;
    onDuty: boolean;
    leaving: boolean;
    busy: boolean;
    /** When the visit in progress began. */
    since: number;
    /** When this staff member came on duty. */
    dutySince: number;
    ticket?: Ticket;
    idleSince: number;
  }
  const desks = new Map<string, Desk>();
  for (const p of config.staff) {
    desks.set(counterOf.get(p.id) as string, {
      staffId: p.id,
      onDuty: false,
      leaving: false,
      busy: false,
      since: 0,
      dutySince: 0,
      idleSince: 0,
    });
  }
  const byTicket = new Map<string, Arrival>();
  const records = new Map<string, TicketRecord>();
  const transferred = new Set<string>();
  let busyMs = 0;
  let onDutyMs = 0;
  let finishedVisits = 0;
  const worked = new Set<string>();
  let waiting = 0;

  const agenda = new Agenda();
  arrivals.forEach((a, index) => {
    agenda.push({ at: a.at, kind: 'arrive', index });
  });
  const hours = scenario.arrivalsByHour.length;
  for (let h = 0; h < hours; h++)
    agenda.push({ at: h === 0 ? startsAt : opensAt + h * HOUR, kind: 'hour', hour: h });

  // Bookings are made before the day (the province's portal): one per booked arrival.
  arrivals.forEach((a, i) => {
    if (a.slotStart === undefined || !scenario.appointments) return;
    run(
      {
        type: 'bookAppointment',
        bookingId: `b${i + 1}`,
        serviceId: a.serviceId,
        slotStart: a.slotStart,
        slotEnd: a.slotStart + scenario.appointments.slotMinutes * MIN,
      },
      firstAt,
    );
  });
  const bookingOf = new Map(arrivals.map((a, i) => [a, `b${i + 1}`]));

  // The hall's visits in progress: each issued, its counter signed in and called before anyone of
  // the hall is issued (so the call takes exactly that ticket); the visit ends its remaining length
  // after the start. Time on duty and busy counts from the start.
  const seatsTaken = new Map<string, number>();
  (scenario.hall?.serving ?? []).forEach((v, i) => {
    const pool = servingPool[i] as Scenario['pools'][number];
    const seat = seatsTaken.get(pool.id) ?? 0;
    seatsTaken.set(pool.id, seat + 1);
    const staffId = poolStaff(pool, extra)[seat] as string;
    const counterId = counterOf.get(staffId) as string;
    const desk = desks.get(counterId) as Desk;
    const issued = run({ type: 'issueTicket', serviceId: v.serviceId, source: 'kiosk' }, firstAt).ticket;
    run({ type: 'login', counterId, staffId }, firstAt);
    const t = run({ type: 'callNext', counterId }, firstAt).ticket;
    if (!issued || t?.id !== issued.id)
      throw new Error('simulation: a visit in progress could not be set up');
    const service = scenario.services.find((x) => x.id === v.serviceId) as Scenario['services'][number];
    byTicket.set(t.id, {
      at: firstAt,
      serviceId: v.serviceId,
      priority: false,
      noShow: false,
      durationMs: 0,
    });
    Object.assign(desk, { onDuty: true, busy: true, since: startsAt, dutySince: startsAt, ticket: t });
    const left = remainingMs(random, service, v.elapsedMinutes * MIN);
    agenda.push({ at: startsAt + Math.max(1_000, Math.round(left)), kind: 'end', counterId });
  });

  const call = (counterId: string, at: number): boolean => {
    const desk = desks.get(counterId) as Desk;
    const t = run({ type: 'callNext', counterId }, at).ticket;
    if (!t) {
      desk.busy = false;
      desk.idleSince = at;
      return false;
    }
    waiting--;
    desk.busy = true;
    desk.since = at;
    desk.ticket = t;
    const rec = records.get(t.id);
    if (rec && rec.firstCalledAt === undefined) rec.firstCalledAt = at;
    const a = byTicket.get(t.id) as Arrival;
    if (a.noShow && t.transferCount === 0 && t.skipCount === 0) {
      agenda.push({ at: at + scenario.noShowMinutes * MIN, kind: 'skip', counterId });
    } else {
      const d = t.transferCount > 0 && a.transfer ? a.transfer.durationMs : a.durationMs;
      agenda.push({ at: at + Math.max(1_000, d), kind: 'end', counterId });
    }
    return true;
  };

  const release = (counterId: string, at: number) => {
    const desk = desks.get(counterId) as Desk;
    busyMs += at - desk.since;
    desk.busy = false;
    desk.ticket = undefined;
    if (desk.leaving) {
      offDuty(counterId, at);
      return;
    }
    call(counterId, at);
  };

  const offDuty = (counterId: string, at: number) => {
    const desk = desks.get(counterId) as Desk;
    run({ type: 'closeCounter', counterId }, at);
    onDutyMs += at - desk.dutySince;
    desk.onDuty = false;
    desk.leaving = false;
  };

  const idleCovering = (serviceId: string): string[] =>
    [...desks.entries()]
      .filter(
        ([, d]) => d.onDuty && !d.busy && !d.leaving && staffServices.get(d.staffId)?.includes(serviceId),
      )
      .sort((a, b) => a[1].idleSince - b[1].idleSince)
      .map(([id]) => id);

  const timeline: DayResult['timeline'] = [];
  let nextSample = opensAt;
  const onDutyCount = () => [...desks.values()].filter((d) => d.onDuty).length;
  let done = 0;

  for (let e = agenda.pop(); e; e = agenda.pop()) {
    while (nextSample <= e.at) {
      timeline.push({ at: nextSample, waiting, onDuty: onDutyCount() });
      nextSample += 5 * MIN;
    }
    switch (e.kind) {
      case 'arrive': {
        const a = arrivals[e.index] as Arrival;
        const booking = bookingOf.get(a);
        const t =
          a.slotStart !== undefined && booking
            ? run({ type: 'checkIn', bookingId: booking }, a.at).ticket
            : run(
                {
                  type: 'issueTicket',
                  serviceId: a.serviceId,
                  source: 'kiosk',
                  ...(a.priority && scenario.priority ? { priorityClassId: scenario.priority.classId } : {}),
                },
                a.at,
              ).ticket;
        if (!t) throw new Error('simulation: no ticket issued');
        waiting++;
        byTicket.set(t.id, a);
        const inTime =
          t.appointment && a.at <= t.appointment.slotEnd + config.queue.appointments.lateGraceMinutes * MIN;
        // A transferred citizen of the hall was called once already: their wait was judged then.
        if (!a.seeded?.transferred)
          records.set(t.id, {
            id: t.id,
            serviceId: t.serviceId,
            priority: t.priorityClassId !== undefined,
            appointment: t.appointment !== undefined,
            arrivedAt: a.at,
            waitFrom: inTime && t.appointment ? Math.max(a.at, t.appointment.slotStart) : a.at,
            estimate:
              t.estimatedWaitMinutesAtIssue !== null && t.estimatedWaitRangeAtIssue
                ? {
                    minutes: t.estimatedWaitMinutesAtIssue,
                    low: t.estimatedWaitRangeAtIssue[0],
                    high: t.estimatedWaitRangeAtIssue[1],
                    forecast: t.forecastMinutesAtIssue ?? t.estimatedWaitMinutesAtIssue,
                  }
                : null,
            naive: estimateWait(estimateService(config, engine.state, t.serviceId), t.peopleAheadAtIssue),
            ...(a.seeded ? { seeded: true as const } : {}),
          });
        const first = idleCovering(t.serviceId)[0];
        if (first) call(first, a.at);
        done++;
        if (options.onProgress && (done % 50 === 0 || done === arrivals.length))
          options.onProgress(done, arrivals.length);
        break;
      }
      case 'end': {
        const desk = desks.get(e.counterId) as Desk;
        const t = desk.ticket as Ticket;
        const a = byTicket.get(t.id) as Arrival;
        if (a.transfer && !transferred.has(t.id)) {
          transferred.add(t.id);
          run({ type: 'transfer', counterId: e.counterId, to: { serviceId: a.transfer.serviceId } }, e.at);
          waiting++;
          finishedVisits++;
          busyMs += e.at - desk.since;
          desk.since = e.at;
          desk.busy = false;
          desk.ticket = undefined;
          if (desk.leaving) offDuty(e.counterId, e.at);
          else call(e.counterId, e.at);
          // If this counter did not take it, anyone idle who covers its new service may.
          if (engine.state.tickets[t.id]?.status === 'waiting') {
            const idle = idleCovering(a.transfer.serviceId)[0];
            if (idle) call(idle, e.at);
          }
          break;
        }
        run({ type: 'finishService', counterId: e.counterId }, e.at);
        finishedVisits++;
        worked.add(desk.staffId);
        release(e.counterId, e.at);
        break;
      }
      case 'skip': {
        run({ type: 'skip', counterId: e.counterId }, e.at);
        release(e.counterId, e.at);
        break;
      }
      case 'hour': {
        for (const pool of scenario.pools) {
          const want = (byHour[pool.id] ?? pool.byHour)[e.hour] ?? 0;
          const ids = poolStaff(pool, extra);
          ids.forEach((staffId, i) => {
            const counterId = counterOf.get(staffId) as string;
            const desk = desks.get(counterId) as Desk;
            if (i < want) {
              desk.leaving = false;
              if (desk.onDuty) return;
              run({ type: 'login', counterId, staffId }, e.at);
              desk.onDuty = true;
              desk.dutySince = e.at;
              call(counterId, e.at);
            } else if (desk.onDuty && e.hour < hours) {
              if (desk.busy) desk.leaving = true;
              else offDuty(counterId, e.at);
            }
          });
        }
        break;
      }
    }
  }
  timeline.push({ at: nextSample, waiting, onDuty: onDutyCount() });
  // Whoever is still on duty when the last citizen is called goes home then.
  const lastAt = timeline.at(-1)?.at ?? opensAt;
  for (const desk of desks.values()) if (desk.onDuty) onDutyMs += Math.max(0, lastAt - desk.dutySince);

  return {
    scenario,
    seed,
    policy,
    config,
    opensAt,
    startsAt,
    tickets: [...records.values()],
    timeline,
    busyMs,
    onDutyMs,
    finishedVisits,
    staffWorked: worked.size,
    ...(options.record ? { commands, events } : {}),
  };
}
