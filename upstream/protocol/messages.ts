/**
 * Every message a centre sends to its province, version 1, as zod schemas: the one module the
 * controller's publisher, the province receiver, the JSON Schema files and docs/upstream.md take
 * their shapes from. JSON, UTF-8. Times are milliseconds since the epoch (UTC); days are the
 * centre's local service day `YYYY-MM-DD`.
 *
 * No message carries a name, an ID card number, a citizen key, a dossier code or a free-text note:
 * staff appear only as a pseudonym that is stable within one centre.
 */
import { z } from 'zod';

export const UPSTREAM_SCHEMA_VERSION = 1;

const ref = z.string().min(1).max(80);
const epochMs = z.number().int().min(0).describe('ms since 1970-01-01 UTC');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('the centre’s local service day');
const seconds = z.number().min(0).describe('seconds');
const share = z.number().min(0).max(1);
const count = z.number().int().min(0);

const envelope = {
  v: z.literal(UPSTREAM_SCHEMA_VERSION).describe('message format version'),
  centreId: ref.describe('the centre’s id in its configuration'),
  provinceId: ref.describe('the province the centre reports to'),
};

export const VISIT_OUTCOMES = ['served', 'noShow', 'transferred', 'cancelled', 'expired'] as const;
export type VisitOutcome = (typeof VISIT_OUTCOMES)[number];

/** How decision 766/QĐ-TTg counts the visit: only served visits count; "not satisfied" lowers the rate. */
export const OUTCOMES_766 = ['satisfied', 'notSatisfied', 'notRated', 'notCounted'] as const;
export type Outcome766 = (typeof OUTCOMES_766)[number];

export const TICKET_SOURCES = ['kiosk', 'dispenser', 'appointment', 'staff'] as const;

/**
 * One visit to one counter's service, derived from the centre's journal when it ends. A ticket
 * transferred to another service makes a record per leg (`leg` 0, 1, …), chained by `transfer`.
 */
export const visitRecordSchema = z.strictObject({
  kind: z.literal('visit'),
  ...envelope,
  id: z
    .string()
    .min(1)
    .max(200)
    .describe('`<centreId>/<ticketId>/<leg>`: the same visit always has the same id'),
  seq: z
    .number()
    .int()
    .min(1)
    .describe('journal sequence number of the event that ended the visit: the order of records'),
  day,
  ticketId: ref.describe(
    '`<day>:<service id>:<n>`, the ticket’s id in the centre (no personal data; not its printed label)',
  ),
  leg: count.describe('0 for the first service of the visit, +1 after each transfer'),
  serviceId: ref,
  priorityClassId: ref.nullable(),
  appointment: z.boolean().describe('booked in advance (true) or walk-in (false)'),
  source: z.enum(TICKET_SOURCES),
  issuedAt: epochMs,
  queuedAt: epochMs.describe('when this leg joined its queue: arrival for leg 0, the transfer after'),
  calledAt: epochMs.nullable().describe('first call of this leg'),
  startedAt: epochMs.nullable().describe('service started at the counter'),
  endedAt: epochMs.describe('when the visit ended (finished, no-show, transfer, cancel, expiry)'),
  waitSeconds: seconds.nullable().describe('queuedAt → calledAt; null when never called'),
  serviceSeconds: seconds.nullable().describe('startedAt (or calledAt) → endedAt, for served visits'),
  counterId: ref.nullable(),
  staff: z
    .string()
    .regex(/^st-[a-z2-7]{16}$/)
    .nullable()
    .describe('pseudonymous staff id, stable within the centre; never the name'),
  recalls: count,
  skips: count,
  rating: z
    .strictObject({
      level: z.number().int().min(1).max(5).describe('1 = best'),
      scaleSize: z.number().int().min(3).max(5),
      notSatisfied: z.boolean(),
    })
    .nullable()
    .describe(
      'the citizen’s own rating (the keypad or the ticket page); null when unrated, or rated only on the centre’s paper form (recorded by staff, counted in the centre’s reports, not sent)',
    ),
  outcome766: z.enum(OUTCOMES_766),
  transfer: z.strictObject({
    fromServiceId: ref.nullable().describe('the service of the previous leg'),
    toServiceId: ref.nullable().describe('the service this leg was transferred to'),
  }),
  outcome: z.enum(VISIT_OUTCOMES),
});
export type VisitRecord = z.infer<typeof visitRecordSchema>;

const satisfactionFigures = z.strictObject({
  visits: count.describe('visits served'),
  rated: count.describe('visits the citizen rated (keypad or ticket page; paper forms are not counted)'),
  notSatisfied: count,
  rate766: share.nullable().describe('(visits − not satisfied) ÷ visits, per 766/QĐ-TTg'),
  satisfiedShare: share.nullable().describe('ratings in the better half of the scale ÷ ratings'),
  byLevel: z.array(count).describe('ratings per level, level 1 first'),
});

const waitFigures = z.strictObject({
  count: count.describe('first legs called'),
  meanSeconds: seconds.nullable(),
  medianSeconds: seconds.nullable(),
  p90Seconds: seconds.nullable(),
  withinTarget: count.describe('called within the target'),
  overTarget: count.describe('called after the target, or closed uncalled after it'),
  withinTargetShare: share.nullable(),
});

const serviceTimeFigures = z.strictObject({
  count,
  meanSeconds: seconds.nullable(),
  medianSeconds: seconds.nullable(),
});

/** The publisher's own state, sent with every live snapshot. */
export const backlogSchema = z.strictObject({
  records: count.describe('visit records derived but not yet acknowledged by the broker'),
  oldestEndedAt: epochMs.nullable(),
  lastAckedSeq: z.number().int().min(0),
});

/** The centre right now: on change (coalesced) and at least every 30 s; retained. */
export const liveSnapshotSchema = z.strictObject({
  kind: z.literal('live'),
  ...envelope,
  at: epochMs,
  day,
  seq: z.number().int().min(0).describe('journal seq the snapshot reflects'),
  services: z.array(
    z.strictObject({
      serviceId: ref,
      waiting: count,
      longestWaitSeconds: seconds,
      estimatedWaitMinutes: z.number().min(0).nullable(),
    }),
  ),
  counters: z.strictObject({ open: count, serving: count, paused: count, closed: count }),
  devicesOffline: count,
  satisfaction: satisfactionFigures,
  withinTarget: z.strictObject({ met: count, missed: count, share: share.nullable() }),
  targetMinutes: z.number().positive(),
  backlog: backlogSchema,
});
export type LiveSnapshot = z.infer<typeof liveSnapshotSchema>;

/** Figures of a set of visit records (a day, a service, a counter, a staff member). */
export const visitFiguresSchema = z.strictObject({
  visits: count.describe('records (legs) in the period'),
  tickets: count.describe('distinct tickets (citizen visits)'),
  served: count,
  noShow: count,
  transferred: count,
  cancelled: count,
  expired: count,
  wait: waitFigures,
  serviceTime: serviceTimeFigures,
  satisfaction: satisfactionFigures,
});
export type VisitFigures = z.infer<typeof visitFiguresSchema>;

/** A day's figures: at closing, and again (next revision) if late records change them; retained. */
export const dailySummarySchema = z.strictObject({
  kind: z.literal('daily'),
  ...envelope,
  day,
  revision: z.number().int().min(1).describe('1 at closing, +1 each time late records change it'),
  at: epochMs,
  lastSeq: z.number().int().min(0).describe('seq of the last visit record counted'),
  targetMinutes: z.number().positive(),
  total: visitFiguresSchema,
  services: z.array(z.strictObject({ serviceId: ref, figures: visitFiguresSchema })),
  staff: z.strictObject({
    count: count.describe('staff who served at least one visit'),
    dossiersPerStaff: z.number().min(0).nullable().describe('served visits ÷ staff'),
  }),
});
export type DailySummary = z.infer<typeof dailySummarySchema>;

/** Birth (online, retained) and death (offline, the MQTT last will, retained). */
export const centreStatusSchema = z.strictObject({
  kind: z.literal('status'),
  ...envelope,
  state: z.enum(['online', 'offline']),
  at: epochMs.nullable().describe('when the controller came online; null in the last will'),
  software: z.string().max(40).nullable(),
  centreName: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('the centre’s name, as people know it (shown on the province page); optional'),
});
export type CentreStatus = z.infer<typeof centreStatusSchema>;

export const upstreamMessageSchema = z.discriminatedUnion('kind', [
  visitRecordSchema,
  liveSnapshotSchema,
  dailySummarySchema,
  centreStatusSchema,
]);
export type UpstreamMessage = z.infer<typeof upstreamMessageSchema>;

/** Each kind's schema, by the topic kind it is published on. */
export const UPSTREAM_SCHEMAS = {
  status: centreStatusSchema,
  visit: visitRecordSchema,
  live: liveSnapshotSchema,
  daily: dailySummarySchema,
} as const;

/** Largest upstream message, in bytes (a daily summary of many services is the largest). */
export const MAX_UPSTREAM_BYTES = 256 * 1024;

/** The message's idempotency key at the receiver. */
export function messageId(m: UpstreamMessage): string {
  switch (m.kind) {
    case 'visit':
      return m.id;
    case 'live':
      return `${m.centreId}/live/${m.at}`;
    case 'daily':
      return `${m.centreId}/daily/${m.day}/${m.revision}`;
    case 'status':
      return `${m.centreId}/status/${m.state}/${m.at ?? 0}`;
  }
}
