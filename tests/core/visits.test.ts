import { describe, expect, it } from 'vitest';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { CommandError } from '../../controller/core/errors.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const DAY = 24 * 60 * MIN;
/** Keyed hashes of two citizens' ID numbers (the engine never sees the numbers). */
const CITIZEN_A = 'a1'.repeat(32);
const CITIZEN_B = 'b2'.repeat(32);

/** The refusal of a command, its events (a day rollover) still journaled by the harness. */
function refusal(h: EngineHarness, command: Command): CommandError {
  try {
    h.run(command);
  } catch (error) {
    if (error instanceof CommandError) return error;
    throw error;
  }
  throw new Error(`expected ${command.type} to be refused`);
}

/** Serve one citizen of `serviceId` at `counterId` from call to finish; returns the ticket id. */
function serveOne(h: EngineHarness, counterId: string, serviceId = 'dat-dai'): string {
  const t = h.issue(serviceId);
  expect(h.next(counterId)?.id).toBe(t.id);
  h.advance(3);
  h.run({ type: 'finishService', counterId });
  return t.id;
}

describe('repeated requests (requestId)', () => {
  it('answers a repeated callNext with the citizen first called, calling nobody new', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const a = h.issue('dat-dai');
    const b = h.issue('dat-dai');
    const call: Command = { type: 'callNext', counterId: 'c1', requestId: 'pad-c1:17' };
    expect(h.run(call).ticket?.id).toBe(a.id);
    h.advance(0.1);
    const again = h.run(call);
    expect(again.events).toEqual([]);
    expect(again.ticket?.id).toBe(a.id);
    expect(h.ticket(a.id).status).toBe('called');
    expect(h.ticket(b.id).status).toBe('waiting');
    expect(h.engine.state.counters.c1?.currentTicketId).toBe(a.id);
  });

  it('still recognises the repeat after a restart, once the journal is replayed', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const a = h.issue('dat-dai');
    h.issue('dat-dai');
    const call: Command = { type: 'callNext', counterId: 'c1', requestId: 'pad-c1:17' };
    h.run(call);

    const restarted = QueueEngine.empty(smallCentre(), MORNING);
    restarted.replay(h.events);
    const before = structuredClone(restarted.state);
    const again = restarted.execute(call, h.now + 2000);
    expect(again.error).toBeUndefined();
    expect(again.events).toEqual([]);
    expect(again.ticket?.id).toBe(a.id);
    expect(restarted.state).toEqual(before);
  });

  it('records the requestId on the last event of the batch only', () => {
    const h = new EngineHarness();
    h.run({ type: 'tick' });
    const login = h.run({ type: 'login', counterId: 'c1', staffId: 'ha', requestId: 'r-login' });
    expect(login.events.map((e) => [e.type, e.requestId])).toEqual([
      ['staffLoggedIn', undefined],
      ['counterOpened', 'r-login'],
    ]);
    h.issue('dat-dai');
    h.issue('dat-dai');
    h.next('c1');
    const next = h.run({ type: 'callNext', counterId: 'c1', requestId: 'r-next' });
    expect(next.events.map((e) => [e.type, e.requestId])).toEqual([
      ['serviceFinished', undefined],
      ['ticketCalled', 'r-next'],
    ]);
  });

  it('does not refuse a repeated finishService although the counter is now free', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const t = h.issue('dat-dai');
    h.next('c1');
    const finish: Command = { type: 'finishService', counterId: 'c1', requestId: 'r-fin' };
    h.run(finish);
    const again = h.run(finish);
    expect(again.events).toEqual([]);
    expect(again.ticket?.id).toBe(t.id);
  });

  it('takes a repeated rating press without an error and without a second rating', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    const press: Command = { type: 'rateVisit', counterId: 'c1', level: 2, requestId: 'kp-c1:5' };
    expect(h.run(press).events.map((e) => e.type)).toEqual(['visitRated']);
    const again = h.engine.execute(press, h.now);
    expect(again.error).toBeUndefined();
    expect(again.events).toEqual([]);
    expect(again.ticket?.id).toBe(id);
    expect(h.ticket(id).rating?.level).toBe(2);
  });

  // A callNext that only ends the visit in progress (nobody else waiting) answers with no ticket;
  // its repeat must not answer with the finished one, or a retrying call pad would show the citizen
  // who just left as the one being called.
  it('answers a repeated "next" that only finished a visit the way it answered first', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.issue('dat-dai');
    h.next('c1');
    const call: Command = { type: 'callNext', counterId: 'c1', requestId: 'pad-c1:18' };
    const first = h.run(call);
    expect(first.events.map((e) => e.type)).toEqual(['serviceFinished']);
    expect(first.ticket).toBeNull();
    const again = h.run(call);
    expect(again.events).toEqual([]);
    expect(again.ticket).toBeNull();
  });
});

describe('appointments', () => {
  const slotToday = { slotStart: MORNING + 60 * MIN, slotEnd: MORNING + 90 * MIN }; // 09:00–09:30
  const slotTomorrow = { slotStart: MORNING + DAY + 60 * MIN, slotEnd: MORNING + DAY + 90 * MIN };

  function book(h: EngineHarness, bookingId: string, slot = slotToday, serviceId = 'ho-tich') {
    return h.run({ type: 'bookAppointment', bookingId, serviceId, ...slot });
  }

  it('books a slot, refusing unknown services, ended slots and taken booking ids', () => {
    const h = new EngineHarness();
    expect(book(h, 'BK-1').events.at(-1)).toMatchObject({
      type: 'appointmentBooked',
      booking: { bookingId: 'BK-1', serviceId: 'ho-tich', status: 'booked', ...slotToday },
    });
    expect(h.engine.state.appointments['BK-1']?.status).toBe('booked');

    const unknown = refusal(h, {
      type: 'bookAppointment',
      bookingId: 'BK-2',
      serviceId: 'nope',
      ...slotToday,
    });
    expect(unknown.code).toBe('notFound');
    const ended = refusal(h, {
      type: 'bookAppointment',
      bookingId: 'BK-3',
      serviceId: 'ho-tich',
      slotStart: MORNING - 60 * MIN,
      slotEnd: MORNING - 30 * MIN,
    });
    expect(ended.code).toBe('invalid');
    const taken = refusal(h, {
      type: 'bookAppointment',
      bookingId: 'BK-1',
      serviceId: 'dat-dai',
      ...slotToday,
    });
    expect(taken.code).toBe('conflict');
    expect(h.engine.state.appointments['BK-1']?.serviceId).toBe('ho-tich');
    expect(Object.keys(h.engine.state.appointments)).toEqual(['BK-1']);
  });

  it('checks a booking in as an appointment ticket and marks the booking used', () => {
    const h = new EngineHarness();
    book(h, 'BK-2026-0042');
    h.advance(50);
    const out = h.run({ type: 'checkIn', bookingId: 'BK-2026-0042' });
    expect(out.events.map((e) => e.type)).toEqual(['ticketIssued']);
    const t = out.ticket;
    expect(t).toMatchObject({
      serviceId: 'ho-tich',
      source: 'appointment',
      status: 'waiting',
      appointment: { bookingId: 'BK-2026-0042', ...slotToday },
    });
    expect(h.engine.state.appointments['BK-2026-0042']).toMatchObject({
      status: 'checkedIn',
      ticketId: t?.id,
    });

    const twice = refusal(h, { type: 'checkIn', bookingId: 'BK-2026-0042' });
    expect(twice).toMatchObject({ code: 'conflict', reason: 'bookingUsed' });
    expect(twice.message).toContain(t?.label);
  });

  it('refuses unknown, cancelled and not-today bookings with a reason a kiosk can show', () => {
    const h = new EngineHarness();
    expect(refusal(h, { type: 'checkIn', bookingId: 'BK-none' })).toMatchObject({
      code: 'notFound',
      reason: 'bookingNotFound',
    });
    book(h, 'BK-cancelled');
    h.run({ type: 'cancelAppointment', bookingId: 'BK-cancelled' });
    expect(h.engine.state.appointments['BK-cancelled']?.status).toBe('cancelled');
    expect(refusal(h, { type: 'checkIn', bookingId: 'BK-cancelled' })).toMatchObject({
      code: 'conflict',
      reason: 'bookingCancelled',
    });
    book(h, 'BK-tomorrow', slotTomorrow);
    const early = refusal(h, { type: 'checkIn', bookingId: 'BK-tomorrow' });
    expect(early).toMatchObject({ code: 'conflict', reason: 'bookingNotToday' });
    expect(early.message).toContain('2026-11-24');
    expect(Object.values(h.engine.state.tickets)).toEqual([]);
  });

  it('cancels only a booking still booked', () => {
    const h = new EngineHarness();
    expect(refusal(h, { type: 'cancelAppointment', bookingId: 'BK-none' }).code).toBe('notFound');
    book(h, 'BK-1');
    expect(h.run({ type: 'cancelAppointment', bookingId: 'BK-1' }).events.at(-1)).toMatchObject({
      type: 'appointmentCancelled',
      bookingId: 'BK-1',
    });
    expect(refusal(h, { type: 'cancelAppointment', bookingId: 'BK-1' }).code).toBe('conflict');
    book(h, 'BK-2');
    h.run({ type: 'checkIn', bookingId: 'BK-2' });
    expect(refusal(h, { type: 'cancelAppointment', bookingId: 'BK-2' }).code).toBe('conflict');
    expect(h.engine.state.appointments['BK-2']?.status).toBe('checkedIn');
  });

  it('keeps bookings for later days across the day rollover and drops past or used ones', () => {
    const h = new EngineHarness();
    book(h, 'BK-missed'); // today, never came
    book(h, 'BK-used');
    h.run({ type: 'checkIn', bookingId: 'BK-used' });
    book(h, 'BK-cancelled');
    h.run({ type: 'cancelAppointment', bookingId: 'BK-cancelled' });
    book(h, 'BK-tomorrow', slotTomorrow);
    book(h, 'BK-next-week', {
      slotStart: MORNING + 7 * DAY,
      slotEnd: MORNING + 7 * DAY + 30 * MIN,
    });

    h.advance(24 * 60); // 08:00 the next morning
    expect(h.run({ type: 'tick' }).events.map((e) => e.type)).toEqual(['dayStarted']);
    expect(Object.keys(h.engine.state.appointments).sort()).toEqual(['BK-next-week', 'BK-tomorrow']);
    expect(h.engine.state.appointments['BK-tomorrow']?.status).toBe('booked');

    const t = h.run({ type: 'checkIn', bookingId: 'BK-tomorrow' }).ticket;
    expect(t).toMatchObject({ day: '2026-11-24', source: 'appointment', label: '2001' });
    expect(refusal(h, { type: 'checkIn', bookingId: 'BK-missed' }).reason).toBe('bookingNotFound');

    const restarted = QueueEngine.empty(smallCentre(), MORNING);
    restarted.replay(h.events);
    expect(restarted.state).toEqual(h.engine.state);
  });

  it('applies the one-ticket-per-citizen rule to a check-in too', () => {
    const h = new EngineHarness();
    const walkIn = h.issue('dat-dai', { citizenKey: CITIZEN_A });
    book(h, 'BK-1');
    const refused = refusal(h, { type: 'checkIn', bookingId: 'BK-1', citizenKey: CITIZEN_A });
    expect(refused).toMatchObject({ code: 'conflict', reason: 'alreadyHasTicket' });
    expect(refused.message).toContain(walkIn.label);
    expect(h.engine.state.appointments['BK-1']?.status).toBe('booked');
    expect(h.run({ type: 'checkIn', bookingId: 'BK-1', citizenKey: CITIZEN_B }).ticket?.citizenKey).toBe(
      CITIZEN_B,
    );
  });
});

describe('rating a visit', () => {
  it('rates the visit just finished at the counter, with the staff member who served it', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    h.advance(0.5);
    const out = h.run({ type: 'rateVisit', counterId: 'c1', level: 1 });
    expect(out.events).toEqual([
      expect.objectContaining({
        type: 'visitRated',
        ticketId: id,
        counterId: 'c1',
        staffId: 'ha',
        level: 1,
        notSatisfied: false,
      }),
    ]);
    expect(out.events[0]).not.toHaveProperty('followUpId');
    expect(out.ticket?.id).toBe(id);
    expect(h.ticket(id).rating).toEqual({ level: 1, at: h.now, notSatisfied: false, source: 'keypad' });
    expect(h.engine.state.followUps).toEqual({});
  });

  it('takes one rating per visit', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    h.run({ type: 'rateVisit', counterId: 'c1', level: 2 });
    const second = refusal(h, { type: 'rateVisit', counterId: 'c1', level: 1 });
    expect(second).toMatchObject({ code: 'conflict', reason: 'alreadyRated' });
    expect(h.ticket(id).rating?.level).toBe(2);
  });

  it('refuses a press with no visit finished at that counter', () => {
    const h = new EngineHarness().staff('c1', 'ha').staff('c2', 'minh');
    expect(refusal(h, { type: 'rateVisit', counterId: 'c1', level: 1 })).toMatchObject({
      code: 'conflict',
      reason: 'nothingToRate',
    });
    h.issue('dat-dai');
    h.next('c1'); // called, not finished
    expect(refusal(h, { type: 'rateVisit', counterId: 'c1', level: 1 }).reason).toBe('nothingToRate');
    h.run({ type: 'finishService', counterId: 'c1' });
    // A visit finished at counter 1 is not counter 2's to rate.
    expect(refusal(h, { type: 'rateVisit', counterId: 'c2', level: 1 }).reason).toBe('nothingToRate');
  });

  it('refuses a press once the rating window has passed', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    h.advance(5 + 1 / 60); // default window: 5 minutes
    expect(refusal(h, { type: 'rateVisit', counterId: 'c1', level: 1 })).toMatchObject({
      code: 'conflict',
      reason: 'nothingToRate',
    });
    expect(h.ticket(id).rating).toBeUndefined();
  });

  it('accepts a press late in the window', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    h.advance(4.9);
    h.run({ type: 'rateVisit', counterId: 'c1', level: 3 });
    expect(h.ticket(id).rating?.level).toBe(3);
  });

  it("rates a ticket's own visit from its page (rateTicket): finished, within the window, once", () => {
    const h = new EngineHarness().staff('c1', 'ha').staff('c2', 'minh');
    const id = h.issue('dat-dai').id;
    expect(refusal(h, { type: 'rateTicket', ticketId: id, level: 1 }).reason).toBe('nothingToRate');
    expect(refusal(h, { type: 'rateTicket', ticketId: 'constructor', level: 1 }).code).toBe('notFound');
    h.next('c1');
    h.advance(3);
    h.run({ type: 'finishService', counterId: 'c1' });
    // Another visit finished later at another counter does not matter: the ticket names its visit.
    serveOne(h, 'c2');
    h.run({ type: 'rateTicket', ticketId: id, level: 4 });
    expect(h.ticket(id).rating).toMatchObject({ level: 4, notSatisfied: true });
    expect(refusal(h, { type: 'rateTicket', ticketId: id, level: 1 }).reason).toBe('alreadyRated');

    const late = serveOne(h, 'c1');
    h.advance(5 + 1 / 60);
    expect(refusal(h, { type: 'rateTicket', ticketId: late, level: 1 }).reason).toBe('nothingToRate');
  });

  it('refuses a level beyond the configured scale', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    expect(refusal(h, { type: 'rateVisit', counterId: 'c1', level: 5 }).code).toBe('invalid');
    expect(h.ticket(id).rating).toBeUndefined();
  });

  it('binds the rating to the latest visit finished at the counter, not an older one', () => {
    const h = new EngineHarness().staff('c1', 'ha').staff('c2', 'minh');
    const older = h.issue('dat-dai');
    const newer = h.issue('dat-dai');
    const elsewhere = h.issue('dat-dai');
    expect(h.next('c1')?.id).toBe(older.id);
    h.advance(2);
    expect(h.next('c1')?.id).toBe(newer.id); // finishes `older`, calls `newer`
    expect(h.next('c2')?.id).toBe(elsewhere.id);
    h.advance(2);
    h.run({ type: 'finishService', counterId: 'c1' });
    h.advance(1);
    h.run({ type: 'finishService', counterId: 'c2' }); // finished later, but at another counter
    h.run({ type: 'rateVisit', counterId: 'c1', level: 2 });
    expect(h.ticket(newer.id).rating?.level).toBe(2);
    expect(h.ticket(older.id).rating).toBeUndefined();
    expect(h.ticket(elsewhere.id).rating).toBeUndefined();
  });

  it('opens a follow-up for the last level ("not satisfied"), which a manager closes', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    const label = h.ticket(id).label;
    const out = h.run({ type: 'rateVisit', counterId: 'c1', level: 4 });
    const rated = out.events[0];
    expect(rated).toMatchObject({ type: 'visitRated', notSatisfied: true, level: 4 });
    const followUpId = rated?.type === 'visitRated' ? rated.followUpId : undefined;
    expect(followUpId).toBeTypeOf('string');
    expect(h.ticket(id).rating).toMatchObject({ level: 4, notSatisfied: true });
    expect(Object.values(h.engine.state.followUps)).toEqual([
      {
        id: followUpId,
        ticketId: id,
        ticketLabel: label,
        counterId: 'c1',
        staffId: 'ha',
        level: 4,
        openedAt: h.now,
        status: 'open',
      },
    ]);

    h.advance(30);
    h.run({ type: 'closeFollowUp', followUpId: followUpId as string, note: 'Đã gọi điện xin lỗi' });
    expect(h.engine.state.followUps[followUpId as string]).toMatchObject({
      status: 'closed',
      closedAt: h.now,
      note: 'Đã gọi điện xin lỗi',
    });
    expect(refusal(h, { type: 'closeFollowUp', followUpId: followUpId as string }).code).toBe('conflict');
    expect(refusal(h, { type: 'closeFollowUp', followUpId: 'nope' }).code).toBe('notFound');
  });

  it('drops closed follow-ups at the next day and keeps the open ones', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    serveOne(h, 'c1');
    h.run({ type: 'rateVisit', counterId: 'c1', level: 4 });
    serveOne(h, 'c1');
    h.run({ type: 'rateVisit', counterId: 'c1', level: 4 });
    const [first, second] = Object.keys(h.engine.state.followUps);
    expect(first).toBeDefined();
    expect(second).toBeDefined();
    h.run({ type: 'closeFollowUp', followUpId: first as string });

    h.advance(24 * 60);
    h.run({ type: 'tick' });
    expect(Object.keys(h.engine.state.followUps)).toEqual([second]);
    expect(h.engine.state.followUps[second as string]?.status).toBe('open');

    const restarted = QueueEngine.empty(smallCentre(), MORNING);
    restarted.replay(h.events);
    expect(restarted.state.followUps).toEqual(h.engine.state.followUps);
  });

  it('counts the last level of a 3-level scale as not satisfied', () => {
    const config = smallCentre({
      ratings: { scale: [{ label: 'Hài lòng' }, { label: 'Bình thường' }, { label: 'Không hài lòng' }] },
    });
    const h = new EngineHarness(config).staff('c1', 'ha');
    const id = serveOne(h, 'c1');
    expect(refusal(h, { type: 'rateVisit', counterId: 'c1', level: 4 }).code).toBe('invalid');
    h.run({ type: 'rateVisit', counterId: 'c1', level: 3 });
    expect(h.ticket(id).rating).toMatchObject({ level: 3, notSatisfied: true });
    expect(Object.values(h.engine.state.followUps)).toEqual([
      expect.objectContaining({ ticketId: id, level: 3, status: 'open' }),
    ]);

    const other = serveOne(h, 'c1');
    h.run({ type: 'rateVisit', counterId: 'c1', level: 2 });
    expect(h.ticket(other).rating).toMatchObject({ level: 2, notSatisfied: false });
    expect(Object.keys(h.engine.state.followUps)).toHaveLength(1);
  });
});

describe('linking a visit', () => {
  it('links the citizen and the dossier to the visit at the counter', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const t = h.issue('dat-dai');
    h.next('c1');
    const out = h.run({
      type: 'linkVisit',
      counterId: 'c1',
      citizenKey: CITIZEN_A,
      dossierCode: '000.00.12.H42-261123-0001',
    });
    expect(out.events).toEqual([
      expect.objectContaining({
        type: 'visitLinked',
        ticketId: t.id,
        citizenKey: CITIZEN_A,
        dossierCode: '000.00.12.H42-261123-0001',
      }),
    ]);
    expect(h.ticket(t.id)).toMatchObject({ citizenKey: CITIZEN_A, dossierCode: '000.00.12.H42-261123-0001' });
  });

  it('links one of the two on its own, leaving the other as it was', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const t = h.issue('dat-dai', { citizenKey: CITIZEN_A });
    h.next('c1');
    h.run({ type: 'startService', counterId: 'c1' });
    const out = h.run({ type: 'linkVisit', counterId: 'c1', dossierCode: 'H42-0001' });
    expect(out.events[0]).not.toHaveProperty('citizenKey');
    expect(h.ticket(t.id)).toMatchObject({ citizenKey: CITIZEN_A, dossierCode: 'H42-0001' });
  });

  it('refuses with nobody at the counter, or with nothing to link', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    expect(refusal(h, { type: 'linkVisit', counterId: 'c1', citizenKey: CITIZEN_A })).toMatchObject({
      code: 'conflict',
      reason: 'noCurrentTicket',
    });
    h.issue('dat-dai');
    h.next('c1');
    expect(refusal(h, { type: 'linkVisit', counterId: 'c1' }).code).toBe('invalid');
    h.run({ type: 'finishService', counterId: 'c1' });
    expect(refusal(h, { type: 'linkVisit', counterId: 'c1', dossierCode: 'H42-0001' }).reason).toBe(
      'noCurrentTicket',
    );
  });
});

describe('one active ticket per citizen', () => {
  it('refuses a second ticket while the first is open, naming it', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const first = h.issue('dat-dai', { citizenKey: CITIZEN_A });
    const second = refusal(h, {
      type: 'issueTicket',
      serviceId: 'ho-tich',
      source: 'kiosk',
      citizenKey: CITIZEN_A,
    });
    expect(second).toMatchObject({ code: 'conflict', reason: 'alreadyHasTicket' });
    expect(second.message).toContain(first.label);
    expect(h.issue('ho-tich', { citizenKey: CITIZEN_B }).citizenKey).toBe(CITIZEN_B);
    expect(h.issue('ho-tich').citizenKey).toBeUndefined(); // no card scanned: no rule to apply

    h.next('c1');
    expect(
      refusal(h, { type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk', citizenKey: CITIZEN_A })
        .reason,
    ).toBe('alreadyHasTicket');
    h.run({ type: 'finishService', counterId: 'c1' });
    const again = h.issue('ho-tich', { citizenKey: CITIZEN_A });
    expect(again).toMatchObject({ citizenKey: CITIZEN_A, status: 'waiting' });
  });

  it('counts a skipped ticket that may still come back as open', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.issue('dat-dai', { citizenKey: CITIZEN_A });
    h.next('c1');
    h.run({ type: 'skip', counterId: 'c1' });
    expect(
      refusal(h, { type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk', citizenKey: CITIZEN_A })
        .reason,
    ).toBe('alreadyHasTicket');
  });

  it('allows several tickets when the centre turns the rule off', () => {
    const h = new EngineHarness(smallCentre({ citizens: { oneActiveTicketPerCitizen: false } }));
    const a = h.issue('dat-dai', { citizenKey: CITIZEN_A });
    const b = h.issue('ho-tich', { citizenKey: CITIZEN_A });
    expect([a.status, b.status]).toEqual(['waiting', 'waiting']);
  });
});

describe('refusal reasons for devices', () => {
  it('says why "next" cannot call anyone', () => {
    const h = new EngineHarness();
    h.issue('dat-dai');
    expect(refusal(h, { type: 'callNext', counterId: 'c1' })).toMatchObject({
      code: 'conflict',
      reason: 'noStaff',
    });
    h.staff('c1', 'ha');
    h.run({ type: 'pauseCounter', counterId: 'c1', reason: 'break' });
    expect(refusal(h, { type: 'callNext', counterId: 'c1' })).toMatchObject({
      code: 'conflict',
      reason: 'counterNotOpen',
    });
  });

  it('says the service is unknown', () => {
    const h = new EngineHarness();
    expect(refusal(h, { type: 'issueTicket', serviceId: 'nope', source: 'kiosk' })).toMatchObject({
      code: 'notFound',
      reason: 'unknownService',
    });
  });
});

describe('a booking used through issueTicket', () => {
  it('follows the booking: its service, its slot, once', () => {
    const h = new EngineHarness();
    const slot = { slotStart: MORNING + 30 * MIN, slotEnd: MORNING + 45 * MIN };
    h.run({ type: 'bookAppointment', bookingId: 'BK-9', serviceId: 'ho-tich', ...slot });
    const wrongService = h.engine.execute(
      {
        type: 'issueTicket',
        serviceId: 'dat-dai',
        source: 'appointment',
        appointment: { bookingId: 'BK-9', ...slot },
      },
      h.now,
    );
    expect(wrongService.error?.message).toMatch(/check it in instead/);
    const t = h.issue('ho-tich', { source: 'appointment', appointment: { bookingId: 'BK-9', ...slot } });
    expect(h.engine.state.appointments['BK-9']).toMatchObject({ status: 'checkedIn', ticketId: t.id });
    const again = h.engine.execute(
      {
        type: 'issueTicket',
        serviceId: 'ho-tich',
        source: 'appointment',
        appointment: { bookingId: 'BK-9', ...slot },
      },
      h.now,
    );
    expect(again.error?.reason).toBe('bookingUsed');
  });
});
