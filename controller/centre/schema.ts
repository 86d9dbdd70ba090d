/**
 * The centre configuration: one schema, from which the type and the validation both come.
 * Cross-references (a staff member's services, a device's counter) are checked here too, so a
 * file that loads is a file the engine can trust.
 */
import { z } from 'zod';
import { hidConfigSchema } from '../../devices/hid/hid-config.ts';
import { DEFAULT_WPC1258_CODE_PAGE } from '../../devices/serial/escpos/code-page.ts';
import { DEVICE_TYPES, type DeviceType, PAUSE_REASONS, type PauseReason } from '../../devices/vocabulary.ts';
import { DEFAULT_TOPIC_PREFIX } from '../../upstream/protocol/topics.ts';

const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,39}$/,
    'must be 1-40 characters of a-z, 0-9 and "-", starting with a letter or digit',
  );

const minutes = (max: number) => z.number().min(0).max(max);

export { DEVICE_TYPES, type DeviceType, PAUSE_REASONS, type PauseReason };

const serviceSchema = z.strictObject({
  id,
  name: z.string().min(1).describe('Vietnamese name shown to citizens'),
  nameEn: z.string().min(1).optional(),
  prefix: z.string().regex(/^[A-Z0-9]{1,2}$/, 'must be 1-2 characters of A-Z or 0-9'),
  expectedServiceMinutes: z.number().positive().max(240).default(10),
  zoneId: id.optional(),
});

const counterSchema = z.strictObject({
  id,
  number: z.number().int().min(1).max(999),
  name: z.string().min(1),
  zoneId: id.optional(),
  /** Services this counter is equipped for; empty or absent means any service its staff covers. */
  services: z.array(id).default([]),
});

const staffSchema = z.strictObject({
  id,
  name: z.string().min(1),
  /** Services this person covers, most preferred first. */
  services: z.array(id).min(1, 'must list at least one service'),
});

/** How a device on a serial port (or USB-serial adapter) is reached. */
const serialPortSchema = z.strictObject({
  /** e.g. /dev/ttyUSB0, or a stable /dev/serial/by-id/… link (survives replugging into another socket). */
  path: z.string().min(1),
  baudRate: z.number().int().positive().max(921_600).default(19_200),
  parity: z.enum(['none', 'even', 'odd']).default('none'),
  dataBits: z.union([z.literal(7), z.literal(8)]).default(8),
  stopBits: z.union([z.literal(1), z.literal(2)]).default(1),
});

const printerSchema = z.strictObject({
  /** 'wpc1258': Vietnamese code page WPC1258; 'ascii': accents removed, for printers without it. */
  encoding: z.enum(['wpc1258', 'ascii']).default('wpc1258'),
  /** The printer's ESC t number for WPC1258 (Epson: 52; other makers differ: see the printer's manual). */
  codePage: z.number().int().min(0).max(255).default(DEFAULT_WPC1258_CODE_PAGE),
  /** Characters per line in the normal font (58 mm paper: 32, 80 mm: 42 or 48). */
  columns: z.number().int().min(24).max(64).default(42),
});

const secretHashSchema = z
  .string()
  .regex(
    /^scrypt:\d+:\d+:\d+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/,
    'must be a scrypt hash made by "npm run provision" (never the secret itself)',
  );

/** MQTT user name of the read-only monitor (`npm run monitor`, mosquitto_sub): no device may have it. */
export const MONITOR_USER = 'monitor';

const deviceSchema = z.strictObject({
  id,
  type: z.enum(DEVICE_TYPES),
  counterId: id.optional(),
  zoneId: id.optional(),
  transport: z.enum(['mqtt', 'serial', 'hid']).default('mqtt'),
  /**
   * false: configured but not in place yet (ordered, not plugged in): its port is never opened and
   * it is never reported offline. The demo centre's serial and USB devices are not installed.
   */
  installed: z.boolean().default(true),
  /** scrypt hash of the device secret (MQTT password); never the secret itself. */
  secretHash: secretHashSchema.optional(),
  /** Serial devices: the port (a dispenser's printer, a serial scanner). */
  serial: serialPortSchema.optional(),
  /** Dispensers with a serial ESC/POS printer. */
  printer: printerSchema.optional(),
  /** Serial scanners: what ends one code. */
  terminator: z.enum(['CR', 'LF', 'CRLF']).optional(),
  /** USB HID devices (scanners in HID POS mode, rating keypads in vendor mode): how to find them. */
  hid: hidConfigSchema.optional(),
  /** Call displays on an RS-485 bus: the bus and the display's address on it. */
  busId: id.optional(),
  address: z.number().int().min(1).max(247).optional(),
});

const priorityClassSchema = z.strictObject({
  id,
  name: z.string().min(1),
  nameEn: z.string().min(1).optional(),
  /** How many minutes earlier than its real arrival the ticket is ranked. Bounded, so nobody starves. */
  creditMinutes: minutes(30),
});

/** The assignment policies a centre can choose (controller/core/policies.ts; docs/prediction.md compares them). */
export const POLICY_NAMES = ['priority-credit', 'fifo', 'least-lateness'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

const queueRulesSchema = z.strictObject({
  /**
   * Who a counter calls next: `priority-credit` (the rule in docs/assignment.md), `fifo` (first come
   * first served across the counter's services, no credits: the baseline) or `least-lateness`
   * (saves the tickets about to pass the wait target first, keeping credits and the ageing ceiling).
   */
  policy: z.enum(POLICY_NAMES).default('priority-credit'),
  /** least-lateness: a ticket that has waited this long is called before any other, oldest first. */
  ageingCeilingMinutes: z.number().positive().max(480).default(30),
  numberDigits: z.number().int().min(1).max(5).default(3),
  /** A wall-clock jump larger than this (either way) is held until a manager confirms it (queue/clock-guard.ts). */
  clockJumpMinutes: z.number().int().min(1).max(1440).default(10),
  waitTargetMinutes: z.number().positive().max(240).default(15),
  /** A ticket waiting this long is served before any credit-based ranking (oldest first). */
  urgentAfterMinutes: z.number().positive().max(240).default(12),
  /** Each step down a staff member's preference list ranks a ticket this many minutes later. */
  preferencePenaltyMinutes: minutes(30).default(5),
  priorityClasses: z.array(priorityClassSchema).default([]),
  appointments: z
    .strictObject({
      creditMinutes: minutes(30).default(15),
      /** A booked ticket checked in earlier than slot start minus this is held until then (unless nobody else waits). */
      earlyWindowMinutes: minutes(120).default(10),
      /** Checked in later than slot end plus this, the booking is ranked like a walk-in. */
      lateGraceMinutes: minutes(120).default(15),
    })
    .prefault({}),
  skip: z
    .strictObject({
      /** A skipped (no-show) ticket may come back within this many minutes. */
      graceMinutes: minutes(240).default(10),
      /** The skip that reaches this count is final (2: the second skip closes the ticket as no-show). */
      maxSkips: z.number().int().min(1).max(10).default(2),
    })
    .prefault({}),
  dayEnd: z
    .strictObject({
      /** What happens to tickets still open at local midnight. */
      unserved: z.enum(['close', 'carryOver']).default('close'),
    })
    .prefault({}),
});

const DEFAULT_RATING_SCALE = [
  { label: 'Rất hài lòng', labelEn: 'Very satisfied' },
  { label: 'Hài lòng', labelEn: 'Satisfied' },
  { label: 'Bình thường', labelEn: 'Neutral' },
  { label: 'Không hài lòng', labelEn: 'Not satisfied' },
];

const ratingsSchema = z.strictObject({
  /** Best first; the last level is "not satisfied", the one decision 766/QĐ-TTg counts against the unit. */
  scale: z
    .array(z.strictObject({ label: z.string().min(1), labelEn: z.string().min(1).optional() }))
    .min(3, 'must have 3 to 5 levels')
    .max(5, 'must have 3 to 5 levels')
    .default(DEFAULT_RATING_SCALE),
  /** A rating press counts for the visit finished at that counter within this many minutes. */
  windowMinutes: z.number().positive().max(60).default(5),
});

/** When the manager dashboard raises an alert (besides device health). */
const alertsSchema = z.strictObject({
  /** A citizen has waited longer than this (the 15-minute target of the mission). */
  waitMinutes: z.number().positive().max(240).default(15),
  /** A visit at a counter has gone on longer than this. */
  longServiceMinutes: z.number().positive().max(480).default(30),
  /** An open counter has called nobody for this long while citizens wait for its services. */
  idleStaffMinutes: z.number().positive().max(240).default(5),
  /** More than this many citizens wait for one service. */
  maxWaiting: z.number().int().min(1).max(10_000).default(30),
  /** The data disk has less free space than this (MB): raised well before a full disk stops recording. */
  minFreeDiskMb: z.number().int().min(1).max(1_000_000).default(500),
});

/**
 * Reporting to the province (docs/upstream.md). The broker's address is a setting (`UPSTREAM_URL`),
 * not configuration; its user name and password live in `credentialsFile`, never here.
 */
const upstreamSchema = z.strictObject({
  provinceId: id.describe('the province’s id in the upstream topic tree'),
  topicPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 characters of a-z, 0-9 and "-" (one topic level)')
    .default(DEFAULT_TOPIC_PREFIX)
    .describe('first level of the upstream topic tree'),
  protocolVersion: z
    .union([z.literal(5), z.literal(4)], { error: 'must be 5 (MQTT 5) or 4 (MQTT 3.1.1)' })
    .default(5)
    .describe('5: MQTT 5 (the default); 4: MQTT 3.1.1, for older brokers'),
  credentialsFile: z
    .string()
    .min(1)
    .optional()
    .describe(
      'JSON file {"username": …, "password": …}, relative to the data folder; none: connect without credentials',
    ),
  ca: z
    .string()
    .min(1)
    .optional()
    .describe(
      'PEM file of the authority that signed the broker’s certificate (mqtts://), relative to the data folder',
    ),
  liveIntervalSeconds: z
    .number()
    .min(1)
    .max(30, 'must be at most 30 (the province expects one every 30 s)')
    .default(30)
    .describe('a live snapshot goes at least this often (and on change)'),
  liveMinIntervalMs: z
    .number()
    .int()
    .min(0)
    .max(30_000)
    .default(1_000)
    .describe('changes closer together than this make one live snapshot'),
  backlogRatePerSecond: z
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(200)
    .describe('messages sent per second at most while a backlog drains'),
  maxInFlight: z
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(50)
    .describe('messages sent and not yet acknowledged by the broker, at most'),
  backlogAlertMinutes: z
    .number()
    .positive()
    .max(100_000)
    .default(60)
    .describe('alert when the oldest record not yet acknowledged ended longer ago than this'),
  backlogAlertMegabytes: z
    .number()
    .positive()
    .max(1_000_000)
    .default(512)
    .describe(
      'alert when the journal kept for the province (from the oldest segment it still needs) passes this size',
    ),
});

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:MM');

/**
 * When the centre receives citizens, in local time, every service day. The staffing advice is given
 * only for these hours (reports/staffing-advice.ts).
 */
const openingHoursSchema = z
  .strictObject({
    opens: clock.default('07:00'),
    closes: clock.default('17:00'),
    /** Closed in between (a lunch break), e.g. { "from": "11:30", "to": "13:30" }. */
    breaks: z.array(z.strictObject({ from: clock, to: clock })).default([]),
  })
  .superRefine((h, ctx) => {
    if (h.closes <= h.opens)
      ctx.addIssue({ code: 'custom', path: ['closes'], message: 'must be after opens' });
    h.breaks.forEach((b, i) => {
      if (b.to <= b.from)
        ctx.addIssue({ code: 'custom', path: ['breaks', i, 'to'], message: 'must be after from' });
    });
  });

export type OpeningHours = z.output<typeof openingHoursSchema>;

const zoneSchema = z.strictObject({
  id,
  name: z.string().min(1),
  /** How the hall's voice says the zone, when it should differ from the name (e.g. "tầng một, khu A"). */
  announceAs: z.string().min(1).max(80).optional(),
});

const citizensSchema = z.strictObject({
  /** Refuse a second active ticket for the same chip ID card (CCCD). */
  oneActiveTicketPerCitizen: z.boolean().default(true),
  /** Citizens this old (from the CCCD date of birth) get `elderlyPriorityClassId`. */
  elderlyAge: z.number().int().min(50).max(100).default(60),
  elderlyPriorityClassId: id.optional(),
});

/** How long the data folder keeps history (controller/journal/retention.ts), so years of use cannot fill the disk. */
const retentionSchema = z.strictObject({
  /** Journal segments of past days are gzipped after this many days (about a tenth of the size). */
  journalCompressAfterDays: z.number().int().min(1).max(3650).default(7),
  /**
   * Past days older than this are deleted from the journal (reports before then are refused); null
   * keeps them for ever. At least 60, so last month's report always stands. Records the province
   * has not acknowledged are kept regardless.
   */
  journalKeepDays: z.number().int().min(60).max(36500).nullable().default(800),
});

export const centreConfigSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    centre: z.strictObject({
      id,
      name: z.string().min(1),
      shortName: z.string().min(1).optional(),
      level: z.enum(['province', 'district', 'commune']),
      address: z.string().optional(),
      timezone: z
        .string()
        .default('Asia/Ho_Chi_Minh')
        .refine(isKnownTimeZone, 'must be an IANA time zone such as Asia/Ho_Chi_Minh'),
      openingHours: openingHoursSchema.prefault({}),
    }),
    zones: z.array(zoneSchema).default([]),
    services: z.array(serviceSchema).min(1, 'must list at least one service'),
    counters: z.array(counterSchema).min(1, 'must list at least one counter'),
    staff: z.array(staffSchema).default([]),
    devices: z.array(deviceSchema).default([]),
    /** RS-485 buses of counter displays (Modbus RTU), each on one serial port. */
    serialBuses: z.array(z.strictObject({ id, port: serialPortSchema })).default([]),
    /**
     * The read-only monitor credential for field engineers: user name "monitor", may subscribe to
     * the whole centre tree and publish nothing (`npm run provision -- --monitor`).
     */
    monitor: z.strictObject({ secretHash: secretHashSchema }).optional(),
    queue: queueRulesSchema.prefault({}),
    ratings: ratingsSchema.prefault({}),
    citizens: citizensSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    upstream: upstreamSchema.optional(),
    retention: retentionSchema.prefault({}),
  })
  .superRefine((cfg, ctx) => {
    const fail = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const serviceIds = new Set(cfg.services.map((s) => s.id));
    const counterIds = new Set(cfg.counters.map((c) => c.id));
    const zoneIds = new Set(cfg.zones.map((z) => z.id));

    unique(
      cfg.services,
      (s) => s.id,
      (i, v) => fail(['services', i, 'id'], `duplicate service id "${v}"`),
    );
    unique(
      cfg.services,
      (s) => s.prefix,
      (i, v) => fail(['services', i, 'prefix'], `prefix "${v}" is already used`),
    );
    unique(
      cfg.counters,
      (c) => c.id,
      (i, v) => fail(['counters', i, 'id'], `duplicate counter id "${v}"`),
    );
    unique(
      cfg.counters,
      (c) => c.number,
      (i, v) => fail(['counters', i, 'number'], `counter number ${v} is already used`),
    );
    unique(
      cfg.staff,
      (s) => s.id,
      (i, v) => fail(['staff', i, 'id'], `duplicate staff id "${v}"`),
    );
    unique(
      cfg.devices,
      (d) => d.id,
      (i, v) => fail(['devices', i, 'id'], `duplicate device id "${v}"`),
    );
    cfg.devices.forEach((d, i) => {
      if (d.id === MONITOR_USER)
        fail(
          ['devices', i, 'id'],
          `"${MONITOR_USER}" is the read-only monitor's user name; choose another id`,
        );
    });
    unique(
      cfg.zones,
      (z) => z.id,
      (i, v) => fail(['zones', i, 'id'], `duplicate zone id "${v}"`),
    );
    unique(
      cfg.queue.priorityClasses,
      (p) => p.id,
      (i, v) => fail(['queue', 'priorityClasses', i, 'id'], `duplicate priority class "${v}"`),
    );

    // Labels are prefix + number: with one prefix beginning another ("1" and "11"), "11" + "001"
    // and "1" + "1001" would print the same. A prefix-free set makes every label name one service.
    cfg.services.forEach((s, i) => {
      const shorter = cfg.services.find((o) => o.prefix !== s.prefix && s.prefix.startsWith(o.prefix));
      if (!shorter) return;
      const example = s.prefix + '1'.padStart(cfg.queue.numberDigits, '0');
      fail(
        ['services', i, 'prefix'],
        `prefix "${s.prefix}" begins with the prefix "${shorter.prefix}" of service "${shorter.id}", so their tickets could get the same label (e.g. ${example}); give each service a prefix that does not begin another`,
      );
    });
    cfg.services.forEach((s, i) => {
      if (s.zoneId && !zoneIds.has(s.zoneId)) fail(['services', i, 'zoneId'], `unknown zone "${s.zoneId}"`);
    });
    cfg.counters.forEach((c, i) => {
      if (c.zoneId && !zoneIds.has(c.zoneId)) fail(['counters', i, 'zoneId'], `unknown zone "${c.zoneId}"`);
      c.services.forEach((s, j) => {
        if (!serviceIds.has(s)) fail(['counters', i, 'services', j], `unknown service "${s}"`);
      });
    });
    cfg.staff.forEach((p, i) => {
      p.services.forEach((s, j) => {
        if (!serviceIds.has(s)) fail(['staff', i, 'services', j], `unknown service "${s}"`);
      });
      unique(
        p.services,
        (s) => s,
        (j, v) => fail(['staff', i, 'services', j], `service "${v}" is listed twice`),
      );
    });
    cfg.devices.forEach((d, i) => {
      if (d.counterId && !counterIds.has(d.counterId))
        fail(['devices', i, 'counterId'], `unknown counter "${d.counterId}"`);
      if (d.zoneId && !zoneIds.has(d.zoneId)) fail(['devices', i, 'zoneId'], `unknown zone "${d.zoneId}"`);
      if (d.transport === 'serial') {
        const onBus = d.type === 'callDisplay';
        if (onBus && (!d.busId || d.address === undefined)) {
          fail(['devices', i, 'busId'], 'a serial call display needs busId and address (its RS-485 bus)');
        }
        if (onBus && d.busId && !cfg.serialBuses.some((b) => b.id === d.busId)) {
          fail(['devices', i, 'busId'], `unknown serial bus "${d.busId}"`);
        }
        if (!onBus && !d.serial)
          fail(['devices', i, 'serial'], `a serial ${d.type} needs its port (serial.path)`);
      }
      if (d.transport === 'hid' && !d.hid)
        fail(
          ['devices', i, 'hid'],
          'a USB HID device needs "hid": { "vendorId", "productId" } (see docs/usb-hid.md)',
        );
      const atCounter = d.type === 'callDisplay' || d.type === 'ratingKeypad' || d.type === 'callPad';
      if (atCounter && !d.counterId)
        fail(['devices', i, 'counterId'], `a ${d.type} must name the counter it belongs to`);
    });
    // What the controller could not drive: one port opened twice, two displays answering one address.
    unique(
      cfg.serialBuses,
      (b) => b.id,
      (i, v) => fail(['serialBuses', i, 'id'], `duplicate serial bus id "${v}"`),
    );
    const portUsers = new Map<string, string>();
    cfg.serialBuses.forEach((b, i) => {
      const other = portUsers.get(b.port.path);
      if (other) fail(['serialBuses', i, 'port', 'path'], `${b.port.path} is also used by ${other}`);
      else portUsers.set(b.port.path, `serial bus "${b.id}"`);
    });
    const busAddresses = new Map<string, string>();
    cfg.devices.forEach((d, i) => {
      if (d.transport !== 'serial') return;
      if (d.serial) {
        const other = portUsers.get(d.serial.path);
        if (other) fail(['devices', i, 'serial', 'path'], `${d.serial.path} is also used by ${other}`);
        else portUsers.set(d.serial.path, `device "${d.id}"`);
      }
      if (d.busId && d.address !== undefined) {
        const key = `${d.busId}#${d.address}`;
        const other = busAddresses.get(key);
        if (other)
          fail(
            ['devices', i, 'address'],
            `address ${d.address} on bus "${d.busId}" is also display "${other}"'s`,
          );
        else busAddresses.set(key, d.id);
      }
    });
    const elderly = cfg.citizens.elderlyPriorityClassId;
    if (elderly && !cfg.queue.priorityClasses.some((p) => p.id === elderly)) {
      fail(['citizens', 'elderlyPriorityClassId'], `unknown priority class "${elderly}"`);
    }
    if (cfg.queue.urgentAfterMinutes > cfg.queue.waitTargetMinutes) {
      fail(
        ['queue', 'urgentAfterMinutes'],
        'must not be later than waitTargetMinutes, or long waits are pulled forward too late',
      );
    }
    if (cfg.queue.ageingCeilingMinutes < cfg.queue.waitTargetMinutes) {
      fail(
        ['queue', 'ageingCeilingMinutes'],
        'must not be earlier than waitTargetMinutes: the ceiling bounds waits past the target',
      );
    }
  });

export type CentreConfig = z.output<typeof centreConfigSchema>;
export type CentreConfigInput = z.input<typeof centreConfigSchema>;
export type Service = CentreConfig['services'][number];
export type Counter = CentreConfig['counters'][number];
export type Staff = CentreConfig['staff'][number];
export type Device = CentreConfig['devices'][number];
export type QueueRules = CentreConfig['queue'];
export type Zone = CentreConfig['zones'][number];
export type AlertThresholds = CentreConfig['alerts'];
export type UpstreamConfig = NonNullable<CentreConfig['upstream']>;
export type PriorityClass = QueueRules['priorityClasses'][number];
export type RatingRules = CentreConfig['ratings'];

function unique<T, K>(
  items: readonly T[],
  key: (item: T) => K,
  onDuplicate: (index: number, value: K) => void,
): void {
  const seen = new Set<K>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) onDuplicate(i, k);
    seen.add(k);
  });
}

function isKnownTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
