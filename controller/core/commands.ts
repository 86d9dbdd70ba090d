/**
 * Engine commands: one zod schema each, from which the type and the request validation of every
 * adapter (HTTP, MQTT, serial) come. `by` names who asked (staff, device, manager), for the audit trail.
 */
import { z } from 'zod';
import { PAUSE_REASONS } from '../centre/schema.ts';
import { TICKET_SOURCES } from './types.ts';

const ref = z.string().min(1).max(80);
const by = ref.optional();
const epochMs = z.number().int().min(0);

export const commandSchemas = {
  issueTicket: z.strictObject({
    type: z.literal('issueTicket'),
    serviceId: ref,
    source: z.enum(TICKET_SOURCES),
    priorityClassId: ref.optional(),
    appointment: z
      .strictObject({ bookingId: ref.optional(), slotStart: epochMs, slotEnd: epochMs })
      .refine((a) => a.slotEnd > a.slotStart, {
        message: 'slotEnd must be after slotStart',
        path: ['slotEnd'],
      })
      .optional(),
    /** Client-chosen id: the same request sent twice gets the same ticket. */
    requestId: z.string().min(1).max(100).optional(),
    by,
  }),
  callNext: z.strictObject({ type: z.literal('callNext'), counterId: ref, by }),
  recall: z.strictObject({ type: z.literal('recall'), counterId: ref, by }),
  skip: z.strictObject({ type: z.literal('skip'), counterId: ref, by }),
  returnTicket: z.strictObject({ type: z.literal('returnTicket'), ticketId: ref, by }),
  startService: z.strictObject({ type: z.literal('startService'), counterId: ref, by }),
  finishService: z.strictObject({
    type: z.literal('finishService'),
    counterId: ref,
    dossierCode: z.string().min(1).max(60).optional(),
    by,
  }),
  transfer: z.strictObject({
    type: z.literal('transfer'),
    counterId: ref,
    to: z
      .strictObject({ serviceId: ref.optional(), counterId: ref.optional(), staffId: ref.optional() })
      .refine((t) => t.serviceId || t.counterId || t.staffId, {
        message: 'name a service, a counter or a staff member',
      })
      .refine((t) => !(t.counterId && t.staffId), { message: 'name a counter or a staff member, not both' }),
    by,
  }),
  reprint: z.strictObject({ type: z.literal('reprint'), ticketId: ref, by }),
  cancel: z.strictObject({
    type: z.literal('cancel'),
    ticketId: ref,
    reason: z.string().max(200).optional(),
    by,
  }),
  openCounter: z.strictObject({ type: z.literal('openCounter'), counterId: ref, by }),
  closeCounter: z.strictObject({ type: z.literal('closeCounter'), counterId: ref, by }),
  pauseCounter: z.strictObject({
    type: z.literal('pauseCounter'),
    counterId: ref,
    reason: z.enum(PAUSE_REASONS),
    by,
  }),
  resumeCounter: z.strictObject({ type: z.literal('resumeCounter'), counterId: ref, by }),
  login: z.strictObject({ type: z.literal('login'), counterId: ref, staffId: ref, by }),
  logout: z.strictObject({ type: z.literal('logout'), counterId: ref, by }),
  /** Time-driven housekeeping: day rollover, skipped tickets whose grace ran out. */
  tick: z.strictObject({ type: z.literal('tick'), by }),
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
