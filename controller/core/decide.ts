/**
 * Deciding a command: checks the rules against the state and returns the events it causes, or
 * throws CommandError. Pure: the state is only read, the time is passed in.
 */
import type { CentreConfig, Counter, Staff } from '../centre/schema.ts';
import type { Command, CommandOf } from './commands.ts';
import { conflict, invalid, notFound } from './errors.ts';
import type { NewEvent } from './events.ts';
import { lastFinishedAt } from './last-finished.ts';
import { placeInLine } from './line-order.ts';
import { newTicket } from './new-ticket.ts';
import { labelHeld, openTicketOf, skippedTickets } from './open-tickets.ts';
import { own } from './own.ts';
import { pickNextBy } from './policies.ts';
import { serviceDay } from './service-day.ts';
import {
  ACTIVE_STATUSES,
  type Booking,
  type CounterState,
  type QueueState,
  type RatingSource,
  type Ticket,
} from './types.ts';
import { estimateNewTicket } from './wait-estimate.ts';

const MIN = 60_000;

export interface DecideContext {
  config: CentreConfig;
  state: QueueState;
  now: number;
}

export function decide(ctx: DecideContext, command: Command): NewEvent[] {
  if (command.requestId !== undefined && command.requestId in ctx.state.requests) {
    checkRepeat(ctx, command);
    return []; // already done: a repeat changes nothing
  }
  const { by } = command;
  return decideCommand(ctx, command).map((e) => (by === undefined ? e : { ...e, by }));
}

/** A request id names one request: reusing it for a different ticket is a client bug, said out loud. */
function checkRepeat(ctx: DecideContext, command: Command): void {
  if (command.type !== 'issueTicket') return;
  const earlier = own(ctx.state.tickets, own(ctx.state.requests, command.requestId as string));
  if (earlier && earlier.serviceId !== command.serviceId && earlier.transferCount === 0) {
    throw conflict(
      `requestId "${command.requestId}" was already used for ticket ${earlier.label} of another service`,
    );
  }
}

function decideCommand(ctx: DecideContext, command: Command): NewEvent[] {
  switch (command.type) {
    case 'issueTicket':
      return issueTicket(ctx, command);
    case 'callNext':
      return callNext(ctx, command);
    case 'recall': {
      const { ticket } = current(ctx, command.counterId, ['called', 'serving']);
      return [{ type: 'ticketRecalled', ticketId: ticket.id, counterId: command.counterId }];
    }
    case 'skip': {
      const { ticket } = current(ctx, command.counterId, ['called']);
      const final = ticket.skipCount + 1 >= ctx.config.queue.skip.maxSkips;
      const returnBy = final ? null : ctx.now + ctx.config.queue.skip.graceMinutes * MIN;
      return [{ type: 'ticketSkipped', ticketId: ticket.id, counterId: command.counterId, returnBy }];
    }
    case 'returnTicket': {
      const ticket = findTicket(ctx, command.ticketId);
      if (ticket.status !== 'skipped')
        throw conflict(`ticket ${ticket.label} is ${ticket.status}, not skipped`);
      if (ticket.returnBy !== undefined && ctx.now > ticket.returnBy) {
        throw conflict(`ticket ${ticket.label} missed its call and the time to come back has ended`);
      }
      return [{ type: 'ticketReturned', ticketId: ticket.id }];
    }
    case 'startService': {
      const { ticket } = current(ctx, command.counterId, ['called']);
      return [{ type: 'serviceStarted', ticketId: ticket.id, counterId: command.counterId }];
    }
    case 'finishService': {
      const { ticket, live } = current(ctx, command.counterId, ['called', 'serving']);
      return [finished(ctx, ticket, live, command.dossierCode)];
    }
    case 'transfer':
      return transfer(ctx, command);
    case 'reprint': {
      const ticket = findTicket(ctx, command.ticketId);
      if (ticket.status !== 'waiting' && ticket.status !== 'skipped') {
        throw conflict(`ticket ${ticket.label} is ${ticket.status}; only a waiting ticket can be reprinted`);
      }
      return [{ type: 'ticketReprinted', ticketId: ticket.id }];
    }
    case 'cancel': {
      const ticket = findTicket(ctx, command.ticketId);
      if (ticket.status === 'serving')
        throw conflict(`ticket ${ticket.label} is being served; finish or transfer it`);
      if (!['waiting', 'called', 'skipped'].includes(ticket.status)) {
        throw conflict(`ticket ${ticket.label} is already ${ticket.status}`);
      }
      return [{ type: 'ticketCancelled', ticketId: ticket.id, reason: command.reason }];
    }
    case 'openCounter': {
      const { counter, live } = counterOf(ctx, command.counterId);
      if (live.status !== 'closed') throw conflict(`counter ${counter.number} is already open`);
      return [{ type: 'counterOpened', counterId: command.counterId }];
    }
    case 'closeCounter': {
      const { counter, live } = counterOf(ctx, command.counterId);
      if (live.status === 'closed') throw conflict(`counter ${counter.number} is already closed`);
      if (live.currentTicketId) throw busy(counter);
      const events: NewEvent[] = [];
      if (live.staffId)
        events.push({ type: 'staffLoggedOut', counterId: command.counterId, staffId: live.staffId });
      events.push({ type: 'counterClosed', counterId: command.counterId });
      return events;
    }
    case 'pauseCounter': {
      const { counter, live } = counterOf(ctx, command.counterId);
      if (live.status !== 'open')
        throw conflict(`counter ${counter.number} is ${live.status}, not open`, 'counterNotOpen');
      if (live.currentTicketId) throw busy(counter);
      return [{ type: 'counterPaused', counterId: command.counterId, reason: command.reason }];
    }
    case 'resumeCounter': {
      const { counter, live } = counterOf(ctx, command.counterId);
      if (live.status !== 'paused')
        throw conflict(`counter ${counter.number} is not paused`, 'counterNotOpen');
      return [{ type: 'counterResumed', counterId: command.counterId }];
    }
    case 'login':
      return login(ctx, command);
    case 'logout': {
      const { counter, live } = counterOf(ctx, command.counterId);
      if (!live.staffId) throw conflict(`nobody is logged in at counter ${counter.number}`);
      if (live.currentTicketId) throw busy(counter);
      return [{ type: 'staffLoggedOut', counterId: command.counterId, staffId: live.staffId }];
    }
    case 'bookAppointment':
      return bookAppointment(ctx, command);
    case 'cancelAppointment': {
      const booking = own(ctx.state.appointments, command.bookingId);
      if (!booking) throw notFound(`booking "${command.bookingId}"`);
      if (booking.status !== 'booked')
        throw conflict(
          `booking "${command.bookingId}" is already ${booking.status === 'checkedIn' ? 'checked in' : 'cancelled'}`,
        );
      return [{ type: 'appointmentCancelled', bookingId: booking.bookingId }];
    }
    case 'checkIn':
      return checkIn(ctx, command);
    case 'rateVisit':
      return rateVisit(ctx, command);
    case 'rateTicket':
      return rateTicket(ctx, command);
    case 'recordPaperRating':
      return recordPaperRating(ctx, command);
    case 'linkVisit': {
      if (!command.citizenKey && !command.dossierCode)
        throw invalid('name a citizen key or a dossier code to link');
      const { ticket } = current(ctx, command.counterId, ['called', 'serving']);
      return [
        dropUndefined({
          type: 'visitLinked' as const,
          ticketId: ticket.id,
          citizenKey: command.citizenKey,
          dossierCode: command.dossierCode,
        }),
      ];
    }
    case 'closeFollowUp': {
      const f = own(ctx.state.followUps, command.followUpId);
      if (!f) throw notFound(`follow-up "${command.followUpId}"`);
      if (f.status === 'closed') throw conflict(`follow-up "${command.followUpId}" is already closed`);
      return [dropUndefined({ type: 'followUpClosed' as const, followUpId: f.id, note: command.note })];
    }
    case 'tick':
      return expireSkipped(ctx);
    case 'confirmClock':
      return confirmedDay(ctx);
    default: {
      const never: never = command;
      throw invalid(`unknown command ${(never as Command).type}`);
    }
  }
}

/**
 * After a manager confirms the clock: today's local date becomes the service day, even backwards.
 * Nobody is sent home by a clock: open tickets are carried over. Numbering continues above every
 * number that day already used (kept in `pastDays`), so no id is given twice.
 */
function confirmedDay(ctx: DecideContext): NewEvent[] {
  const { config, state, now } = ctx;
  const day = serviceDay(now, config.centre.timezone);
  if (day === state.day) return [];
  const open = Object.values(state.tickets).filter((t) => ACTIVE_STATUSES.includes(t.status));
  return [
    {
      type: 'dayStarted',
      day,
      expiredTicketIds: [],
      carriedTicketIds: open.map((t) => t.id),
      lastNumber: startingNumbers(state, day, open),
      by: 'system',
    },
  ];
}

/** The numbers a day starts from: above carried tickets and above what that day already used. */
function startingNumbers(state: QueueState, day: string, carried: readonly Ticket[]): Record<string, number> {
  const lastNumber: Record<string, number> = { ...(state.pastDays?.[day] ?? {}) };
  if (day === state.day) {
    for (const [s, n] of Object.entries(state.lastNumber)) lastNumber[s] = Math.max(lastNumber[s] ?? 0, n);
  }
  for (const t of carried) lastNumber[t.serviceId] = Math.max(lastNumber[t.serviceId] ?? 0, t.number);
  return lastNumber;
}

/** Events that start a new service day: the first ever, or once `now` is past the state's day. */
export function dayRollover(ctx: DecideContext): NewEvent[] {
  const { config, state, now } = ctx;
  const day = serviceDay(now, config.centre.timezone);
  // The journal's first event is always a dayStarted, so replay never depends on the start-up day.
  if (state.seq > 0 && day <= state.day) return [];
  const open = Object.values(state.tickets).filter((t) =>
    ['waiting', 'called', 'serving', 'skipped'].includes(t.status),
  );
  const carry = config.queue.dayEnd.unserved === 'carryOver';
  const carried = carry ? open : [];
  const lastNumber = startingNumbers(state, day, carried);
  return [
    {
      type: 'dayStarted',
      day,
      expiredTicketIds: carry ? [] : open.map((t) => t.id),
      carriedTicketIds: carried.map((t) => t.id),
      lastNumber,
      by: 'system',
    },
  ];
}

function issueTicket(ctx: DecideContext, cmd: CommandOf<'issueTicket'>): NewEvent[] {
  const { config, state, now } = ctx;
  const service = config.services.find((s) => s.id === cmd.serviceId);
  if (!service) throw notFound(`service "${cmd.serviceId}"`, 'unknownService');
  if (cmd.priorityClassId && !config.queue.priorityClasses.some((p) => p.id === cmd.priorityClassId)) {
    throw notFound(`priority class "${cmd.priorityClassId}"`);
  }
  const booking = cmd.appointment?.bookingId ? own(state.appointments, cmd.appointment.bookingId) : undefined;
  if (booking) {
    // A booking this centre knows is used on its own terms: its service, its slot, its day, once.
    usableBooking(ctx, booking);
    const slot = cmd.appointment;
    if (
      booking.serviceId !== cmd.serviceId ||
      slot?.slotStart !== booking.slotStart ||
      slot?.slotEnd !== booking.slotEnd
    ) {
      throw invalid(
        `booking "${booking.bookingId}" is for ${booking.serviceId} at its own slot; check it in instead`,
      );
    }
  }
  if (cmd.source === 'appointment' && !cmd.appointment) {
    throw invalid('an appointment check-in needs its appointment slot');
  }
  if (cmd.citizenKey && config.citizens.oneActiveTicketPerCitizen) {
    const active = openTicketOf(state, cmd.citizenKey);
    if (active)
      throw conflict(`this citizen already has an open ticket, ${active.label}`, 'alreadyHasTicket');
  }
  const { number, label } = nextNumber(state, service, config.queue.numberDigits);
  const ticket = newTicket(
    state,
    {
      id: ticketId(state.day, service.id, number),
      label,
      serviceId: service.id,
      number,
      source: cmd.source,
      priorityClassId: cmd.priorityClassId,
      appointment: cmd.appointment,
      citizenKey: cmd.citizenKey,
      printedOn: cmd.printAt,
    },
    now,
  );
  const ahead = placeInLine(state, config.queue, ticket, now);
  ticket.peopleAheadAtIssue = ahead;
  const estimate = estimateNewTicket(config, state, ticket, now);
  if (estimate) {
    ticket.estimatedWaitMinutesAtIssue = estimate.minutes;
    ticket.estimatedWaitRangeAtIssue = [estimate.low, estimate.high];
    ticket.forecastMinutesAtIssue = estimate.forecast;
  }
  return [{ type: 'ticketIssued', ticket: dropUndefined(ticket) }];
}

/**
 * A ticket's identity: the day, the service and its number that day, which never repeat. The
 * printed label plays no part in it, so two tickets can never be one even if their labels are.
 */
export function ticketId(day: string, serviceId: string, number: number): string {
  return `${day}:${serviceId}:${number}`;
}

/**
 * The next number of a service and its label (prefix + number padded to `digits`). Numbers only
 * grow within a day. Once they pass the padding (999 for 3 digits) the label wraps to 001, 002, …
 * skipping every label still held by an open ticket of the service (numbers skipped are not
 * reused). Only if every label of that width is held does it widen (prefix + 1000, …), which no
 * padded label can equal. With prefixes of which none begins another (the schema's rule), a
 * label therefore names one open ticket of the day.
 */
export function nextNumber(
  state: QueueState,
  service: { id: string; prefix: string },
  digits: number,
): { number: number; label: string } {
  const last = state.lastNumber[service.id] ?? 0;
  const span = 10 ** digits - 1; // labels 1 … 999 for 3 digits
  // A number whose ticket the state holds is never given again (a damaged lastNumber cannot reissue).
  const taken = (number: number) => state.tickets[ticketId(state.day, service.id, number)] !== undefined;
  for (let number = last + 1, tries = 0; tries < span; number++) {
    if (taken(number)) continue;
    tries++;
    const label = service.prefix + String(((number - 1) % span) + 1).padStart(digits, '0');
    if (!labelHeld(state, service.id, label)) return { number, label };
  }
  let number = Math.max(last + 1, span + 1);
  while (taken(number)) number++;
  return { number, label: service.prefix + String(number) };
}

function bookAppointment(ctx: DecideContext, cmd: CommandOf<'bookAppointment'>): NewEvent[] {
  if (!ctx.config.services.some((s) => s.id === cmd.serviceId)) throw notFound(`service "${cmd.serviceId}"`);
  if (cmd.slotEnd <= cmd.slotStart) throw invalid('slotEnd must be after slotStart');
  if (cmd.slotEnd < ctx.now) throw invalid('the slot has already ended');
  const existing = own(ctx.state.appointments, cmd.bookingId);
  if (existing && existing.status !== 'cancelled')
    throw conflict(`booking "${cmd.bookingId}" already exists`);
  const { bookingId, serviceId, slotStart, slotEnd } = cmd;
  return [
    { type: 'appointmentBooked', booking: { bookingId, serviceId, slotStart, slotEnd, status: 'booked' } },
  ];
}

function checkIn(ctx: DecideContext, cmd: CommandOf<'checkIn'>): NewEvent[] {
  const booking = own(ctx.state.appointments, cmd.bookingId);
  if (!booking) throw notFound(`booking "${cmd.bookingId}"`, 'bookingNotFound');
  usableBooking(ctx, booking);
  return issueTicket(ctx, {
    type: 'issueTicket',
    serviceId: booking.serviceId,
    source: 'appointment',
    appointment: { bookingId: booking.bookingId, slotStart: booking.slotStart, slotEnd: booking.slotEnd },
    citizenKey: cmd.citizenKey,
  });
}

function usableBooking(ctx: DecideContext, booking: Booking): void {
  if (booking.status === 'cancelled')
    throw conflict(`booking "${booking.bookingId}" was cancelled`, 'bookingCancelled');
  if (booking.status === 'checkedIn') {
    const t = own(ctx.state.tickets, booking.ticketId);
    throw conflict(
      `booking "${booking.bookingId}" is already checked in${t ? ` as ticket ${t.label}` : ''}`,
      'bookingUsed',
    );
  }
  if (serviceDay(booking.slotStart, ctx.config.centre.timezone) !== ctx.state.day) {
    throw conflict(
      `booking "${booking.bookingId}" is for ${serviceDay(booking.slotStart, ctx.config.centre.timezone)}, not today`,
      'bookingNotToday',
    );
  }
}

/**
 * A rating rates the visit finished last at the counter, within the window, once. Pressing again,
 * or with nothing finished recently, is refused: a rating must belong to one visit.
 */
function rateVisit(ctx: DecideContext, cmd: CommandOf<'rateVisit'>): NewEvent[] {
  const { config, state, now } = ctx;
  const { counter } = counterOf(ctx, cmd.counterId);
  const scale = config.ratings.scale;
  if (cmd.level > scale.length) throw invalid(`level must be 1 to ${scale.length}`);
  const last = lastFinishedAt(state, counter.id);
  if (!last || now - (last.finishedAt as number) > config.ratings.windowMinutes * MIN) {
    throw conflict(
      `no visit finished at counter ${counter.number} in the last ${config.ratings.windowMinutes} minutes`,
      'nothingToRate',
    );
  }
  return rated(ctx, last, cmd.level, 'keypad');
}

/** The citizen's own rating of their visit (ticket page): the visit must be finished, lately, unrated. */
function rateTicket(ctx: DecideContext, cmd: CommandOf<'rateTicket'>): NewEvent[] {
  const { config, state, now } = ctx;
  const t = own(state.tickets, cmd.ticketId);
  if (!t) throw notFound(`ticket "${cmd.ticketId}" not found (today's tickets only)`);
  if (t.status !== 'done' || t.finishedAt === undefined || !t.counterId) {
    throw conflict(`the visit of ticket ${t.label} is not finished`, 'nothingToRate');
  }
  if (now - t.finishedAt > config.ratings.windowMinutes * MIN) {
    throw conflict(
      `the visit of ticket ${t.label} finished more than ${config.ratings.windowMinutes} minutes ago`,
      'nothingToRate',
    );
  }
  return rated(ctx, t, cmd.level, 'ticket-link');
}

/**
 * A rating from the centre's paper form, entered by staff: for a visit that finished at this counter
 * today, not rated yet (a citizen's own rating is never replaced, nor a paper one by the citizen).
 * No window: forms are collected and entered later in the day.
 */
function recordPaperRating(ctx: DecideContext, cmd: CommandOf<'recordPaperRating'>): NewEvent[] {
  const { state, config } = ctx;
  const { counter } = counterOf(ctx, cmd.counterId);
  const t = own(state.tickets, cmd.ticketId);
  if (!t) throw notFound(`ticket "${cmd.ticketId}" not found (today's tickets only)`);
  if (t.status !== 'done' || t.finishedAt === undefined || t.counterId !== counter.id) {
    throw conflict(`ticket ${t.label} has no visit finished at counter ${counter.number}`, 'nothingToRate');
  }
  if (serviceDay(t.finishedAt, config.centre.timezone) !== state.day) {
    throw conflict(`the visit of ticket ${t.label} did not finish today`, 'nothingToRate');
  }
  return rated(ctx, t, cmd.level, 'paper');
}

function rated(ctx: DecideContext, t: Ticket, level: number, source: RatingSource): NewEvent[] {
  const scale = ctx.config.ratings.scale;
  if (level > scale.length) throw invalid(`level must be 1 to ${scale.length}`);
  if (t.rating) throw conflict(`the visit of ticket ${t.label} is already rated`, 'alreadyRated');
  const notSatisfied = level === scale.length;
  return [
    dropUndefined({
      type: 'visitRated' as const,
      ticketId: t.id,
      counterId: t.counterId as string,
      staffId: t.staffId ?? 'unknown',
      level,
      notSatisfied,
      followUpId: notSatisfied ? `${t.id}:rating` : undefined,
      source,
    }),
  ];
}

function callNext(ctx: DecideContext, cmd: CommandOf<'callNext'>): NewEvent[] {
  const { counter, live } = counterOf(ctx, cmd.counterId);
  const staff = staffAt(ctx, counter, live);
  if (live.status !== 'open') throw conflict(`counter ${counter.number} is ${live.status}`, 'counterNotOpen');
  const events: NewEvent[] = [];
  // "Next" on a call pad also ends the visit in progress: one button is what staff press.
  const inProgress = live.currentTicketId ? ctx.state.tickets[live.currentTicketId] : undefined;
  if (inProgress) events.push(finished(ctx, inProgress, live));
  const next = pickNextBy(ctx.config, {
    state: ctx.state,
    rules: ctx.config.queue,
    counter,
    staff,
    now: ctx.now,
  });
  if (next)
    events.push({ type: 'ticketCalled', ticketId: next.id, counterId: counter.id, staffId: staff.id });
  return events;
}

function transfer(ctx: DecideContext, cmd: CommandOf<'transfer'>): NewEvent[] {
  const { config } = ctx;
  const { ticket } = current(ctx, cmd.counterId, ['called', 'serving']);
  const serviceId = cmd.to.serviceId ?? ticket.serviceId;
  if (!config.services.some((s) => s.id === serviceId))
    throw notFound(`service "${serviceId}"`, 'transferTarget');
  if (cmd.to.counterId) {
    const target = config.counters.find((c) => c.id === cmd.to.counterId);
    if (!target) throw notFound(`counter "${cmd.to.counterId}"`, 'transferTarget');
    if (target.services.length > 0 && !target.services.includes(serviceId)) {
      throw conflict(`counter ${target.number} does not serve "${serviceId}"`, 'transferTarget');
    }
  }
  if (cmd.to.staffId) {
    const person = config.staff.find((s) => s.id === cmd.to.staffId);
    if (!person) throw notFound(`staff member "${cmd.to.staffId}"`, 'transferTarget');
    if (!person.services.includes(serviceId)) {
      throw conflict(`${person.name} does not cover "${serviceId}"`, 'transferTarget');
    }
  }
  const target =
    cmd.to.counterId || cmd.to.staffId
      ? dropUndefined({ counterId: cmd.to.counterId, staffId: cmd.to.staffId })
      : undefined;
  return [
    { type: 'ticketTransferred', ticketId: ticket.id, fromCounterId: cmd.counterId, serviceId, target },
  ];
}

function login(ctx: DecideContext, cmd: CommandOf<'login'>): NewEvent[] {
  const { counter, live } = counterOf(ctx, cmd.counterId);
  const staff = ctx.config.staff.find((s) => s.id === cmd.staffId);
  if (!staff) throw notFound(`staff member "${cmd.staffId}"`);
  if (live.staffId === staff.id) return [];
  if (live.staffId)
    throw conflict(
      `counter ${counter.number} is in use by another staff member; log them out first`,
      'counterTaken',
    );
  const elsewhere = Object.values(ctx.state.counters).find((c) => c.staffId === staff.id);
  if (elsewhere?.currentTicketId) {
    throw conflict(
      `${staff.name} is serving a citizen at ${counterLabel(ctx, elsewhere.id)}; finish or transfer first`,
      'staffServingElsewhere',
    );
  }
  const events: NewEvent[] = [];
  if (elsewhere) events.push({ type: 'staffLoggedOut', counterId: elsewhere.id, staffId: staff.id });
  events.push({ type: 'staffLoggedIn', counterId: cmd.counterId, staffId: staff.id });
  if (live.status === 'closed') events.push({ type: 'counterOpened', counterId: cmd.counterId });
  return events;
}

function expireSkipped(ctx: DecideContext): NewEvent[] {
  // In issue order (the order of state.tickets), as a walk of every ticket would list them.
  return [...skippedTickets(ctx.state)]
    .filter((t) => t.returnBy !== undefined && t.returnBy <= ctx.now)
    .sort((a, b) => a.issueSeq - b.issueSeq)
    .map((t) => ({ type: 'ticketNoShow' as const, ticketId: t.id }));
}

function finished(ctx: DecideContext, ticket: Ticket, live: CounterState, dossierCode?: string): NewEvent {
  const service = ctx.config.services.find((s) => s.id === ticket.serviceId);
  return dropUndefined({
    type: 'serviceFinished',
    ticketId: ticket.id,
    counterId: live.id,
    staffId: live.staffId ?? ticket.staffId ?? 'unknown',
    dossierCode,
    expectedServiceMs: service ? service.expectedServiceMinutes * MIN : undefined,
  });
}

function counterOf(ctx: DecideContext, counterId: string): { counter: Counter; live: CounterState } {
  const counter = ctx.config.counters.find((c) => c.id === counterId);
  if (!counter) throw notFound(`counter "${counterId}"`);
  const live = own(ctx.state.counters, counterId) ?? { id: counterId, status: 'closed', pausedMs: {} };
  return { counter, live };
}

function staffAt(ctx: DecideContext, counter: Counter, live: CounterState): Staff {
  if (!live.staffId) throw conflict(`nobody is logged in at counter ${counter.number}`, 'noStaff');
  const staff = ctx.config.staff.find((s) => s.id === live.staffId);
  if (!staff)
    throw conflict(`staff member "${live.staffId}" at counter ${counter.number} is no longer configured`);
  return staff;
}

function current(
  ctx: DecideContext,
  counterId: string,
  allowed: Ticket['status'][],
): { counter: Counter; live: CounterState; ticket: Ticket } {
  const { counter, live } = counterOf(ctx, counterId);
  const ticket = live.currentTicketId ? ctx.state.tickets[live.currentTicketId] : undefined;
  if (!ticket) throw conflict(`counter ${counter.number} has no citizen called`, 'noCurrentTicket');
  if (!allowed.includes(ticket.status))
    throw conflict(`ticket ${ticket.label} is ${ticket.status}`, 'wrongTicketState');
  return { counter, live, ticket };
}

function busy(counter: Counter) {
  return conflict(`counter ${counter.number} is serving a citizen; finish or transfer first`, 'counterBusy');
}

function counterLabel(ctx: DecideContext, counterId: string): string {
  const counter = ctx.config.counters.find((c) => c.id === counterId);
  return counter ? `counter ${counter.number}` : `counter ${counterId}`;
}

function findTicket(ctx: DecideContext, ticketId: string): Ticket {
  // A label names at most one open ticket; a wrapped label may also be on closed ones.
  const byLabel = Object.values(ctx.state.tickets).filter((t) => t.label === ticketId);
  const ticket =
    own(ctx.state.tickets, ticketId) ??
    byLabel.find((t) => ACTIVE_STATUSES.includes(t.status)) ??
    byLabel.at(-1);
  if (!ticket) throw notFound(`ticket "${ticketId}"`);
  return ticket;
}

/** Journal lines stay small and replay-equal when absent fields are absent, not undefined. */
function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
