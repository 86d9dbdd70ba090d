/**
 * Writes docs/protocol.md, the firmware engineer's description of device protocol v1, from the
 * code that defines it: topics (topics.ts), payload schemas (messages.ts, walked through
 * `z.toJSONSchema`), device types (definitions.ts), refusal texts (devices/texts.ts)
 * and the limits of the broker and gateway. Hand-written examples and notes come from doc-text.ts.
 * Deterministic: the same code gives the same text, which tests/devices/protocol-doc.test.ts checks.
 *
 * A tool outside the protocol module: the module imports nothing of the controller, this reads both.
 *
 *   npm run docs:protocol     (tsx scripts/protocol-doc/render-doc.ts)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  centreConfigSchema,
  DEVICE_TYPES,
  type DeviceType,
  MONITOR_USER,
} from '../../controller/centre/schema.ts';
import { ERROR_KINDS } from '../../controller/device-service/device-registry.ts';
import { newSecret } from '../../controller/security/secret-hash.ts';
import { settingsWith } from '../../controller/settings.ts';
import { DEVICE_DEFINITIONS, mayPublish } from '../../devices/protocol/definitions.ts';
import * as messages from '../../devices/protocol/messages.ts';
import {
  BROADCASTS,
  type BroadcastKind,
  broadcastTopic,
  centreRoot,
  DEVICE_IN,
  DEVICE_OUT,
  type DeviceTopicKind,
  deviceTopic,
  PROTOCOL_VERSION,
} from '../../devices/protocol/topics.ts';
import { APPOINTMENT_QR_PREFIX, classifyScan } from '../../devices/scan/classify.ts';
import { type DeviceRefusal, refusalText } from '../../devices/texts.ts';
import {
  ALERT_NOTES,
  BROADCAST_RULES,
  CODE_LIMITS,
  COMMON_FIELD_NOTES,
  DEVICE_NOTES,
  ERROR_KIND_NOTES,
  EXAMPLE_CENTRE_ID,
  EXAMPLE_DEVICE,
  EXAMPLES,
  type Example,
  FIELD_NOTES,
  REFUSAL_NOTES,
  SAMPLE_SCANS,
  TOPIC_RULES,
  type TopicRule,
} from './doc-text.ts';

// ── what is documented ───────────────────────────────────────────────────────

/** The refusal codes a device can meet in `res` (every member of `DeviceRefusal`, checked below). */
export const REFUSAL_CODES = [
  'unknownService',
  'alreadyHasTicket',
  'noStaff',
  'counterNotOpen',
  'counterBusy',
  'noCurrentTicket',
  'wrongTicketState',
  'nothingToRate',
  'alreadyRated',
  'bookingNotFound',
  'bookingCancelled',
  'bookingUsed',
  'bookingNotToday',
  'transferTarget',
  'printerUnavailable',
  'unknownCode',
  'notHere',
  'invalid',
  'unavailable',
  'internal',
] as const satisfies readonly DeviceRefusal[];
type UnlistedRefusal = Exclude<DeviceRefusal, (typeof REFUSAL_CODES)[number]>;
/** Fails to compile when devices/texts.ts gains a refusal this list does not name. */
const _everyRefusalListed: [UnlistedRefusal] extends [never] ? true : UnlistedRefusal = true;

type TopicName = DeviceTopicKind | `broadcast/${BroadcastKind}`;

export interface SchemaEntry {
  /** The export's name in messages.ts (`eventSchemas.button` for a member of a record). */
  name: string;
  schema: z.ZodType;
  topics: readonly TopicName[];
  summary: string;
}

const described: readonly SchemaEntry[] = [
  {
    name: 'birthSchema',
    schema: messages.birthSchema,
    topics: ['birth'],
    summary: 'Who the device is. Published after every connect; the controller answers with `setup`.',
  },
  {
    name: 'availabilitySchema',
    schema: messages.availabilitySchema,
    topics: ['avail'],
    summary: 'Online or offline. `offline` is also the last will.',
  },
  {
    name: 'eventSchemas.button',
    schema: messages.eventSchemas.button,
    topics: ['evt'],
    summary: 'Dispenser: a service button was pressed.',
  },
  {
    name: 'eventSchemas.key',
    schema: messages.eventSchemas.key,
    topics: ['evt'],
    summary: 'Call pad: a key at the counter.',
  },
  {
    name: 'eventSchemas.rate',
    schema: messages.eventSchemas.rate,
    topics: ['evt'],
    summary: "Rating keypad: 1 = best … N = not satisfied (N = the centre's scale size, 3 to 5).",
  },
  {
    name: 'eventSchemas.scan',
    schema: messages.eventSchemas.scan,
    topics: ['evt'],
    summary: 'Scanner: one code read (QR or barcode).',
  },
  {
    name: 'deviceEventSchema',
    schema: messages.deviceEventSchema,
    topics: ['evt'],
    summary: 'Anything on `evt`.',
  },
  {
    name: 'deviceStateSchema',
    schema: messages.deviceStateSchema,
    topics: ['state'],
    summary: 'Retained device state: dispensers report their printer here.',
  },
  {
    name: 'commandReplySchema',
    schema: messages.commandReplySchema,
    topics: ['reply'],
    summary: 'The device’s answer to a command.',
  },
  {
    name: 'eventResponseSchema',
    schema: messages.eventResponseSchema,
    topics: ['res'],
    summary: 'The controller’s answer to an event. `error.text` (Vietnamese) is what the device shows.',
  },
  {
    name: 'commandSchemas.setup',
    schema: messages.commandSchemas.setup,
    topics: ['cmd'],
    summary: 'Sent after each birth: what the device needs to work (buttons, scale, counter).',
  },
  {
    name: 'commandSchemas.print',
    schema: messages.commandSchemas.print,
    topics: ['cmd'],
    summary: 'Dispenser: print this ticket.',
  },
  {
    name: 'printJobSchema',
    schema: messages.printJobSchema,
    topics: ['cmd'],
    summary: 'The `ticket` of a `print` command: everything printed on the ticket.',
  },
  {
    name: 'commandSchemas.message',
    schema: messages.commandSchemas.message,
    topics: ['cmd'],
    summary: 'Any device with a screen: show a short message.',
  },
  {
    name: 'commandSchemas.ratePrompt',
    schema: messages.commandSchemas.ratePrompt,
    topics: ['cmd'],
    summary: 'Rating keypad: the visit that a press would rate (lights the keypad).',
  },
  {
    name: 'deviceCommandSchema',
    schema: messages.deviceCommandSchema,
    topics: ['cmd'],
    summary: 'Anything on `cmd`.',
  },
  {
    name: 'counterDisplaySchema',
    schema: messages.counterDisplaySchema,
    topics: ['display'],
    summary:
      'Retained on a counter call display’s `display` topic: what it must show, even right after a reboot.',
  },
  {
    name: 'hallDisplaySchema',
    schema: messages.hallDisplaySchema,
    topics: ['display'],
    summary: 'Retained on a hall display’s `display` topic: the latest calls of its zone.',
  },
  {
    name: 'timeSchema',
    schema: messages.timeSchema,
    topics: ['broadcast/time'],
    summary: 'Retained broadcast: the controller’s clock.',
  },
];

/** Every schema messages.ts exports (members of exported records by `record.key`), by name. */
export function messageSchemas(): { name: string; schema: z.ZodType }[] {
  const found: { name: string; schema: z.ZodType }[] = [];
  for (const [name, value] of Object.entries(messages).sort(([a], [b]) => a.localeCompare(b))) {
    if (value instanceof z.ZodType) found.push({ name, schema: value });
    else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const members = Object.entries(value);
      if (members.length && members.every(([, v]) => v instanceof z.ZodType)) {
        for (const [key, v] of members) found.push({ name: `${name}.${key}`, schema: v as z.ZodType });
      }
    }
  }
  return found;
}

/** The documented schemas, then any messages.ts export not described above yet (so none is left out). */
export const SCHEMAS: readonly SchemaEntry[] = [
  ...described,
  ...messageSchemas()
    .filter(({ schema }) => !described.some((d) => d.schema === schema))
    .map(({ name, schema }) => ({
      name,
      schema,
      topics: [],
      summary: 'Not described in render-doc.ts yet.',
    })),
];

export function schemaEntryOf(schema: z.ZodType): SchemaEntry {
  const entry = SCHEMAS.find((s) => s.schema === schema);
  if (!entry) throw new Error('an example uses a schema that messages.ts does not export');
  return entry;
}

// ── JSON Schema → field tables ───────────────────────────────────────────────

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  limits: string;
  description: string;
}

function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
}

/** One row per field, nested objects (also inside arrays and nullables) flattened as `a.b` and `a[].b`. */
export function fieldRows(schema: z.ZodType): FieldRow[] {
  const rows: FieldRow[] = [];
  walk(jsonSchemaOf(schema), '', rows);
  return rows;
}

function walk(node: JsonSchema, prefix: string, rows: FieldRow[]): void {
  const required = new Set(node.required ?? []);
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    rows.push({
      path,
      type: typeText(prop),
      required: required.has(name),
      limits: limitsText(prop).join('; '),
      description: prop.description ?? '',
    });
    for (const variant of [prop, ...(prop.anyOf ?? prop.oneOf ?? [])]) {
      if (variant.properties) walk(variant, `${path}.`, rows);
      if (variant.items?.properties) walk(variant.items, `${path}[].`, rows);
    }
  }
}

function typeText(s: JsonSchema): string {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeText).join(' | ');
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length === 0) return 'any JSON value';
  return types
    .map((t) => {
      if (t === 'array') return `array of ${s.items ? typeText(s.items) : 'any JSON value'}`;
      if (t === 'object' && !s.properties) return 'object (any keys)';
      return t;
    })
    .join(' | ');
}

const SAFE = Number.MAX_SAFE_INTEGER;

function range(min: number | undefined, max: number | undefined, unit: string): string | null {
  if (min !== undefined && max !== undefined) return `${min}–${max}${unit}`;
  if (max !== undefined) return `≤ ${max}${unit}`;
  if (min !== undefined) return `≥ ${min}${unit}`;
  return null;
}

function limitsText(s: JsonSchema): string[] {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.flatMap(limitsText);
  const out: string[] = [];
  const length = range(s.minLength, s.maxLength, ' characters');
  if (length) out.push(length);
  const min = s.minimum === -SAFE ? undefined : s.minimum;
  const max = s.maximum === SAFE ? undefined : s.maximum;
  const numbers = range(min, max, '');
  if (numbers) out.push(numbers);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  const items = range(s.minItems, s.maxItems, ' items');
  if (items) out.push(items);
  if (s.items && !s.items.properties) out.push(...limitsText(s.items).map((l) => `each ${l}`));
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  if (s.default !== undefined) out.push(`default \`${JSON.stringify(s.default)}\``);
  return out;
}

// ── markdown helpers ─────────────────────────────────────────────────────────

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => `\`${text}\``;

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${headers.map(cell).join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

/** GitHub's heading anchors. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');
}

const schemaLink = (name: string) => `[${code(name)}](#${slug(name)})`;
const json = (value: unknown) => `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;
const bullets = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');
const list = (items: readonly string[], none = '–') => (items.length ? items.join(', ') : none);

/** The rows of a documented schema, with the notes of doc-text.ts added to the schema's descriptions. */
function documentedRows(name: string): FieldRow[] {
  const entry = SCHEMAS.find((s) => s.name === name);
  if (!entry) throw new Error(`no schema "${name}" in messages.ts`);
  const notes = FIELD_NOTES[name] ?? {};
  return fieldRows(entry.schema).map((r) => {
    const note = notes[r.path] ?? COMMON_FIELD_NOTES[r.path];
    return { ...r, description: [r.description, note].filter(Boolean).join('; ') };
  });
}

/** Every note must name a documented schema and one of its fields, or it would say something untrue. */
function checkFieldNotes(): void {
  for (const [name, notes] of Object.entries(FIELD_NOTES)) {
    const paths = new Set(documentedRows(name).map((r) => r.path));
    for (const path of Object.keys(notes)) {
      if (!paths.has(path)) throw new Error(`doc-text.ts FIELD_NOTES: ${name} has no field "${path}"`);
    }
  }
}

function fieldTable(name: string, only?: readonly string[]): string {
  return table(
    ['Field', 'Type', 'Required', 'Limits', 'Description'],
    documentedRows(name)
      .filter((r) => !only || only.includes(r.path))
      .map((r) => [code(r.path), code(r.type), r.required ? 'yes' : 'no', r.limits, r.description]),
  );
}

function rule(topic: TopicName): TopicRule {
  return topic.startsWith('broadcast/')
    ? BROADCAST_RULES[topic.slice('broadcast/'.length) as BroadcastKind]
    : TOPIC_RULES[topic as DeviceTopicKind];
}

function exampleTopic(e: Example): { topic: string; name: TopicName } {
  if ('broadcast' in e.topic) {
    return {
      topic: broadcastTopic(EXAMPLE_CENTRE_ID, e.topic.broadcast),
      name: `broadcast/${e.topic.broadcast}`,
    };
  }
  return { topic: deviceTopic(EXAMPLE_CENTRE_ID, e.topic.deviceId, e.topic.kind), name: e.topic.kind };
}

function renderExample(e: Example, deviceId?: string): string {
  const shown = deviceId && 'kind' in e.topic ? { ...e, topic: { ...e.topic, deviceId } } : e;
  const { topic, name } = exampleTopic(shown);
  const r = rule(name);
  const how = `QoS ${r.qos}, ${r.retained ? 'retained' : 'not retained'}`;
  return [
    `**${e.title}** · ${code(topic)} (${how}) · ${schemaLink(schemaEntryOf(e.schema).name)}`,
    '',
    json(e.payload),
    ...(e.note ? ['', e.note] : []),
  ].join('\n');
}

const examplesOf = (schema: z.ZodType) => EXAMPLES.filter((e) => e.schema === schema);
const renderExamples = (examples: readonly Example[]) => examples.map((e) => renderExample(e)).join('\n\n');

// ── facts taken from the code ────────────────────────────────────────────────

const L = CODE_LIMITS;
const DEFAULT_MQTT_PORT = settingsWith({}).mqttPort;
const SECRET_LENGTH = newSecret().length;
const ROOT = centreRoot('<centreId>');
const EXAMPLE_ROOT = centreRoot(EXAMPLE_CENTRE_ID);
const configProperties = (
  z.toJSONSchema(centreConfigSchema, { io: 'input', unrepresentable: 'any' }) as unknown as {
    properties: { devices: { items: JsonSchema }; ratings: { properties: { scale: JsonSchema } } };
  }
).properties;
const ID_PATTERN = configProperties.devices.items.properties?.id?.pattern ?? '';
const SCALE = configProperties.ratings.properties.scale;
const bootLimits = fieldRows(messages.eventSchemas.button).find((r) => r.path === 'boot')?.limits ?? '';
const scanDataLimits = fieldRows(messages.eventSchemas.scan).find((r) => r.path === 'data')?.limits ?? '';
const TYPE_NAMES: Record<DeviceType, string> = {
  dispenser: 'Dispenser',
  callDisplay: 'Counter call display',
  hallDisplay: 'Hall display',
  ratingKeypad: 'Rating keypad',
  scanner: 'Scanner',
  callPad: 'Call pad',
};
const typeHeading = (type: DeviceType) => `${TYPE_NAMES[type]} (${code(type)})`;
const typeLink = (type: DeviceType) => `[${code(type)}](#${slug(typeHeading(type))})`;
const COMMANDS = Object.keys(messages.commandSchemas) as messages.DeviceCommandType[];
const EVENTS = Object.keys(messages.eventSchemas) as messages.DeviceEventType[];

// ── sections ─────────────────────────────────────────────────────────────────

interface Section {
  title: string;
  body: () => string;
}

const SECTIONS: readonly Section[] = [
  { title: 'Overview', body: overview },
  { title: 'A device in the centre configuration', body: configuration },
  { title: 'Connecting', body: connecting },
  { title: 'Topics', body: topics },
  { title: 'Connection sequence', body: sequence },
  { title: 'Events and their answers', body: events },
  { title: 'Commands and replies', body: commands },
  { title: 'Time', body: time },
  { title: 'Displays', body: displays },
  { title: 'Device types', body: deviceTypes },
  { title: 'Scanned codes', body: scannedCodes },
  { title: 'Security and limits', body: security },
  { title: 'Health and alerts', body: health },
  { title: 'Watching and imitating devices', body: fieldTools },
  { title: 'Payload reference', body: reference },
];

function fieldTools(): string {
  return `
For a field engineer: see what devices and the controller say, and stand in for a device, without
firmware and without disturbing the others.

**The read-only monitor.** \`npm run provision -- --monitor\` gives the centre a monitor secret
(key \`${MONITOR_USER}\` of \`DATA_DIR/device-secrets.json\`; its hash goes to \`monitor.secretHash\` in the
configuration). User name \`${MONITOR_USER}\`, client id \`${MONITOR_USER}\` or \`${MONITOR_USER}/<anything>\`, so
any number of monitors run at once. It may subscribe to any filter inside \`${ROOT}/\` (wildcards
included) and nothing outside it, and may publish nothing: a publish closes its connection.

\`\`\`sh
npm run monitor                          # every message of the centre, one line each
npm run monitor -- --filter 'dev/c1-pad/#' --url mqtt://192.168.1.10:1883
mosquitto_sub -h 192.168.1.10 -i monitor/laptop -u monitor -P <secret> -t '${ROOT}/#' -v
\`\`\`

A line of \`npm run monitor\` is: time (UTC), the device (or \`broadcast\`), the topic kind, \`R\` for a
retained message delivered on subscribing, and the payload.

**Being a device.** \`npm run device -- <deviceId>\` connects as that MQTT device with its secret from
\`DATA_DIR/device-secrets.json\`, follows the [connection sequence](#connection-sequence), replies
\`ok\` to every command, prints what it receives (\`cmd\`, \`display\`, and the answer to each event) and
sends what you type:

${table(
  ['Device type', 'Type'],
  [
    [
      typeLink('dispenser'),
      '`<serviceId> [priorityClassId]` (a button), `paper <sheets>`, `cover open` / `cover closed`',
    ],
    [
      typeLink('callPad'),
      `${list(messages.CALL_PAD_KEYS.filter((k) => k !== 'pause' && k !== 'transfer').map(code))}, \`pause <reason>\`, \`transfer <serviceId>\``,
    ],
    [typeLink('ratingKeypad'), '`<level>` (1 = best)'],
    [typeLink('scanner'), 'the scanned text, as one line'],
    [
      `${typeLink('callDisplay')}, ${typeLink('hallDisplay')}`,
      'nothing: what the controller shows is printed',
    ],
  ],
)}

The client id is the device's own, so the real device with that id is knocked off while this runs:
use it on a device's id to test the controller, or on a spare id to test a display.
`;
}

export function renderProtocolDoc(): string {
  checkFieldNotes();
  const parts = [
    `# Device protocol v${PROTOCOL_VERSION}`,
    [
      '> Generated by `scripts/protocol-doc/render-doc.ts` from the code that defines the protocol',
      '> (`devices/`, `controller/device-service/`, `controller/transports/mqtt/`). Do not edit it by hand:',
      '> change the code, or the examples and notes in `scripts/protocol-doc/doc-text.ts`, then run',
      '> `npm run docs:protocol`. A test fails while this file is out of date.',
    ].join('\n'),
    'How the devices of a public-service centre (ticket dispensers, call displays, hall displays, ' +
      'rating keypads, scanners, call pads) talk to the centre controller over MQTT: enough to build ' +
      'the firmware of each device from this document alone.',
    `## Contents\n\n${SECTIONS.map((s) => `- [${s.title}](#${slug(s.title)})`).join('\n')}`,
    ...SECTIONS.map((s) => `## ${s.title}\n\n${s.body().trim()}`),
  ];
  return `${parts.join('\n\n')}\n`;
}

function overview(): string {
  return `
The controller runs on a PC in the centre and embeds an MQTT broker. Every device is an MQTT
client on the centre's network: it connects with its own id and secret, says who it is, reports
what happens at it (a button, a key, a scan) and shows or prints what the controller tells it.
All queue logic lives in the controller; a device keeps no queue state of its own.

${table(
  ['Type', 'What it is', 'Sends events', 'Reports state', 'Receives commands', 'Shows from `display`'],
  DEVICE_TYPES.map((type) => {
    const d = DEVICE_DEFINITIONS[type];
    return [
      typeLink(type),
      d.description,
      list(d.events.map(code)),
      d.state ? 'yes' : 'no',
      list(d.commands.map(code)),
      d.display ? `${d.display} display` : '–',
    ];
  }),
)}

Conventions:

${bullets([
  `Payloads are JSON objects in UTF-8 without a byte-order mark, at most ${messages.MAX_PAYLOAD_BYTES} bytes.`,
  'The controller checks every payload against its schema ([Payload reference](#payload-reference)) and ' +
    'refuses unknown fields, wrong types and out-of-range values. Send exactly the documented fields; ' +
    'leave an optional field out rather than sending `null` (send `null` only where the type says so).',
  'In what you receive, ignore fields you do not know.',
  'Times are integers: milliseconds since the Unix epoch, UTC. Service days are local dates, `YYYY-MM-DD`.',
  `Ids (centre, device, counter, zone, service) are 1 to 40 characters matching ${code(ID_PATTERN)}.`,
  'Text for people is Vietnamese with diacritics (e.g. "Mời công dân số 1002 đến quầy số 1"): screens and printers need a font that has them.',
  `The examples use the demo centre (\`config/demo-centre.json\`): centre id ${code(EXAMPLE_CENTRE_ID)}, ` +
    'devices `kiosk-a` (dispenser), `c1-display`, `c1-pad`, `c1-keypad` (counter 1), `hall-a`, ' +
    '`kiosk-b-scanner`, `c1-scanner`, on 23 November 2026 (`1795395600000` is 08:00 local time, UTC+7).',
])}
`;
}

function configuration(): string {
  const notes: Record<string, string> = {
    id: 'The device id: MQTT client id and user name, and part of its topics.',
    type: 'Its device type.',
    counterId: 'The counter it belongs to.',
    zoneId: 'The zone (area of the hall) it belongs to.',
    transport:
      'How it is attached. This protocol is for `mqtt`; only `mqtt` devices may connect to the broker.',
    installed:
      '`false` while the device is configured but not in place yet: it is never reported offline, and a dispenser that is not installed cannot print.',
    secretHash: 'scrypt hash of its secret, set when the device is provisioned; never the secret itself.',
  };
  const rows: FieldRow[] = [];
  walk(configProperties.devices.items, '', rows);
  return `
Each device is one entry of \`devices\` in the centre configuration (\`controller/centre/schema.ts\`):

${table(
  ['Field', 'Type', 'Required', 'Limits', 'Meaning'],
  rows.map((r) => [code(r.path), code(r.type), r.required ? 'yes' : 'no', r.limits, notes[r.path] ?? '']),
)}

A ${(['callDisplay', 'ratingKeypad', 'callPad'] as const).map(code).join(', ')} must name its counter. What
\`counterId\` and \`zoneId\` change for each type is in [Device types](#device-types). The centre's rating
scale (\`ratings.scale\`, sent to devices as \`setup.ratingScale\`) has ${range(SCALE.minItems, SCALE.maxItems, '')} levels.
`;
}

function connecting(): string {
  return `
### Broker address

${bullets([
  `Plain MQTT: \`mqtt://<controller address>:<MQTT_PORT>\`, default port ${DEFAULT_MQTT_PORT}. Always open.`,
  'MQTT over TLS: when the controller is started with all three of `MQTT_TLS_PORT`, `MQTT_TLS_CERT` and ' +
    '`MQTT_TLS_KEY` (`--mqtt-tls-port`, `--mqtt-tls-cert`, `--mqtt-tls-key`), the same broker also listens ' +
    'with TLS on `MQTT_TLS_PORT` (no default; 8883 is usual). Same ids, secrets and rules. The broker presents ' +
    'its certificate and asks for none: the device proves who it is with its secret. Verify the server ' +
    "certificate against the centre's CA or a pinned certificate (on a LAN it is often self-signed). " +
    'Use TLS where the centre has it: on plain TCP the secret crosses the network in clear. With `MQTT_TLS_ONLY=1` (`--mqtt-tls-only`) the plain listener is not opened at all: devices must connect over TLS.',
])}

### CONNECT

${table(
  ['CONNECT field', 'Value'],
  [
    [
      'Protocol',
      'MQTT 3.1.1 (protocol level 4). MQTT 5 is refused (return code 1): the embedded broker (aedes) speaks MQTT 3.1 and 3.1.1 only.',
    ],
    ['Client identifier', 'the device id, e.g. `kiosk-a`'],
    ['User name', 'the device id again; it must equal the client identifier'],
    ['Password', `the device secret (${SECRET_LENGTH} characters, base64url), as its UTF-8 bytes`],
    [
      'Clean session',
      '1 (recommended). The controller sends again whatever matters after each connect (retained `display` and ' +
        'time, `setup` after birth); a persistent session would only deliver stale commands (a `print` the ' +
        'controller already counted as failed).',
    ],
    [
      'Keep alive',
      `1 to ${L.keepaliveLimitSeconds} s; 30 to 60 s recommended. 0 or more than ${L.keepaliveLimitSeconds} is refused (return code 6). ` +
        'The broker drops a client silent for 1.5 × keep alive, and publishes its will.',
    ],
    ['Will topic', code(`${ROOT}/dev/<deviceId>/avail`)],
    ['Will message', '`{"state":"offline"}`, will QoS 1, will retain 1'],
    [
      'TCP',
      'Set TCP_NODELAY on the socket (lwIP and POSIX: `setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1)`). Messages ' +
        "are small: with Nagle's algorithm a press sent right after acknowledging a reply waits for the " +
        "broker's delayed ACK, about 40 ms (measured: call pad next → counter display p50 48.7 ms with it, 4.5 ms " +
        'without). The controller sets it on its side.',
    ],
  ],
)}

### CONNACK return codes

${table(
  ['Code', 'Meaning here', 'What the device does'],
  [
    ['0', 'Accepted', 'Run the [connection sequence](#connection-sequence).'],
    ['1', 'Unacceptable protocol version (MQTT 5, or older than 3.1)', 'Firmware bug: use MQTT 3.1.1.'],
    [
      '2',
      `Client identifier too long (more than ${L.clientIdMaxLength} characters, MQTT 3.1 only)`,
      'Configuration error.',
    ],
    [
      '3',
      `Server unavailable: locked out after ${L.failuresBeforeLockout} wrong secrets (for ${L.lockoutSeconds} s), ` +
        `or more than ${L.connectsPerWindow} connection attempts within ${L.connectWindowSeconds} s`,
      `Wait at least ${L.lockoutSeconds} s before the next attempt.`,
    ],
    [
      '4',
      'Bad user name or password: wrong secret',
      'Provisioning error: show it on the device, retry every 60 s.',
    ],
    [
      '5',
      'Not authorized: unknown device id, client id ≠ user name, a device whose transport is not `mqtt`, or no secret provisioned',
      'Configuration error: show it on the device, retry every 60 s.',
    ],
    [
      '6',
      `Keep alive 0 or above ${L.keepaliveLimitSeconds} s (not a standard MQTT 3.1.1 code; the broker sends it)`,
      'Firmware bug: fix the keep alive.',
    ],
  ],
)}

Every refused connection is logged with the device id and counted against the device
([Health and alerts](#health-and-alerts)).

### Reconnecting

${bullets([
  'Reconnect after any loss, with back-off: 1 s, then doubling up to 60 s, with some random jitter; back to 1 s after a successful connection.',
  `Never more than ${L.connectsPerWindow} attempts within ${L.connectWindowSeconds} s: beyond that every attempt is refused with code 3, and each refused attempt still counts.`,
  `After code 3, wait at least ${L.lockoutSeconds} s. During a lockout even the right secret is refused.`,
  'After every successful connect run the whole [connection sequence](#connection-sequence) again: the controller may have restarted, and its broker keeps nothing across a restart.',
])}
`;
}

function topics(): string {
  const payloadsOf = (name: TopicName) =>
    list(
      SCHEMAS.filter(
        (s) =>
          s.topics.includes(name) &&
          s.schema !== messages.printJobSchema &&
          s.schema !== messages.deviceEventSchema &&
          s.schema !== messages.deviceCommandSchema,
      ).map((s) => schemaLink(s.name)),
    );
  const row = (topic: string, name: TopicName): string[] => {
    const r = rule(name);
    return [
      code(topic),
      r.from === 'device' ? 'device → controller' : 'controller → device',
      String(r.qos),
      r.retained ? 'yes' : 'no',
      payloadsOf(name),
      r.purpose,
    ];
  };
  const stateTypes = DEVICE_TYPES.filter((t) => DEVICE_DEFINITIONS[t].state);
  return `
Every topic of a centre is under \`${ROOT}/\`, where \`<centreId>\` is the centre's \`id\` in the
configuration (e.g. ${code(EXAMPLE_ROOT)}). \`v${PROTOCOL_VERSION}\` is the protocol version. A device owns the
topics under \`${ROOT}/dev/<deviceId>/\`.

${table(
  ['Topic', 'Direction', 'QoS', 'Retained', 'Payload', 'Purpose'],
  [
    ...DEVICE_OUT.map((k) => row(`${ROOT}/dev/<deviceId>/${k}`, k)),
    ...DEVICE_IN.map((k) => row(`${ROOT}/dev/<deviceId>/${k}`, k)),
    ...BROADCASTS.map((b) => row(`${ROOT}/broadcast/${b}`, `broadcast/${b}`)),
  ],
)}

${bullets([
  'QoS 1 everywhere, both ways. Subscribe with QoS 1.',
  'State is retained, events are not. Retained: `birth`, `avail`, `state` (from the device) and `display`, ' +
    '`broadcast/time` (from the controller). The broker clears the retain flag of `evt` and `reply`.',
  `Only ${list(stateTypes.map(typeLink))} may publish \`state\`.`,
  'A device publishes only on its own topics and subscribes only to its own `cmd`, `res`, `display` and the ' +
    'broadcasts; see [Security and limits](#security-and-limits).',
])}
`;
}

function sequence(): string {
  const t = (kind: DeviceTopicKind) => code(`…/dev/<deviceId>/${kind}`);
  return `
After **every** successful connect (not only after power-up):

1. **Connect** with the last will set ([CONNECT](#connect)).
2. **Subscribe**, QoS 1, to exactly these four filters, and wait for the SUBACK:
   ${t('cmd')}, ${t('res')}, ${t('display')}, ${code(`${ROOT}/broadcast/time`)}.
   A granted QoS of \`0x80\` means the filter was refused: a firmware or configuration bug.
   The retained \`display\` (if the device has one) and the retained time arrive now.
3. **Publish** \`{"state":"online"}\` on ${t('avail')}, retained, QoS 1.
4. **Publish the birth** on ${t('birth')}, retained, QoS 1, with the boot id of this power-up
   (the same boot id after a mere reconnect; see [Events](#events-and-their-answers)).
5. A dispenser **publishes its \`state\`** (printer), retained, QoS 1.
6. **Receive \`setup\`** on ${t('cmd')}, apply it and reply \`ok\` on ${t('reply')}. The device is now ready.

Subscribe before the birth: the controller sends \`setup\` as soon as it sees the birth, and a
command published before the subscription exists is lost. If no \`setup\` arrives within about
15 s, publish the birth again. Until \`setup\` has come, show a "connecting" screen and send no events.

The controller ignores a birth that does not match its schema, or whose \`type\` is not the
device's configured type (counted as \`malformed\`): no \`setup\` follows.

Clean shutdown: publish \`{"state":"offline"}\` on ${t('avail')} (retained, QoS 1), then DISCONNECT.
The broker publishes the will only when a connection ends without a DISCONNECT.

\`\`\`text
device                                   broker / controller
  | CONNECT (will: avail offline, retained) |
  |---------------------------------------->|
  |<----------------------------- CONNACK 0 |
  | SUBSCRIBE cmd, res, display, time (QoS1)|
  |---------------------------------------->|
  |<--------- SUBACK; retained display, time|
  | PUBLISH avail {"state":"online"} (ret.) |
  | PUBLISH birth {...} (retained)          |
  |---------------------------------------->|
  |<---------------- cmd {"type":"setup",…} |
  | PUBLISH reply {"tx":…,"status":"ok"}    |
  |---------------------------------------->|
  | … events on evt, answers on res …       |
\`\`\`

${renderExamples(examplesOf(messages.availabilitySchema))}
`;
}

function events(): string {
  const devicesWith = (code: DeviceRefusal) =>
    REFUSAL_NOTES[code].devices.length === DEVICE_TYPES.length
      ? 'all'
      : list(REFUSAL_NOTES[code].devices.map(typeLink));
  return `
${table(
  ['Event `type`', 'Payload', 'Sent by'],
  EVENTS.map((e) => [
    code(e),
    schemaLink(`eventSchemas.${e}`),
    list(
      DEVICE_TYPES.filter((t) => (DEVICE_DEFINITIONS[t].events as readonly string[]).includes(e)).map(
        typeLink,
      ),
    ),
  ]),
)}

Events are published on \`…/evt\` and answered on \`…/res\`; a device type may send only its own.

### The event envelope

Every event carries these fields besides its own ([Payload reference](#payload-reference)):

${fieldTable('eventSchemas.button', ['boot', 'seq', 'ts'])}

Together, \`boot\` and \`seq\` name one event for ever:

${bullets([
  `\`boot\`: a random id (${bootLimits}) drawn at every power-up or reset, e.g. 8 hex digits from the ` +
    'hardware random generator. Keep it across reconnects; never reuse one after a reboot.',
  '`seq`: 0 for the first event after power-up, then +1 for every new event. Never give two events the same `seq` within one boot.',
  '`ts`: the device clock when it happened (informational).',
])}

### Sending, and sending again

${bullets([
  'Publish the event on `…/evt`, QoS 1, not retained.',
  'Wait for the answer on `…/res` with the same `boot` and `seq`. Keep one event in flight: while it is ' +
    'unanswered, ignore or queue further presses.',
  'No answer within 3 s: publish **the same event again** (same `boot`, `seq` and fields). Keep trying every ' +
    '3 s for about 30 s, then show an error (e.g. "Mất kết nối, vui lòng thử lại") and drop it.',
  'A new press is a new event with the next `seq`, even if the last one got no answer.',
])}

### What the controller does with a repeat

${bullets([
  'The first time an event arrives, the controller handles it and answers on `res`.',
  `A repeat (same \`boot\` and \`seq\`) is not handled again. If the first answer is known, the repeat gets that same answer; the controller remembers the last ${L.rememberedAnswers} answers per device. While the first is still being handled, the repeat gets no answer of its own: the one answer comes. Every repeat is counted as \`duplicate\` in the device's health, so do not resend faster than every few seconds.`,
  `An event whose \`seq\` is ${L.dedupeWindow} or more below the highest seen in this boot is treated as a repeat. A lower \`seq\` not seen before is handled (and counted as \`outOfOrder\`).`,
  'A new `boot` starts afresh: the controller forgets the previous boot’s events.',
  'Across a controller restart the memory of answers is lost, but the controller’s journal remembers each ' +
    'request (`<deviceId>:<boot>:<seq>`) for the service day: a repeat changes nothing, and is answered ' +
    'with the ticket the first one concerned.',
])}

### The answer: \`res\`

${fieldTable('eventResponseSchema')}

${bullets([
  '`status: "ok"`: done. `data` depends on the event: see each [device type](#device-types). Show `data.message` when there is one, and `data.label` (a ticket number) when there is one.',
  '`status: "error"`: refused. Show `error.text` (Vietnamese, for the citizen or the staff member). ' +
    '`error.message` is an English detail for logs and service screens. Decide on `error.code`, never on the texts.',
  'No answer at all is given to a message over the size limit or over the rate limit, to one that is not ' +
    'JSON, or to an event that fails its schema and has no string `boot` and number `seq` to answer to.',
  'An event that fails its schema but has `boot` and `seq` is answered with `invalid`, and so is an event ' +
    'type the device type does not send (e.g. `rate` from a dispenser).',
])}

### Refusal codes

The codes of \`error.code\` in \`res\`, with the text the controller puts in \`error.text\`:

${table(
  ['`error.code`', '`error.text` (shown on the device)', 'When', 'Devices'],
  REFUSAL_CODES.map((c) => [code(c), refusalText(c), REFUSAL_NOTES[c].when, devicesWith(c)]),
)}
`;
}

function commands(): string {
  return `
A command is a JSON object with a transaction id \`tx\` and a \`type\`, on \`…/cmd\` (QoS 1, not
retained). Which device types get which:

${table(
  ['Device type', ...COMMANDS.map(code)],
  DEVICE_TYPES.map((type) => [
    typeLink(type),
    ...COMMANDS.map((c) =>
      (DEVICE_DEFINITIONS[type].commands as readonly string[]).includes(c) ? 'yes' : '–',
    ),
  ]),
)}

${table(
  ['Command', 'When the controller sends it'],
  [
    [schemaLink('commandSchemas.setup'), 'After every birth it accepts.'],
    [
      schemaLink('commandSchemas.print'),
      'To a dispenser: after one of its buttons issued a ticket; when staff reprint a ticket it issued; ' +
        'when a kiosk scanner of its zone checks an appointment in.',
    ],
    [
      schemaLink('commandSchemas.message'),
      'Defined for every device with a screen; the current controller does not send it yet. Implement it.',
    ],
    [
      schemaLink('commandSchemas.ratePrompt'),
      'To the rating keypads of a counter, when a visit there finishes.',
    ],
  ],
)}

### The reply

Answer every command on \`…/reply\`, QoS 1, not retained:

${fieldTable('commandReplySchema')}

${bullets([
  `Reply within ${L.commandTimeoutSeconds} s (a \`ratePrompt\` within ${L.ratePromptTimeoutSeconds} s), or the command counts as failed (\`commandFailed\` in the device's health). A later reply is ignored.`,
  'Reply when the work is done: `ok` to `print` once the ticket is out, `error` if it could not be printed.',
  '`error.code` is the device’s own (1 to 40 characters), e.g. `paperOut`, `printerError`, `unsupported`, ' +
    '`invalid`; `error.message` says what happened. An error reply to `print` is counted in the device’s ' +
    'health (`commandFailed`) with its message; the current controller ignores error replies to other commands.',
  'QoS 1 may deliver a command twice. Remember the last few `tx`: a repeated `tx` gets the same reply again ' +
    'and is not done again (never print a ticket twice).',
  'A command `type` the device does not know: reply `error` with code `unsupported`.',
])}

${renderExamples(EXAMPLES.filter((e) => e.schema === messages.commandSchemas.message || (e.schema === messages.commandReplySchema && e.devices.length === DEVICE_TYPES.length)))}
`;
}

function time(): string {
  return `
The controller publishes its clock on ${code(`${ROOT}/broadcast/time`)}, retained, QoS 1, when it
starts and every ${L.timeBroadcastSeconds} s. It arrives at once after subscribing.

${fieldTable('timeSchema')}

${bullets([
  'Set the device clock from `now` at every message. Devices without a real-time clock need it for what they show (time of day, `expiresAt` of a rating prompt, `issuedAt` on tickets).',
  'Show local times in `timezone` (an IANA zone; Vietnam is UTC+7 with no daylight saving).',
  '`day` is the controller’s service day; at its change the displays are cleared.',
])}

${renderExamples(examplesOf(messages.timeSchema))}
`;
}

function displays(): string {
  return `
Call displays and hall displays get no commands to show calls: the controller keeps a payload
**retained** on each display's own \`…/display\` topic (QoS 1). The display shows the latest one,
and gets it again right after every subscribe, so it is right at once after a reboot.

${table(
  ['Display', 'Payload', 'Published when'],
  [
    [
      typeLink('callDisplay'),
      schemaLink('counterDisplaySchema'),
      'At controller start and at the start of each service day; whenever its counter calls, recalls, ' +
        'starts or finishes a service, skips, opens, closes, pauses, resumes, logs staff in or out, ' +
        'transfers away or has its ticket cancelled.',
    ],
    [
      typeLink('hallDisplay'),
      schemaLink('hallDisplaySchema'),
      `At controller start and at the start of each service day; on every call and recall at a counter of its zone (the latest ${L.hallCalls}, newest first).`,
    ],
  ],
)}

${bullets([
  '`version` grows with every change (it is the controller’s event number). Ignore a payload with a lower ' +
    '`version` than the last one shown since you connected. Accept the first one after each connect, whatever ' +
    'its version: the controller’s data may have been reset.',
  'A message delivered with the MQTT retain flag set is the stored state (you just subscribed): show it, ' +
    'but do not chime or announce.',
  'A counter display’s `blink` is `true` only in the payload of a call or recall.',
])}
`;
}

function deviceTypes(): string {
  return DEVICE_TYPES.map((type) => {
    const d = DEVICE_DEFINITIONS[type];
    const notes = DEVICE_NOTES[type];
    const own = EXAMPLES.filter((e) => e.devices.includes(type) && e.devices.length < DEVICE_TYPES.length);
    const publishes = DEVICE_OUT.filter(
      (k) => (k !== 'state' || d.state) && (k !== 'evt' || d.events.length),
    ).map(code);
    const receives = [
      `${code('cmd')} (${list(d.commands.map(code))})`,
      ...(d.events.length ? [`${code('res')} (answers to its events)`] : []),
      ...(d.display
        ? [
            `${code('display')} (${schemaLink(d.display === 'counter' ? 'counterDisplaySchema' : 'hallDisplaySchema')})`,
          ]
        : []),
      code('broadcast/time'),
    ];
    return `### ${typeHeading(type)}

${d.description}.

${table(
  ['', ''],
  [
    ['Configuration', notes.config],
    ['Publishes', list(publishes)],
    ['Receives', list(receives)],
    [
      'Events',
      list(
        d.events.map((e) => schemaLink(`eventSchemas.${e}`)),
        'none',
      ),
    ],
    ['Commands', list(d.commands.map((c) => schemaLink(`commandSchemas.${c}`)))],
    ['Reports state', d.state ? schemaLink('deviceStateSchema') : 'no'],
  ],
)}

${bullets(notes.behaviour)}

#### Examples

${own.map((e) => renderExample(e, e.devices.length > 1 ? EXAMPLE_DEVICE[type] : undefined)).join('\n\n')}`;
  }).join('\n\n');
}

function scannedCodes(): string {
  const rows = SAMPLE_SCANS.map(({ data, what }) => {
    const c = classifyScan(data);
    const kept =
      c.kind === 'citizenId'
        ? `id number (hashed at once), birth date ${c.card.birthDate ? `${c.card.birthDate.year}-${String(c.card.birthDate.month).padStart(2, '0')}-${String(c.card.birthDate.day).padStart(2, '0')}` : 'none'}`
        : c.kind === 'appointment'
          ? `booking ${code(c.bookingId)}`
          : c.kind === 'dossier'
            ? `dossier ${code(c.dossierCode)}`
            : '–';
    return [code(data), what, code(c.kind), kept];
  });
  return `
A scanner sends what it read, unchanged, in the \`data\` of a [\`scan\` event](#eventschemasscan);
the controller decides what it is (\`devices/scan/\`), in this order:

1. **Chip ID card (CCCD) QR**: \`id|old id|full name|date of birth ddmmyyyy|gender|address|issue date ddmmyyyy\`,
   6 to 8 fields separated by \`|\` (card generations differ), the first being the 12-digit
   personal identification number. The controller keeps only the id number, hashed at once with a
   key of the centre (so the same card is recognised, and the number itself is never stored), and
   the date of birth (for the age-based priority). Name, address and the rest are dropped on arrival.
2. **Appointment QR**: ${code(`${APPOINTMENT_QR_PREFIX}<bookingId>`)}, where the booking id is 1 to 80
   characters of \`A-Z a-z 0-9 . _ -\`.
3. **Dossier code** (mã hồ sơ, on the receipt of a filed dossier): 4 to 60 characters of
   \`A-Z a-z 0-9 . - _ /\` with at least one digit.
4. Anything else is refused with \`unknownCode\`.

What a scan does depends on where the scanner is (a \`counterId\` in its configuration makes it a
counter scanner; otherwise it is a kiosk scanner of its \`zoneId\`):

${table(
  ['Code', 'Kiosk scanner (zone)', 'Counter scanner'],
  [
    [
      'CCCD',
      `Identifies the citizen for the next button press at a dispenser of the zone within ${L.kioskHoldSeconds} s: ` +
        'priority by age (the centre’s elderly age and class), one active ticket per citizen (`alreadyHasTicket`). ' +
        'Answer `data`: `identified`, `priority` (class name or `null`), `message`.',
      'Links the citizen to the visit being served at the counter (`noCurrentTicket` if none).',
    ],
    [
      'Appointment',
      'Checks the booking in: a ticket is issued and printed on the zone’s dispenser. Answer `data`: `label`, `ticketId`.',
      'Checks the booking in; nothing is printed. Answer `data`: `label`, `ticketId`.',
    ],
    ['Dossier', 'Refused: `notHere`.', 'Links the dossier to the visit being served at the counter.'],
    ['Other', '`unknownCode`', '`unknownCode`'],
  ],
)}

What the controller's parser makes of some codes (generated by running it):

${table(['`data`', 'What it is', 'Classified as', 'Kept'], rows)}
`;
}

function security(): string {
  const out = (type: DeviceType) => list(DEVICE_OUT.filter((k) => mayPublish(type, k)).map((k) => code(k)));
  return `
### Secrets

${bullets([
  `Each device has its own secret: ${SECRET_LENGTH} characters of base64url (24 random bytes). The controller stores only a scrypt hash of it (\`scrypt:N:r:p:<salt>:<hash>\`).`,
  'A manager gets a new secret for a device with `POST /api/devices/<deviceId>/secret` (answer: `deviceId`, ' +
    '`username`, `secret`, shown once). From then on only the new secret is accepted; a device already ' +
    'connected stays connected until it reconnects.',
  'Keep the secret in the device’s protected storage; never show or log it.',
])}

### Access control

A device may publish only on its own topics and subscribe only to its own inbound topics and the
broadcasts (\`<own>\` = \`${ROOT}/dev/<own device id>/\`):

${table(
  ['Device type', 'May publish on `<own>…`', 'May subscribe to'],
  DEVICE_TYPES.map((type) => [
    typeLink(type),
    out(type),
    `${list(DEVICE_IN.map((k) => code(`<own>${k}`)))}, ${list(BROADCASTS.map((b) => code(`${ROOT}/broadcast/${b}`)))}`,
  ]),
)}

${bullets([
  'Subscriptions must be exactly these filters; any other filter (also with `+` or `#`) is refused with SUBACK `0x80`. The connection stays up.',
  'A publish on any other topic (another device’s, `state` from a type that reports none, `cmd`, …) is refused and the broker closes the connection (MQTT 3.1.1 has no other way to refuse a publish).',
  'Every refusal is logged with the device id and counted as `unauthorized`.',
])}

### Limits

${table(
  ['Limit', 'Value', 'Beyond it'],
  [
    ['Payload size', `${messages.MAX_PAYLOAD_BYTES} bytes`, 'Dropped, not answered; counted as `oversized`.'],
    [
      'Message rate, per device (all topics)',
      `${L.ratePerSecond} per second sustained, bursts of ${L.rateBurst}`,
      'Dropped, not answered; counted as `rateLimited`.',
    ],
    [
      'Wrong secrets',
      `${L.failuresBeforeLockout} in a row`,
      `Locked out for ${L.lockoutSeconds} s: every connect refused with code 3, even with the right secret.`,
    ],
    [
      'Connection attempts',
      `${L.connectsPerWindow} within ${L.connectWindowSeconds} s`,
      'Refused with code 3 (the refused attempts count too).',
    ],
    ['Keep alive', `1 to ${L.keepaliveLimitSeconds} s`, 'Refused with code 6.'],
    [
      'Event repeats remembered',
      `${L.rememberedAnswers} answers, window of ${L.dedupeWindow} \`seq\``,
      'See [Events](#what-the-controller-does-with-a-repeat).',
    ],
    ['Scan `data`', scanDataLimits, 'Refused with `invalid`.'],
  ],
)}

One misbehaving device is limited on its own: it cannot slow the others down.

### Privacy

A scanner reads chip ID cards (CCCD). Do not store, log, display or forward what it reads. The
controller keeps only a keyed hash of the id number and the date of birth (Decree 13/2023/NĐ-CP).
`;
}

function health(): string {
  return `
The controller keeps the health of every configured device: online or not (from the MQTT
connection itself, not from \`avail\`), since when, last message, firmware, hardware, boot id and
capabilities (from the birth), printer (from \`state\`), message count, and counts of errors by kind.
Staff see it, with the alerts, in the staff screens (\`GET /api/devices\`, \`GET /api/alerts\`, and
socket.io \`devices:state\`, \`devices:alert\`).

### Errors counted against a device

${table(
  ['Kind', 'Counted when'],
  ERROR_KINDS.map((k) => [code(k), ERROR_KIND_NOTES[k]]),
)}

### Alerts

${table(
  ['Alert', 'Raised when'],
  (Object.keys(ALERT_NOTES) as (keyof typeof ALERT_NOTES)[]).map((k) => [code(k), ALERT_NOTES[k]]),
)}

Printer alerts follow each \`state\` and clear when it says the cause is gone.
`;
}

function reference(): string {
  return `
Every payload of the protocol, generated from the zod schemas in \`devices/protocol/messages.ts\`.
Nested fields are written \`a.b\`, fields of array items \`a[].b\`. "Required: no" means the field
may be left out; a nested field marked "yes" is required whenever its parent is there.

${SCHEMAS.map((entry) => {
  const topicText = entry.topics.length
    ? `Topic: ${list(entry.topics.map((t) => code(t.startsWith('broadcast/') ? `${ROOT}/${t}` : `…/dev/<deviceId>/${t}`)))} · ${rule(entry.topics[0] as TopicName).from === 'device' ? 'device → controller' : 'controller → device'}`
    : '';
  const union = entry.schema instanceof z.ZodDiscriminatedUnion || entry.schema instanceof z.ZodUnion;
  const body = union
    ? `One of the following, told apart by \`type\`: ${list(
        (entry.schema as z.ZodUnion).options.map((o) => schemaLink(schemaEntryOf(o as z.ZodType).name)),
      )}.`
    : fieldTable(entry.name);
  const first = examplesOf(entry.schema)[0];
  return [
    `### ${code(entry.name)}`,
    [entry.summary, topicText].filter(Boolean).join(' '),
    body,
    ...(first ? [`Example:\n\n${json(first.payload)}`] : []),
  ].join('\n\n');
}).join('\n\n')}
`;
}

// ── run as a script ──────────────────────────────────────────────────────────

export const DOC_FILE = fileURLToPath(new URL('../../docs/protocol.md', import.meta.url));

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(DOC_FILE, renderProtocolDoc());
  console.log(`wrote ${DOC_FILE}`);
}
