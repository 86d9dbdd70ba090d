/**
 * Engine commands: one zod schema each, from which the type and the request validation of every
 * adapter (HTTP, MQTT, serial) come. Every command may carry:
 * - `by`: who asked (staff, device, manager), for the audit trail;
 * - `requestId`: a client-chosen id; the same request sent again (a retry, a repeated device
 *   message) changes nothing and gets the first answer, even across a restart.
 */
import { z } from 'zod';
import { PAUSE_REASONS } from '../centre/schema.ts';
import { TICKET_SOURCES } from './types.ts';

const ref = z.string().min(1).max(80);
const epochMs = z.number().int().min(0);
/** A keyed hash of a citizen's ID number (never the number itself). */
const citizenKey = z.string().regex(/^[0-9a-f]{64}$/, 'must be a 64-digit hex keyed hash');
const dossierCode = z.string().regex(/^[A-Za-z0-9.\-_/]{4,60}$/, 'must be 4-60 letters, digits or . - _ /');

function command<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({
    type: z.literal(type),
    ...shape,
    by: ref.optional(),
    requestId: z.string().min(1).max(120).optional(),
  });
}

const slot = z
  .strictObject({ bookingId: ref.optional(), slotStart: epochMs, slotEnd: epochMs })
  .refine((a) => a.slotEnd > a.slotStart, { message: 'slotEnd must be after slotStart', path: ['slotEnd'] });

export const commandSchemas = {
  issueTicket: command('issueTicket', {
    serviceId: ref,
    source: z.enum(TICKET_SOURCES),
    priorityClassId: ref.optional(),
    appointment: slot.optional(),
    citizenKey: citizenKey.optional(),
    /** The dispenser that prints it, when not the issuer (a kiosk page on its own screen): reprints go there too. */
    printAt: ref.optional(),
  }),
  callNext: command('callNext', { counterId: ref }),
  recall: command('recall', { counterId: ref }),
  skip: command('skip', { counterId: ref }),
  returnTicket: command('returnTicket', { ticketId: ref }),
  startService: command('startService', { counterId: ref }),
  finishService: command('finishService', { counterId: ref, dossierCode: dossierCode.optional() }),
  transfer: command('transfer', {
    counterId: ref,
    to: z
      .strictObject({ serviceId: ref.optional(), counterId: ref.optional(), staffId: ref.optional() })
      .refine((t) => t.serviceId || t.counterId || t.staffId, {
        message: 'name a service, a counter or a staff member',
      })
      .refine((t) => !(t.counterId && t.staffId), { message: 'name a counter or a staff member, not both' }),
  }),
  reprint: command('reprint', { ticketId: ref }),
  cancel: command('cancel', { ticketId: ref, reason: z.string().max(200).optional() }),
  openCounter: command('openCounter', { counterId: ref }),
  closeCounter: command('closeCounter', { counterId: ref }),
  pauseCounter: command('pauseCounter', { counterId: ref, reason: z.enum(PAUSE_REASONS) }),
  resumeCounter: command('resumeCounter', { counterId: ref }),
  login: command('login', { counterId: ref, staffId: ref }),
  logout: command('logout', { counterId: ref }),
  /** A booking made elsewhere (the province's portal, the phone line); no personal data. */
  bookAppointment: command('bookAppointment', {
    bookingId: ref,
    serviceId: ref,
    slotStart: epochMs,
    slotEnd: epochMs,
  }),
  cancelAppointment: command('cancelAppointment', { bookingId: ref }),
  /** The citizen arrived for a booking (appointment QR scanned, or staff checked them in). */
  checkIn: command('checkIn', { bookingId: ref, citizenKey: citizenKey.optional() }),
  /** A rating keypad press at a counter: rates the visit just finished there. 1 = best. */
  rateVisit: command('rateVisit', { counterId: ref, level: z.number().int().min(1).max(5) }),
  /**
   * The citizen rates their own visit from their ticket page (reached with the ticket's unguessable
   * link, checked by the HTTP layer). Same rules as the keypad: the visit finished within the window,
   * once.
   */
  rateTicket: command('rateTicket', { ticketId: ref, level: z.number().int().min(1).max(5) }),
  /**
   * Staff (or a manager) record the rating a citizen wrote on the centre's paper form, for a visit
   * that finished at this counter today and has no rating yet (no time window: forms are entered
   * later). Marked as paper everywhere it is counted.
   */
  recordPaperRating: command('recordPaperRating', {
    counterId: ref,
    ticketId: ref,
    level: z.number().int().min(1).max(5),
  }),
  /** Link the visit at a counter to the citizen (ID card scanned) or the dossier received. */
  linkVisit: command('linkVisit', {
    counterId: ref,
    citizenKey: citizenKey.optional(),
    dossierCode: dossierCode.optional(),
  }),
  closeFollowUp: command('closeFollowUp', { followUpId: ref, note: z.string().max(500).optional() }),
  /** Time-driven housekeeping: day rollover, skipped tickets whose grace ran out. */
  tick: command('tick', {}),
  /**
   * A manager confirms the clock after a jump: the service day becomes today's local date even if
   * that is earlier than the day in force (a wrong future date let through), keeping open tickets.
   */
  confirmClock: command('confirmClock', {}),
} as const;

export type CommandType = keyof typeof commandSchemas;
export type CommandOf<T extends CommandType> = z.output<(typeof commandSchemas)[T]>;
export type Command = { [T in CommandType]: CommandOf<T> }[CommandType];

export const commandSchema = z.discriminatedUnion(
  'type',
  Object.values(commandSchemas) as unknown as [
    (typeof commandSchemas)[CommandType],
    ...(typeof commandSchemas)[CommandType][],
  ],
);
