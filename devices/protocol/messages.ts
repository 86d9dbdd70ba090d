/**
 * Every payload of device protocol v1, as zod schemas: the one place the controller, the
 * simulators, the tests and docs/protocol.md take message shapes from. JSON, UTF-8.
 */
import { z } from 'zod';
import { DEVICE_TYPES, PAUSE_REASONS } from '../vocabulary.ts';

/** Largest payload the controller accepts from a device, in bytes. */
export const MAX_PAYLOAD_BYTES = 4096;

const ref = z.string().min(1).max(80);
const epochMs = z.number().int().min(0);
/** A random id the device picks at every boot; with `seq` it names each event once. */
const boot = z.string().min(4).max(40).describe('random id chosen at every boot');
const seq = z
  .number()
  .int()
  .min(0)
  .max(2 ** 53 - 1)
  .describe('event counter, from 0 at each boot, +1 per event');

// ── device → controller ──────────────────────────────────────────────────────

export const birthSchema = z.strictObject({
  proto: z.literal(1).describe('protocol version'),
  type: z.enum(DEVICE_TYPES),
  fw: z.string().min(1).max(40).describe('firmware version'),
  hw: z.string().max(60).optional().describe('hardware model'),
  caps: z.array(z.string().max(30)).max(20).default([]).describe('capabilities, e.g. "printer", "qr"'),
  boot,
});

export const availabilitySchema = z.strictObject({
  state: z.enum(['online', 'offline']),
});

const eventBase = { boot, seq, ts: epochMs.optional().describe('device clock, ms (informational)') };

export const CALL_PAD_KEYS = [
  'next',
  'recall',
  'skip',
  'start',
  'finish',
  'pause',
  'resume',
  'transfer',
] as const;

export const eventSchemas = {
  /** Dispenser: a service button was pressed. */
  button: z.strictObject({
    ...eventBase,
    type: z.literal('button'),
    serviceId: ref,
    priorityClassId: ref.optional(),
  }),
  /** Call pad: a key at the counter. */
  key: z.strictObject({
    ...eventBase,
    type: z.literal('key'),
    key: z.enum(CALL_PAD_KEYS),
    reason: z.enum(PAUSE_REASONS).optional().describe('with "pause"'),
    to: z
      .strictObject({ serviceId: ref.optional(), counterId: ref.optional(), staffId: ref.optional() })
      .optional()
      .describe('with "transfer"'),
  }),
  /** Rating keypad: 1 = best … N = not satisfied (N = the centre's scale size, 3 to 5). */
  rate: z.strictObject({ ...eventBase, type: z.literal('rate'), level: z.number().int().min(1).max(5) }),
  /** Scanner: one code read (QR or barcode). */
  scan: z.strictObject({
    ...eventBase,
    type: z.literal('scan'),
    data: z.string().min(1).max(1024),
    symbology: z.enum(['qr', 'code128', 'code39', 'datamatrix', 'pdf417', 'other']).optional(),
  }),
} as const;
export type DeviceEventType = keyof typeof eventSchemas;
export const deviceEventSchema = z.discriminatedUnion('type', [
  eventSchemas.button,
  eventSchemas.key,
  eventSchemas.rate,
  eventSchemas.scan,
]);
export type DeviceEvent = z.output<typeof deviceEventSchema>;

export const PAPER_STATES = ['ok', 'low', 'out'] as const;
/** Retained device state (dispensers report their printer here). */
export const deviceStateSchema = z.strictObject({
  printer: z
    .strictObject({
      paper: z.enum(PAPER_STATES),
      cover: z.enum(['closed', 'open']),
      online: z.boolean(),
    })
    .optional(),
});

const errorBody = z.strictObject({
  code: z.string().min(1).max(40),
  message: z.string().max(300),
});

/** The device's answer to a command. */
export const commandReplySchema = z.strictObject({
  tx: z.string().min(1).max(40),
  status: z.enum(['ok', 'error']),
  data: z.unknown().optional(),
  error: errorBody.optional(),
});

// ── controller → device ──────────────────────────────────────────────────────

/** The controller's answer to an event (`res`): Vietnamese `text` is what the device shows. */
export const eventResponseSchema = z.strictObject({
  boot,
  seq,
  status: z.enum(['ok', 'error']),
  data: z.record(z.string(), z.unknown()).optional(),
  error: errorBody.extend({ text: z.string().describe('Vietnamese, for the device screen') }).optional(),
});

export const printJobSchema = z.strictObject({
  centreName: z.string(),
  serviceName: z.string(),
  label: z.string(),
  priority: z.string().nullable(),
  peopleAhead: z.number().int().min(0),
  estimatedWaitMinutes: z.number().int().min(0).nullable(),
  estimatedWaitRange: z
    .tuple([z.number().int().min(0), z.number().int().min(0)])
    .nullable()
    .optional(),
  issuedAt: epochMs,
  qrUrl: z.string().describe("opens the citizen's live ticket page"),
  footer: z.string(),
});

export const commandSchemas = {
  /** Dispenser: print this ticket. */
  print: z.strictObject({ tx: z.string(), type: z.literal('print'), ticket: printJobSchema }),
  /** Any device with a screen: show a short message. */
  message: z.strictObject({
    tx: z.string(),
    type: z.literal('message'),
    text: z.string().describe('Vietnamese'),
    textEn: z.string().optional(),
    tone: z.enum(['info', 'error']),
    seconds: z.number().int().min(1).max(60),
  }),
  /** Sent after each birth: what the device needs to work (buttons, scale, counter). */
  setup: z.strictObject({
    tx: z.string(),
    type: z.literal('setup'),
    centreName: z.string(),
    counter: z.strictObject({ id: z.string(), number: z.number(), name: z.string() }).nullable(),
    services: z.array(z.strictObject({ id: z.string(), name: z.string(), prefix: z.string() })),
    priorityClasses: z.array(z.strictObject({ id: z.string(), name: z.string() })),
    ratingScale: z.array(z.string()),
  }),
  /** Rating keypad: the visit that a press would rate (lights the keypad). */
  ratePrompt: z.strictObject({
    tx: z.string(),
    type: z.literal('ratePrompt'),
    ticketLabel: z.string(),
    expiresAt: epochMs,
  }),
} as const;
export type DeviceCommandType = keyof typeof commandSchemas;
export const deviceCommandSchema = z.discriminatedUnion('type', [
  commandSchemas.print,
  commandSchemas.message,
  commandSchemas.setup,
  commandSchemas.ratePrompt,
]);
export type DeviceCommand = z.output<typeof deviceCommandSchema>;

/** Retained on a call display's `display` topic: what it must show, even right after a reboot. */
export const counterDisplaySchema = z.strictObject({
  counterNumber: z.number().int(),
  label: z.string().nullable().describe('ticket number shown, null when none'),
  state: z.enum(['closed', 'open', 'paused', 'called', 'serving']),
  blink: z.boolean().describe('true for a new call or a recall: blink and chime'),
  at: epochMs,
  version: z.number().int().min(0).describe('increases with every change; ignore older'),
});

/** Retained on a hall display's `display` topic: the latest calls of its zone. */
export const hallDisplaySchema = z.strictObject({
  zoneId: z.string().nullable(),
  calls: z.array(
    z.strictObject({ label: z.string(), counterNumber: z.number().int(), at: epochMs, recall: z.boolean() }),
  ),
  version: z.number().int().min(0),
});

/** Retained broadcast: the controller's clock, every minute. */
export const timeSchema = z.strictObject({
  now: epochMs,
  timezone: z.string(),
  day: z.string().describe('service day, YYYY-MM-DD local'),
});

export type Birth = z.output<typeof birthSchema>;
export type DeviceState = z.output<typeof deviceStateSchema>;
export type CommandReply = z.output<typeof commandReplySchema>;
export type EventResponse = z.output<typeof eventResponseSchema>;
export type PrintJob = z.output<typeof printJobSchema>;
export type CounterDisplay = z.output<typeof counterDisplaySchema>;
export type HallDisplay = z.output<typeof hallDisplaySchema>;
export type TimeBroadcast = z.output<typeof timeSchema>;
