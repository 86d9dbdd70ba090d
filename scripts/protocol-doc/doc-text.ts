/**
 * The hand-written data of docs/protocol.md: example payloads, notes keyed by the protocol's own
 * names, and the limits the controller does not export. render-doc.ts generates the rest (tables
 * of topics, payload fields, refusal texts, device types) from the protocol code and writes the
 * prose around both. Examples are data, checked against their schemas
 * by tests/devices/protocol-doc.test.ts.
 */

import type { z } from 'zod';
import { DEVICE_TYPES, type DeviceType } from '../../controller/centre/schema.ts';
import type { AlertKind, DeviceErrorKind } from '../../controller/device-service/device-registry.ts';
import { DEVICE_LIMITS } from '../../devices/limits.ts';
import {
  availabilitySchema,
  birthSchema,
  commandReplySchema,
  commandSchemas,
  counterDisplaySchema,
  deviceStateSchema,
  eventResponseSchema,
  eventSchemas,
  hallDisplaySchema,
  timeSchema,
} from '../../devices/protocol/messages.ts';
import type { BroadcastKind, DeviceTopicKind } from '../../devices/protocol/topics.ts';
import { type DeviceRefusal, refusalText } from '../../devices/texts.ts';

/** The limits the controller enforces (devices/limits.ts), in the units the document uses. */
export const CODE_LIMITS = {
  ratePerSecond: DEVICE_LIMITS.ratePerSecond,
  rateBurst: DEVICE_LIMITS.rateBurst,
  failuresBeforeLockout: DEVICE_LIMITS.failuresBeforeLockout,
  lockoutSeconds: DEVICE_LIMITS.lockoutMs / 1000,
  connectsPerWindow: DEVICE_LIMITS.connectsPerWindow,
  connectWindowSeconds: DEVICE_LIMITS.connectWindowMs / 1000,
  keepaliveLimitSeconds: DEVICE_LIMITS.keepaliveLimitSeconds,
  clientIdMaxLength: DEVICE_LIMITS.clientIdMaxLength,
  dedupeWindow: DEVICE_LIMITS.dedupeWindow,
  rememberedAnswers: DEVICE_LIMITS.rememberedAnswers,
  commandTimeoutSeconds: DEVICE_LIMITS.commandTimeoutMs / 1000,
  ratePromptTimeoutSeconds: DEVICE_LIMITS.ratePromptTimeoutMs / 1000,
  timeBroadcastSeconds: DEVICE_LIMITS.timeBroadcastMs / 1000,
  hallCalls: DEVICE_LIMITS.hallCalls,
  kioskHoldSeconds: DEVICE_LIMITS.kioskHoldMs / 1000,
  offlineAlertSeconds: DEVICE_LIMITS.offlineAlertMs / 1000,
  misbehavingPerMinute: DEVICE_LIMITS.misbehavingPerMinute,
} as const;

// ── example payloads ─────────────────────────────────────────────────────────

/** Where an example travels: a device's topic, or a centre broadcast. */
export type ExampleTopic = { kind: DeviceTopicKind; deviceId: string } | { broadcast: BroadcastKind };

export interface Example {
  title: string;
  schema: z.ZodType;
  topic: ExampleTopic;
  /** The device types whose section shows it. */
  devices: readonly DeviceType[];
  payload: unknown;
  note?: string;
}

function example<S extends z.ZodType>(
  e: Omit<Example, 'schema' | 'payload'> & { schema: S; payload: z.input<S> },
): Example {
  return e;
}

/** The example centre: the demo configuration (config/demo-centre.json). */
export const EXAMPLE_CENTRE_ID = 'tt-phvhcc-quang-nam';
/** 2026-11-23 08:00 local time (UTC+7). */
const T = 1795395600000;
const MIN = 60_000;
const ALL: readonly DeviceType[] = DEVICE_TYPES;
const CENTRE_NAME = 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam';
const PRIORITY_CLASSES = [
  { id: 'nguoi-cao-tuoi', name: 'Người cao tuổi' },
  { id: 'nguoi-khuyet-tat', name: 'Người khuyết tật' },
  { id: 'phu-nu-mang-thai', name: 'Phụ nữ mang thai' },
  { id: 'con-nho', name: 'Người đi cùng trẻ nhỏ dưới 36 tháng tuổi' },
  { id: 'nguoi-co-cong', name: 'Người có công với cách mạng' },
];
const RATING_SCALE = ['Rất hài lòng', 'Hài lòng', 'Bình thường', 'Không hài lòng'];

const dev = (deviceId: string, kind: DeviceTopicKind): ExampleTopic => ({ deviceId, kind });

export const EXAMPLES: readonly Example[] = [
  // birth, one per device type
  example({
    title: 'Birth of a dispenser',
    schema: birthSchema,
    topic: dev('kiosk-a', 'birth'),
    devices: ['dispenser'],
    payload: {
      proto: 1,
      type: 'dispenser',
      fw: '2.3.1',
      hw: 'ESP32-S3 + 80 mm thermal printer',
      caps: ['printer', 'buttons'],
      boot: '7f3a9c2e',
    },
  }),
  example({
    title: 'Birth of a counter call display',
    schema: birthSchema,
    topic: dev('c1-display', 'birth'),
    devices: ['callDisplay'],
    payload: {
      proto: 1,
      type: 'callDisplay',
      fw: '1.4.0',
      hw: 'ESP32 + P10 LED',
      caps: ['led'],
      boot: 'b41d07aa',
    },
  }),
  example({
    title: 'Birth of a hall display',
    schema: birthSchema,
    topic: dev('hall-a', 'birth'),
    devices: ['hallDisplay'],
    payload: {
      proto: 1,
      type: 'hallDisplay',
      fw: '3.0.2',
      hw: 'Android TV box',
      caps: ['tts'],
      boot: 'e09c55d1',
    },
  }),
  example({
    title: 'Birth of a rating keypad',
    schema: birthSchema,
    topic: dev('c1-keypad', 'birth'),
    devices: ['ratingKeypad'],
    payload: { proto: 1, type: 'ratingKeypad', fw: '1.1.0', caps: ['keys4'], boot: '51c0ffee' },
  }),
  example({
    title: 'Birth of a scanner',
    schema: birthSchema,
    topic: dev('kiosk-b-scanner', 'birth'),
    devices: ['scanner'],
    payload: { proto: 1, type: 'scanner', fw: '1.0.7', hw: 'ESP32 + GM65', caps: ['qr'], boot: '0a9d33e4' },
  }),
  example({
    title: 'Birth of a call pad',
    schema: birthSchema,
    topic: dev('c1-pad', 'birth'),
    devices: ['callPad'],
    payload: { proto: 1, type: 'callPad', fw: '1.2.0', boot: 'c2d4e6f8' },
  }),
  // availability
  example({
    title: 'Online (published by the device after connecting)',
    schema: availabilitySchema,
    topic: dev('kiosk-a', 'avail'),
    devices: ALL,
    payload: { state: 'online' },
  }),
  example({
    title: 'Offline (the last will, and what a device publishes before a clean disconnect)',
    schema: availabilitySchema,
    topic: dev('kiosk-a', 'avail'),
    devices: ALL,
    payload: { state: 'offline' },
  }),
  // state
  example({
    title: 'Printer ready',
    schema: deviceStateSchema,
    topic: dev('kiosk-a', 'state'),
    devices: ['dispenser'],
    payload: { printer: { paper: 'ok', cover: 'closed', online: true } },
  }),
  example({
    title: 'Paper running low',
    schema: deviceStateSchema,
    topic: dev('kiosk-a', 'state'),
    devices: ['dispenser'],
    payload: { printer: { paper: 'low', cover: 'closed', online: true } },
    note: 'Raises the `paperLow` alert; tickets still print.',
  }),
  // events and their answers: dispenser
  example({
    title: 'Service button "Đất đai" pressed',
    schema: eventSchemas.button,
    topic: dev('kiosk-a', 'evt'),
    devices: ['dispenser'],
    payload: { boot: '7f3a9c2e', seq: 17, ts: T, type: 'button', serviceId: 'dat-dai' },
  }),
  example({
    title: 'Service button pressed on the priority screen',
    schema: eventSchemas.button,
    topic: dev('kiosk-a', 'evt'),
    devices: ['dispenser'],
    payload: {
      boot: '7f3a9c2e',
      seq: 18,
      ts: T + 20_000,
      type: 'button',
      serviceId: 'xay-dung',
      priorityClassId: 'nguoi-khuyet-tat',
    },
  }),
  example({
    title: 'Answer: ticket issued (a `print` command follows on `cmd`)',
    schema: eventResponseSchema,
    topic: dev('kiosk-a', 'res'),
    devices: ['dispenser'],
    payload: {
      boot: '7f3a9c2e',
      seq: 17,
      status: 'ok',
      data: { ticketId: '2026-11-23:dat-dai:1', label: '1001' },
    },
  }),
  example({
    title: 'Answer: refused, the printer reported no paper',
    schema: eventResponseSchema,
    topic: dev('kiosk-a', 'res'),
    devices: ['dispenser'],
    payload: {
      boot: '7f3a9c2e',
      seq: 19,
      status: 'error',
      error: {
        code: 'printerUnavailable',
        message: 'printer of kiosk-a cannot print',
        text: refusalText('printerUnavailable'),
      },
    },
  }),
  // call pad
  example({
    title: 'Key "next" (ends the visit in progress, calls the next citizen)',
    schema: eventSchemas.key,
    topic: dev('c1-pad', 'evt'),
    devices: ['callPad'],
    payload: { boot: 'c2d4e6f8', seq: 3, ts: T + 5 * MIN, type: 'key', key: 'next' },
  }),
  example({
    title: 'Key "pause" with its reason',
    schema: eventSchemas.key,
    topic: dev('c1-pad', 'evt'),
    devices: ['callPad'],
    payload: { boot: 'c2d4e6f8', seq: 4, ts: T + 40 * MIN, type: 'key', key: 'pause', reason: 'break' },
  }),
  example({
    title: 'Key "transfer" to another service',
    schema: eventSchemas.key,
    topic: dev('c1-pad', 'evt'),
    devices: ['callPad'],
    payload: {
      boot: 'c2d4e6f8',
      seq: 5,
      ts: T + 12 * MIN,
      type: 'key',
      key: 'transfer',
      to: { serviceId: 'tai-nguyen-moi-truong', counterId: 'quay-2' },
    },
  }),
  example({
    title: 'Answer: ticket 1002 called',
    schema: eventResponseSchema,
    topic: dev('c1-pad', 'res'),
    devices: ['callPad'],
    payload: {
      boot: 'c2d4e6f8',
      seq: 3,
      status: 'ok',
      data: { label: '1002', ticketId: '2026-11-23:dat-dai:2' },
    },
  }),
  example({
    title: 'Answer: "next" with nobody waiting',
    schema: eventResponseSchema,
    topic: dev('c1-pad', 'res'),
    devices: ['callPad'],
    payload: {
      boot: 'c2d4e6f8',
      seq: 3,
      status: 'ok',
      data: { label: null, message: 'Không có công dân đang chờ' },
    },
  }),
  example({
    title: 'Answer: refused, the counter is not open',
    schema: eventResponseSchema,
    topic: dev('c1-pad', 'res'),
    devices: ['callPad'],
    payload: {
      boot: 'c2d4e6f8',
      seq: 3,
      status: 'error',
      error: { code: 'counterNotOpen', message: 'counter 1 is closed', text: refusalText('counterNotOpen') },
    },
  }),
  example({
    title: 'Answer: an event that does not match its schema',
    schema: eventResponseSchema,
    topic: dev('c1-pad', 'res'),
    devices: ['callPad'],
    payload: {
      boot: 'c2d4e6f8',
      seq: 6,
      status: 'error',
      error: { code: 'invalid', message: 'key: Invalid option', text: refusalText('invalid') },
    },
  }),
  // rating keypad
  example({
    title: 'Key 1 ("Rất hài lòng") pressed',
    schema: eventSchemas.rate,
    topic: dev('c1-keypad', 'evt'),
    devices: ['ratingKeypad'],
    payload: { boot: '51c0ffee', seq: 0, ts: T + 9 * MIN, type: 'rate', level: 1 },
  }),
  example({
    title: 'Answer: thanked',
    schema: eventResponseSchema,
    topic: dev('c1-keypad', 'res'),
    devices: ['ratingKeypad'],
    payload: {
      boot: '51c0ffee',
      seq: 0,
      status: 'ok',
      data: { label: '1001', ticketId: '2026-11-23:dat-dai:1', message: 'Xin cảm ơn ý kiến của Ông/Bà!' },
    },
  }),
  example({
    title: 'Answer: refused, nothing finished here recently',
    schema: eventResponseSchema,
    topic: dev('c1-keypad', 'res'),
    devices: ['ratingKeypad'],
    payload: {
      boot: '51c0ffee',
      seq: 1,
      status: 'error',
      error: {
        code: 'nothingToRate',
        message: 'no visit finished at counter 1 in the last 5 minutes',
        text: refusalText('nothingToRate'),
      },
    },
  }),
  // scanner
  example({
    title: 'Chip ID card (CCCD) read at a kiosk',
    schema: eventSchemas.scan,
    topic: dev('kiosk-b-scanner', 'evt'),
    devices: ['scanner'],
    payload: {
      boot: '0a9d33e4',
      seq: 41,
      ts: T + 2 * MIN,
      type: 'scan',
      data: '001099012345|012345678|Nguyễn Văn An|15081960|Nam|Số 1 Trần Phú, Hội An, Quảng Nam|01052021',
      symbology: 'qr',
    },
  }),
  example({
    title: 'Answer: citizen identified, priority by age',
    schema: eventResponseSchema,
    topic: dev('kiosk-b-scanner', 'res'),
    devices: ['scanner'],
    payload: {
      boot: '0a9d33e4',
      seq: 41,
      status: 'ok',
      data: { identified: true, priority: 'Người cao tuổi', message: 'Mời Ông/Bà chọn dịch vụ' },
    },
  }),
  example({
    title: 'Appointment QR read at a kiosk',
    schema: eventSchemas.scan,
    topic: dev('kiosk-b-scanner', 'evt'),
    devices: ['scanner'],
    payload: { boot: '0a9d33e4', seq: 42, type: 'scan', data: 'QMS-APPT:BK-20261123-0042', symbology: 'qr' },
  }),
  example({
    title: "Answer: checked in (the ticket prints on the zone's dispenser)",
    schema: eventResponseSchema,
    topic: dev('kiosk-b-scanner', 'res'),
    devices: ['scanner'],
    payload: {
      boot: '0a9d33e4',
      seq: 42,
      status: 'ok',
      data: { label: '3004', ticketId: '2026-11-23:ke-hoach-dau-tu:4' },
    },
  }),
  example({
    title: 'Dossier code read at a counter',
    schema: eventSchemas.scan,
    topic: dev('c1-scanner', 'evt'),
    devices: ['scanner'],
    payload: {
      boot: '9e8d7c6b',
      seq: 7,
      type: 'scan',
      data: '000.00.20.H42-261123-0001',
      symbology: 'code128',
    },
  }),
  example({
    title: 'Answer: refused, the code is not one the controller knows',
    schema: eventResponseSchema,
    topic: dev('kiosk-b-scanner', 'res'),
    devices: ['scanner'],
    payload: {
      boot: '0a9d33e4',
      seq: 43,
      status: 'error',
      error: {
        code: 'unknownCode',
        message: 'not a chip ID card, appointment or dossier code',
        text: refusalText('unknownCode'),
      },
    },
  }),
  example({
    title: 'Answer: refused, this citizen already has a ticket waiting',
    schema: eventResponseSchema,
    topic: dev('kiosk-b-scanner', 'res'),
    devices: ['scanner'],
    payload: {
      boot: '0a9d33e4',
      seq: 44,
      status: 'error',
      error: {
        code: 'alreadyHasTicket',
        message: 'this citizen already has ticket 1001',
        text: refusalText('alreadyHasTicket'),
      },
    },
  }),
  // commands
  example({
    title: 'Setup for a dispenser (the services of its zone)',
    schema: commandSchemas.setup,
    topic: dev('kiosk-a', 'cmd'),
    devices: ['dispenser'],
    payload: {
      tx: '0d81f72f-c6f0-48f0',
      type: 'setup',
      centreName: CENTRE_NAME,
      counter: null,
      services: [
        { id: 'dat-dai', name: 'Đất đai', prefix: '1' },
        { id: 'xay-dung', name: 'Xây dựng', prefix: '2' },
        { id: 'ke-hoach-dau-tu', name: 'Kế hoạch và Đầu tư (đăng ký kinh doanh)', prefix: '3' },
        { id: 'tai-nguyen-moi-truong', name: 'Tài nguyên và Môi trường', prefix: '4' },
      ],
      priorityClasses: PRIORITY_CLASSES,
      ratingScale: RATING_SCALE,
    },
  }),
  example({
    title: 'Setup for a device at counter 1',
    schema: commandSchemas.setup,
    topic: dev('c1-keypad', 'cmd'),
    devices: ['callDisplay', 'ratingKeypad', 'callPad'],
    payload: {
      tx: '5b1e0c77-2a3d-4e1f',
      type: 'setup',
      centreName: CENTRE_NAME,
      counter: { id: 'quay-1', number: 1, name: 'Quầy 1' },
      services: [],
      priorityClasses: PRIORITY_CLASSES,
      ratingScale: RATING_SCALE,
    },
  }),
  example({
    title: 'Setup for a kiosk scanner (a counter scanner also gets its `counter`)',
    schema: commandSchemas.setup,
    topic: dev('kiosk-b-scanner', 'cmd'),
    devices: ['scanner'],
    payload: {
      tx: '1c7e5a93-8b20-4d6f',
      type: 'setup',
      centreName: CENTRE_NAME,
      counter: null,
      services: [],
      priorityClasses: PRIORITY_CLASSES,
      ratingScale: RATING_SCALE,
    },
  }),
  example({
    title: 'Setup for a hall display',
    schema: commandSchemas.setup,
    topic: dev('hall-a', 'cmd'),
    devices: ['hallDisplay'],
    payload: {
      tx: '8c2f4a10-7d9e-4b3a',
      type: 'setup',
      centreName: CENTRE_NAME,
      counter: null,
      services: [],
      priorityClasses: PRIORITY_CLASSES,
      ratingScale: RATING_SCALE,
    },
  }),
  example({
    title: 'Print ticket 1001',
    schema: commandSchemas.print,
    topic: dev('kiosk-a', 'cmd'),
    devices: ['dispenser'],
    payload: {
      tx: '2e7b9d04-51c8-4f6a',
      type: 'print',
      ticket: {
        centreName: CENTRE_NAME,
        serviceName: 'Đất đai',
        label: '1001',
        priority: null,
        peopleAhead: 3,
        estimatedWaitMinutes: 25,
        estimatedWaitRange: [20, 30],
        issuedAt: T,
        qrUrl: 'http://192.168.1.10:8080/t/2026-11-23%3A1001/q3VjX0mUe2bQw9_Lr8TzAg',
        footer: 'Vui lòng chờ đến lượt được gọi. Xin cảm ơn!',
      },
    },
  }),
  example({
    title: 'Show a message',
    schema: commandSchemas.message,
    topic: dev('kiosk-a', 'cmd'),
    devices: ALL,
    payload: {
      tx: '6a0c3e95-f2b4-4d71',
      type: 'message',
      text: 'Hệ thống sẽ bảo trì lúc 17:00',
      textEn: 'Maintenance at 17:00',
      tone: 'info',
      seconds: 10,
    },
  }),
  example({
    title: 'Light the keypad for ticket 1001',
    schema: commandSchemas.ratePrompt,
    topic: dev('c1-keypad', 'cmd'),
    devices: ['ratingKeypad'],
    payload: { tx: '4f9a2c6e-0b3d-4a8e', type: 'ratePrompt', ticketLabel: '1001', expiresAt: T + 13 * MIN },
  }),
  // replies
  example({
    title: 'Reply: done',
    schema: commandReplySchema,
    topic: dev('kiosk-a', 'reply'),
    devices: ALL,
    payload: { tx: '2e7b9d04-51c8-4f6a', status: 'ok' },
  }),
  example({
    title: 'Reply: the printer failed',
    schema: commandReplySchema,
    topic: dev('kiosk-a', 'reply'),
    devices: ['dispenser'],
    payload: {
      tx: '2e7b9d04-51c8-4f6a',
      status: 'error',
      error: { code: 'paperOut', message: 'paper ran out while printing' },
    },
  }),
  example({
    title: 'Reply: a command this device does not do',
    schema: commandReplySchema,
    topic: dev('c1-pad', 'reply'),
    devices: ALL,
    payload: {
      tx: '9d3b7e21-c4a6-4f08',
      status: 'error',
      error: { code: 'unsupported', message: 'callPad does not do ratePrompt' },
    },
  }),
  // displays and time
  example({
    title: 'Counter 1 calls ticket 1002',
    schema: counterDisplaySchema,
    topic: dev('c1-display', 'display'),
    devices: ['callDisplay'],
    payload: { counterNumber: 1, label: '1002', state: 'called', blink: true, at: T + 5 * MIN, version: 57 },
  }),
  example({
    title: 'Counter 1 serving ticket 1002',
    schema: counterDisplaySchema,
    topic: dev('c1-display', 'display'),
    devices: ['callDisplay'],
    payload: {
      counterNumber: 1,
      label: '1002',
      state: 'serving',
      blink: false,
      at: T + 6 * MIN,
      version: 58,
    },
  }),
  example({
    title: 'Counter 1 paused',
    schema: counterDisplaySchema,
    topic: dev('c1-display', 'display'),
    devices: ['callDisplay'],
    payload: { counterNumber: 1, label: null, state: 'paused', blink: false, at: T + 40 * MIN, version: 71 },
  }),
  example({
    title: 'Latest calls of zone "tang-1-khu-a", newest first',
    schema: hallDisplaySchema,
    topic: dev('hall-a', 'display'),
    devices: ['hallDisplay'],
    payload: {
      zoneId: 'tang-1-khu-a',
      calls: [
        { label: '1002', counterNumber: 1, at: T + 5 * MIN, recall: false },
        { label: '2001', counterNumber: 3, at: T + 4 * MIN, recall: true },
        { label: '2001', counterNumber: 3, at: T + 2 * MIN, recall: false },
      ],
      version: 57,
    },
  }),
  example({
    title: 'The controller clock',
    schema: timeSchema,
    topic: { broadcast: 'time' },
    devices: ALL,
    payload: { now: T, timezone: 'Asia/Ho_Chi_Minh', day: '2026-11-23' },
  }),
];

/** The device each type's examples use, when an example is shared by several types. */
export const EXAMPLE_DEVICE: Record<DeviceType, string> = {
  dispenser: 'kiosk-a',
  callDisplay: 'c1-display',
  hallDisplay: 'hall-a',
  ratingKeypad: 'c1-keypad',
  scanner: 'kiosk-b-scanner',
  callPad: 'c1-pad',
};

// ── notes keyed by code names (a Record, so nothing is left out) ────────────

/**
 * What a payload field means, where its schema has no `.describe()`: by schema name (as in
 * render-doc.ts) and field path. render-doc.ts refuses a note for a field that does not exist.
 */
export const FIELD_NOTES: Record<string, Record<string, string>> = {
  birthSchema: {
    type: 'must be the type the device is configured as',
    caps: 'informational, shown in the device health',
  },
  'eventSchemas.button': {
    serviceId: 'an `id` of `setup.services`',
    priorityClassId: 'an `id` of `setup.priorityClasses`, when the citizen chose one',
  },
  'eventSchemas.key': {
    key: 'the key pressed',
    reason: 'left out: `other`',
    'to.serviceId': 'service to send the citizen to',
    'to.counterId': 'counter to send the citizen to',
    'to.staffId': 'staff member to send the citizen to',
  },
  'eventSchemas.rate': {
    level:
      'key pressed: 1 = first label of `setup.ratingScale` (best) … N = last (not satisfied); at most the scale size',
  },
  'eventSchemas.scan': {
    data: 'the decoded text, unchanged',
    symbology: 'what kind of code was read, if the reader tells',
  },
  deviceStateSchema: {
    printer: 'the ticket printer (dispensers)',
    'printer.paper': '`low`: near-end sensor; `out`: no paper',
    'printer.cover': 'the paper cover',
    'printer.online': '`false`: the printer does not answer or reports a fault',
  },
  commandReplySchema: {
    tx: 'the `tx` of the command answered',
    data: 'anything worth reporting (the controller ignores it)',
    'error.code': "the device's own code, e.g. `paperOut`, `unsupported`",
    'error.message': 'what happened, for logs',
  },
  eventResponseSchema: {
    boot: 'the answered event’s',
    seq: 'the answered event’s',
    data: 'with `ok`; per event, e.g. `label`, `ticketId`, `message`',
    error: 'with `error`',
    'error.code': 'a [refusal code](#refusal-codes)',
    'error.message': 'English detail, for logs',
  },
  'commandSchemas.setup': {
    centreName: 'for idle screens',
    counter: "the device's counter; `null` when it has none",
    'counter.number': 'the number citizens see',
    services: "dispensers: the services to offer (its zone's); empty for other types",
    'services[].prefix': 'first character(s) of the ticket numbers, e.g. `1` for 1001',
    priorityClasses: 'every priority class of the centre',
    ratingScale: "labels of the rating keys, best first (the centre's 3 to 5 levels)",
  },
  'commandSchemas.print': { ticket: 'what to print ([`printJobSchema`](#printjobschema))' },
  printJobSchema: {
    label: 'the ticket number: print it big',
    priority: 'priority class name, `null` for none',
    peopleAhead: 'citizens ahead when it was issued',
    estimatedWaitMinutes: 'estimated wait when it was issued; `null` when unknown',
    estimatedWaitRange:
      'the range given with it, `[low, high]` minutes (about 80 % of waits fall inside): print "khoảng 20–30 phút" rather than the single number; absent from older controllers',
    issuedAt: 'when it was issued: print as local time',
    footer: 'print last',
  },
  'commandSchemas.message': {
    textEn: 'English, for a second line',
    tone: '`error`: show as a warning',
    seconds: 'how long to show it',
  },
  'commandSchemas.ratePrompt': {
    ticketLabel: 'the ticket of the visit to rate',
    expiresAt: 'stop prompting then (controller clock)',
  },
  counterDisplaySchema: {
    counterNumber: 'the counter number',
    state: '`called`/`serving`: `label` is the citizen called or being served',
    at: 'when it was published',
  },
  hallDisplaySchema: {
    zoneId: 'the zone shown; `null` for the counters without a zone',
    calls: 'newest first',
    'calls[].label': 'ticket number called',
    'calls[].counterNumber': 'counter to go to',
    'calls[].at': 'when it was called',
    'calls[].recall': 'called again',
    version: 'increases with every change; ignore older',
  },
  timeSchema: {
    now: 'controller clock: ms since the Unix epoch, UTC',
    timezone: 'IANA time zone of the centre, e.g. `Asia/Ho_Chi_Minh`',
  },
};

/** Notes for fields of any schema that has them and no note of its own. */
export const COMMON_FIELD_NOTES: Record<string, string> = {
  tx: 'transaction id: reply with it on `reply`',
  type: 'what this payload is',
};

/** Per topic kind: who publishes it, and how. */
export interface TopicRule {
  from: 'device' | 'controller';
  qos: 0 | 1;
  retained: boolean;
  purpose: string;
}

export const TOPIC_RULES: Record<DeviceTopicKind, TopicRule> = {
  birth: {
    from: 'device',
    qos: 1,
    retained: true,
    purpose:
      'Who the device is (type, firmware, boot id). After every connect; the controller answers with `setup`.',
  },
  avail: {
    from: 'device',
    qos: 1,
    retained: true,
    purpose:
      '`online` after connecting; `offline` as the last will and before a clean disconnect. Informational: the controller tracks online/offline from the connection itself.',
  },
  evt: {
    from: 'device',
    qos: 1,
    retained: false,
    purpose:
      'Something happened (a key, a button, a scan). Answered on `res`. The broker clears a retain flag.',
  },
  state: {
    from: 'device',
    qos: 1,
    retained: true,
    purpose:
      'Current condition (printer). After birth and on every change. Only device types that report state.',
  },
  reply: {
    from: 'device',
    qos: 1,
    retained: false,
    purpose: 'The answer to a command, by `tx`. The broker clears a retain flag.',
  },
  cmd: {
    from: 'controller',
    qos: 1,
    retained: false,
    purpose: 'Do something (setup, print, message, ratePrompt). Answer on `reply`.',
  },
  res: {
    from: 'controller',
    qos: 1,
    retained: false,
    purpose: 'The answer to an event, by `boot` and `seq`.',
  },
  display: {
    from: 'controller',
    qos: 1,
    retained: true,
    purpose: 'What a display shows now. Retained, so it arrives again right after every subscribe.',
  },
};

export const BROADCAST_RULES: Record<BroadcastKind, TopicRule> = {
  time: {
    from: 'controller',
    qos: 1,
    retained: true,
    purpose: `The controller clock, at start and every ${CODE_LIMITS.timeBroadcastSeconds} s.`,
  },
};

/** When each refusal code is given, and at which devices. */
export const REFUSAL_NOTES: Record<DeviceRefusal, { when: string; devices: readonly DeviceType[] }> = {
  unknownService: {
    when: 'The `serviceId` of a button is not a service of the centre.',
    devices: ['dispenser'],
  },
  alreadyHasTicket: {
    when: 'This chip ID card already has a ticket waiting or in service (when the centre allows one active ticket per citizen).',
    devices: ['scanner', 'dispenser'],
  },
  noStaff: { when: 'Nobody is logged in at the counter ("next").', devices: ['callPad'] },
  counterNotOpen: { when: 'The counter is closed or paused ("next", "pause").', devices: ['callPad'] },
  counterBusy: {
    when: 'The counter is serving a citizen; finish or transfer first ("pause").',
    devices: ['callPad'],
  },
  noCurrentTicket: {
    when: 'No citizen is called at the counter (recall, skip, start, finish, transfer; a scan to link at a counter).',
    devices: ['callPad', 'scanner'],
  },
  wrongTicketState: {
    when: 'The key does not fit the current visit (e.g. "start" twice). Also the fallback for refusals without a reason of their own.',
    devices: ['callPad', 'scanner', 'dispenser'],
  },
  nothingToRate: {
    when: 'No visit finished at the counter within the rating window.',
    devices: ['ratingKeypad'],
  },
  alreadyRated: { when: 'The last visit at the counter is already rated.', devices: ['ratingKeypad'] },
  bookingNotFound: { when: 'The appointment QR names no booking.', devices: ['scanner'] },
  bookingCancelled: { when: 'The booking was cancelled.', devices: ['scanner'] },
  bookingUsed: { when: 'The booking was already checked in.', devices: ['scanner'] },
  bookingNotToday: { when: 'The booking is for another day.', devices: ['scanner'] },
  transferTarget: {
    when: 'The counter or staff member chosen for a transfer does not serve that service.',
    devices: ['callPad'],
  },
  printerUnavailable: {
    when: "The dispenser's last `state` says it cannot print (paper out, cover open or printer offline).",
    devices: ['dispenser'],
  },
  unknownCode: {
    when: 'The scanned code is not a CCCD, an appointment QR or a dossier code.',
    devices: ['scanner'],
  },
  notHere: {
    when: 'Not possible at this device: a dossier code read by a kiosk scanner.',
    devices: ['scanner'],
  },
  invalid: {
    when: "The event does not match its schema (but has a string `boot` and a number `seq`), an event type this device type does not send, a transfer without `to`, a rating level above the centre's scale, a priority class the centre does not have.",
    devices: ALL,
  },
  unavailable: {
    when: 'The controller cannot record events right now (its storage failed). Try again later.',
    devices: ALL,
  },
  internal: { when: 'A bug in the controller. Try again later; report it.', devices: ALL },
};

/** What each error counter in the device health means. */
export const ERROR_KIND_NOTES: Record<DeviceErrorKind, string> = {
  malformed:
    'Not JSON, not the schema of its topic, a birth whose `type` is not the configured type, an event type the device type does not send.',
  oversized: 'A payload above the size limit (dropped unanswered).',
  duplicate: 'An event seen before (same `boot` and `seq`): a resend. Answered, not handled again.',
  outOfOrder: 'An event with a lower `seq` than one already seen. Handled anyway.',
  unauthorized: 'A refused connect, publish or subscribe (wrong secret, foreign topic, …).',
  rateLimited: 'A message above the rate limit (dropped unanswered).',
  refusedEvent: 'An event answered with `status: "error"`.',
  commandFailed: 'A `print` answered with `status: "error"`, or any command not answered in time.',
};

/** The alerts staff see, and what raises and clears them. */
export const ALERT_NOTES: Record<AlertKind, string> = {
  offline: `Disconnected for ${CODE_LIMITS.offlineAlertSeconds} s (a quick reconnect raises nothing), or not connected within ${CODE_LIMITS.offlineAlertSeconds} s of the controller starting. Cleared on connect.`,
  paperOut: '`state.printer.paper` is `out`.',
  paperLow: '`state.printer.paper` is `low`.',
  coverOpen: '`state.printer.cover` is `open`.',
  printerOffline: '`state.printer.online` is `false`.',
  misbehaving: `${CODE_LIMITS.misbehavingPerMinute} or more counted errors within a minute (repeats of QoS 1 messages do not count). Re-checked every minute; cleared when fewer remain in the last minute.`,
};

/** Per device type: configuration needs and behaviour the firmware must have. */
export const DEVICE_NOTES: Record<DeviceType, { config: string; behaviour: readonly string[] }> = {
  dispenser: {
    config:
      "Usually has a `zoneId` (its kiosk area): it offers the services of that zone and prints the tickets of appointments checked in at that zone's scanner.",
    behaviour: [
      'Build the service buttons from `setup.services` (`name`, and `prefix` if you show the ticket series). A dispenser without a zone gets every service; with a zone, the services of that zone and those without one.',
      'Optionally offer the priority classes of `setup.priorityClasses` (a second screen, or a key): send the chosen `priorityClassId` with the button.',
      'A press sends a `button` event. While it is unanswered, ignore further presses (one event in flight).',
      "The `print` command normally arrives just before the `res` answer (it can come after; do not wait for either one to handle the other). Print every `print` command, also without a press: staff can reprint a ticket, and a kiosk scanner checks appointments in and prints on the zone's dispenser.",
      'Reply `ok` to `print` only once the ticket is out; reply `error` if it could not be printed. Never print the same `tx` twice.',
      'Print: `centreName`, `serviceName`, the `label` in big type, `priority` if not null, `peopleAhead`, `estimatedWaitRange` (when present and not null, e.g. "Thời gian chờ dự kiến: khoảng 20–30 phút", else `estimatedWaitMinutes` when not null, "… 25 phút"), `issuedAt` as local time (use the time broadcast\'s `timezone`), `qrUrl` as a QR code, then `footer`.',
      'Publish `state` (retained) after birth and on every change of paper, cover or printer. While the last state says it cannot print (paper out, cover open, printer offline), button presses are refused with `printerUnavailable`; no state at all counts as able to print. A dispenser the controller cannot reach (offline), or that left a `print` command unanswered, counts as unable to print until it is heard from again: kiosk pages then show the ticket on screen instead of promising paper.',
    ],
  },
  callDisplay: {
    config: 'Must have a `counterId`: it shows that counter.',
    behaviour: [
      'Show what the retained `display` payload says; it arrives at every subscribe, so a rebooted display is right at once.',
      'Ignore a payload whose `version` is lower than the last one shown since you connected; accept the first one after each connect whatever its version (the controller may have been reset).',
      '`blink: true` marks a call or a recall: blink the number and chime. When the payload arrives as a retained message (the MQTT retain flag is set on delivery, i.e. right after subscribing), show it without chiming.',
      'Suggested screens: `called` blink `label`; `serving` steady `label`; `open` with `label: null` an idle screen with the counter number; `paused` "Tạm nghỉ"; `closed` "Quầy tạm đóng" or dark.',
    ],
  },
  hallDisplay: {
    config:
      "Has a `zoneId` to show that zone's calls; without one it shows the calls of counters without a zone.",
    behaviour: [
      `Show \`calls\` newest first (at most ${CODE_LIMITS.hallCalls}): ticket \`label\` → \`counterNumber\`. A \`recall\` entry is the same citizen called again.`,
      'A new entry at the top (a higher `at` than the previous top) is a new call or a recall: highlight it and announce it (chime, or speech such as "Mời công dân số 1002 đến quầy số 1"). Do not announce what arrives as a retained message right after subscribing.',
      'Version rules as for the counter call display. `calls` is empty at the start of a service day.',
    ],
  },
  ratingKeypad: {
    config: 'Must have a `counterId`: a press rates the visit that just finished at that counter.',
    behaviour: [
      'Label the keys from `setup.ratingScale`, best first: key *i* (from 1) sends `level` *i*. The last level is "not satisfied", which the centre follows up. The scale has 3 to 5 levels.',
      'On `ratePrompt`, light the keys and show `ticketLabel` until `expiresAt` (controller clock: keep yours in step with the time broadcast); reply `ok` at once, within the command timeout.',
      'A press sends a `rate` event even when no prompt is lit; the controller decides (`nothingToRate`, `alreadyRated`). Show `data.message` or `error.text`, then go dark.',
    ],
  },
  scanner: {
    config:
      'With a `counterId` it is a counter scanner; without one it is a kiosk scanner of its `zoneId`. What a scan does depends on which (see [Scanned codes](#scanned-codes)).',
    behaviour: [
      'Send every code read as a `scan` event with the decoded text in `data`, unchanged (no parsing on the device; a trailing CR/LF does no harm). Set `symbology` if the reader tells you.',
      "Do not store, log or forward what was read: a chip ID card QR holds the citizen's name, ID number and address.",
      'Show the answer: `data.message` (e.g. "Mời Ông/Bà chọn dịch vụ"), `data.label` (an appointment checked in), or `error.text`.',
      'A chip ID card whose birth date cannot be read (an impossible date such as 31/02, none, or no plausible age) still counts for one ticket per person, but gives no age priority: the answer has `data.ageKnown: false` and a message asking the citizen to choose any priority themselves.',
      'Debounce: the same code read again within a couple of seconds is the same scan; do not send it again.',
    ],
  },
  callPad: {
    config: 'Must have a `counterId`: every key acts on that counter.',
    behaviour: [
      'Each key sends a `key` event: `next` (ends the visit in progress and calls the next citizen), `recall`, `skip` (citizen did not come), `start` (service begins), `finish`, `pause` (with `reason`), `resume`, `transfer` (with `to`: a service, a counter and/or a staff member).',
      'Show `data.label` (the ticket concerned) or `data.message`, or `error.text` on a refusal.',
      'The pad cannot log staff in or open the counter: that is done on the staff screen. Until then "next" is refused (`noStaff`, `counterNotOpen`).',
    ],
  },
};

/** Sample codes for the scanned-code table; the table shows what the controller's parser makes of each. */
export const SAMPLE_SCANS: readonly { data: string; what: string }[] = [
  {
    data: '001099012345|012345678|Nguyễn Văn An|15081960|Nam|Số 1 Trần Phú, Hội An, Quảng Nam|01052021',
    what: 'CCCD QR, 7 fields',
  },
  {
    data: '001099012345||Nguyễn Văn An|15081960|Nam|Số 1 Trần Phú, Hội An, Quảng Nam',
    what: 'CCCD QR, 6 fields, no old id',
  },
  {
    data: '00109901234|012345678|Nguyễn Văn An|15081960|Nam|Hội An|01052021',
    what: 'an 11-digit id: not a CCCD',
  },
  { data: 'QMS-APPT:BK-20261123-0042', what: 'appointment QR' },
  { data: 'QMS-APPT:BK 42', what: 'appointment QR with a space in the booking id' },
  { data: '000.00.20.H42-261123-0001', what: 'dossier code (hồ sơ) from the receipt' },
  { data: 'H42.22-261123-0001/BNV', what: 'dossier code with "/"' },
  { data: 'https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html', what: 'a web link' },
  { data: 'ABCDEF', what: 'no digit' },
];
