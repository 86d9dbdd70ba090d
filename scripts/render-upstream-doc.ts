/**
 * Writes docs/upstream.md and the JSON Schema files `upstream/protocol/schemas/<kind>.v1.json` from
 * the upstream protocol module: the topic tree (topics.ts), each message's fields from its zod
 * schema (messages.ts, through `z.toJSONSchema`), an example of each (examples.ts), and the
 * configuration block (the centre configuration's schema). Deterministic: the same code gives the
 * same files, which tests/upstream/protocol-doc.test.ts checks.
 *
 *   npm run docs:upstream     (tsx scripts/render-upstream-doc.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { centreConfigSchema } from '../controller/centre/schema.ts';
import { dailySummary } from '../controller/visits/daily-summary.ts';
import {
  EXAMPLE_CENTRE,
  EXAMPLE_DAY,
  EXAMPLE_LIVE,
  EXAMPLE_PREFIX,
  EXAMPLE_PROVINCE,
  EXAMPLE_STATUS_ONLINE,
  EXAMPLE_STATUS_WILL,
  EXAMPLE_VISITS,
  type UpstreamExample,
} from '../upstream/protocol/examples.ts';
import {
  MAX_UPSTREAM_BYTES,
  UPSTREAM_SCHEMA_VERSION,
  UPSTREAM_SCHEMAS,
} from '../upstream/protocol/messages.ts';
import {
  DEFAULT_TOPIC_PREFIX,
  provinceFilter,
  UPSTREAM_KINDS,
  UPSTREAM_VERSION,
  type UpstreamKind,
  upstreamTopic,
} from '../upstream/protocol/topics.ts';

export const DOC_FILE = fileURLToPath(new URL('../docs/upstream.md', import.meta.url));
export const SCHEMA_DIR = fileURLToPath(new URL('../upstream/protocol/schemas/', import.meta.url));

export const schemaFileName = (kind: UpstreamKind) => `${kind}.v${UPSTREAM_SCHEMA_VERSION}.json`;

/** How each kind is sent. */
export const KIND_RULES: Record<UpstreamKind, { topic: string; qos: 1; retained: boolean; when: string }> = {
  status: {
    topic: 'status',
    qos: 1,
    retained: true,
    when: 'online when the controller connects; offline as the last will (set at connect) and on a clean stop',
  },
  visit: {
    topic: 'visit',
    qos: 1,
    retained: false,
    when: 'each visit record, once it is final, in journal order (`seq`); a backlog drains at `backlogRatePerSecond`',
  },
  live: {
    topic: 'live',
    qos: 1,
    retained: true,
    when: 'on change (coalesced: at most one per `liveMinIntervalMs`) and at least every `liveIntervalSeconds` (≤ 30 s)',
  },
  daily: {
    topic: 'daily/<day>',
    qos: 1,
    retained: true,
    when: 'when the next day starts and the day’s records are all sent; again with `revision` + 1 if its figures change',
  },
};

const SUMMARIES: Record<UpstreamKind, string> = {
  status:
    'Birth and death. A province tells a centre that is offline (last `status` is `offline`) from one that is quiet (online, no visits). The last will has `at: null`; the offline message of a clean stop carries the `at` of the birth it ends.',
  visit:
    'One visit to one service, derived from the centre’s journal when it ends: served, no-show, transferred on (one record per leg, chained by `transfer`), cancelled, or expired at the day’s end. A served visit is held until it is rated, its rating window passes, or the counter finishes another visit. Immutable: the same visit always yields the same `id` and content.',
  live: 'The centre right now: waiting and longest wait per service, the estimate a citizen is given, counters, devices offline, today’s satisfaction and wait target, and the publisher’s own backlog. Figures are those of the manager dashboard.',
  daily:
    'A day’s figures from its visit records (the same definitions as the centre’s daily report): counts by outcome, wait (mean, median, 90th percentile, share within the target), service time, satisfaction per 766/QĐ-TTg, dossiers per staff member; per service too.',
};

export function examples(): UpstreamExample[] {
  const config = centreConfigSchema.parse({
    schemaVersion: 1,
    centre: {
      id: EXAMPLE_CENTRE,
      name: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
      level: 'province',
    },
    services: [
      { id: 'dat-dai', name: 'Đất đai', prefix: '1' },
      { id: 'cu-tru', name: 'Cư trú', prefix: '8' },
    ],
    counters: [{ id: 'quay-1', number: 1, name: 'Quầy 1' }],
  });
  const daily = dailySummary(
    config,
    EXAMPLE_PROVINCE,
    EXAMPLE_DAY,
    EXAMPLE_VISITS,
    1,
    Date.parse('2026-12-05T00:00:02+07:00'),
  );
  return [
    {
      title: 'A served, rated visit',
      kind: 'visit',
      payload: EXAMPLE_VISITS[0] as UpstreamExample['payload'],
    },
    {
      title: 'A leg transferred to another service',
      kind: 'visit',
      payload: EXAMPLE_VISITS[1] as UpstreamExample['payload'],
    },
    { title: 'A live snapshot', kind: 'live', payload: EXAMPLE_LIVE },
    { title: 'A daily summary (of the two records above)', kind: 'daily', day: EXAMPLE_DAY, payload: daily },
    { title: 'Birth', kind: 'status', payload: EXAMPLE_STATUS_ONLINE },
    { title: 'The last will', kind: 'status', payload: EXAMPLE_STATUS_WILL },
  ];
}

// ── JSON Schema ─────────────────────────────────────────────────────────────────────────────────

/** The JSON Schema file of one kind, as written to upstream/protocol/schemas/. */
export function jsonSchemaFile(kind: UpstreamKind): string {
  const schema = z.toJSONSchema(UPSTREAM_SCHEMAS[kind], { io: 'input', unrepresentable: 'throw' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = schema;
  return `${JSON.stringify(
    {
      $schema,
      $id: `https://qms.invalid/upstream/v${UPSTREAM_SCHEMA_VERSION}/${kind}.json`,
      title: `Upstream ${kind} message, version ${UPSTREAM_SCHEMA_VERSION}`,
      description: SUMMARIES[kind],
      ...rest,
    },
    null,
    2,
  )}\n`;
}

// ── field tables ────────────────────────────────────────────────────────────────────────────────

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
  pattern?: string;
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  limits: string;
  description: string;
}

export function fieldRows(schema: JsonSchema): FieldRow[] {
  const rows: FieldRow[] = [];
  walk(schema, '', rows);
  return rows;
}

function walk(node: JsonSchema, prefix: string, rows: FieldRow[]): void {
  const required = new Set(node.required ?? []);
  for (const [name, prop] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    const description =
      prop.description ?? (prop.anyOf ?? []).map((v) => v.description).find((d) => d !== undefined) ?? '';
    rows.push({
      path,
      type: typeText(prop),
      required: required.has(name),
      limits: limitsText(prop).join('; '),
      description,
    });
    for (const variant of [prop, ...(prop.anyOf ?? prop.oneOf ?? [])]) {
      if (variant.properties) walk(variant, `${path}.`, rows);
      if (variant.items?.properties) walk(variant.items, `${path}[].`, rows);
    }
  }
}

function typeText(s: JsonSchema): string {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.map(typeText).join(' \\| ');
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  return types
    .map((t) => (t === 'array' ? `array of ${s.items ? typeText(s.items) : 'any'}` : t))
    .join(' \\| ');
}

const SAFE = Number.MAX_SAFE_INTEGER;

function limitsText(s: JsonSchema): string[] {
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return variants.flatMap(limitsText);
  const out: string[] = [];
  const range = (min: number | undefined, max: number | undefined, unit: string) =>
    min !== undefined && max !== undefined
      ? `${min}–${max}${unit}`
      : max !== undefined
        ? `≤ ${max}${unit}`
        : min !== undefined
          ? `≥ ${min}${unit}`
          : null;
  const length = range(s.minLength, s.maxLength, ' characters');
  if (length) out.push(length);
  const numbers = range(
    s.minimum === -SAFE ? undefined : s.minimum,
    s.maximum === SAFE ? undefined : s.maximum,
    '',
  );
  if (numbers) out.push(numbers);
  if (s.exclusiveMinimum !== undefined) out.push(`> ${s.exclusiveMinimum}`);
  if (s.pattern) out.push(`pattern \`${s.pattern}\``);
  if (s.default !== undefined) out.push(`default \`${JSON.stringify(s.default)}\``);
  return out;
}

function table(rows: FieldRow[]): string {
  return [
    '| field | type | required | limits | meaning |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : 'no'} | ${r.limits.replaceAll('|', '\\|')} | ${r.description} |`,
    ),
  ].join('\n');
}

const json = (value: unknown) => `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;

// ── the document ────────────────────────────────────────────────────────────────────────────────

export function renderUpstreamDoc(): string {
  const root = `<prefix>/v${UPSTREAM_VERSION}/<provinceId>/<centreId>`;
  const configSchema = z.toJSONSchema(centreConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as unknown as {
    properties: { upstream: JsonSchema };
  };
  const upstreamBlock = fieldRows(configSchema.properties.upstream);
  const all = examples();
  const messageSections = UPSTREAM_KINDS.map((kind) => {
    const schema = z.toJSONSchema(UPSTREAM_SCHEMAS[kind], { io: 'input' }) as JsonSchema;
    const rule = KIND_RULES[kind];
    const mine = all.filter((e) => e.kind === kind);
    return [
      `### \`${kind}\``,
      `${SUMMARIES[kind]}`,
      `Topic \`${root}/${rule.topic}\`, QoS ${rule.qos}, ${rule.retained ? 'retained' : 'not retained'}. JSON Schema: [\`upstream/protocol/schemas/${schemaFileName(kind)}\`](../upstream/protocol/schemas/${schemaFileName(kind)}).`,
      table(fieldRows(schema)),
      ...mine.map(
        (e) =>
          `${e.title}, on \`${upstreamTopic(EXAMPLE_PREFIX, EXAMPLE_PROVINCE, EXAMPLE_CENTRE, e.kind, e.day)}\`:\n\n${json(e.payload)}`,
      ),
    ].join('\n\n');
  }).join('\n\n');

  return `# Upstream protocol v${UPSTREAM_VERSION}: what a centre reports to its province

<!-- Generated by scripts/render-upstream-doc.ts from the upstream protocol module: edit those, then run npm run docs:upstream. -->

The controller reports wait times and satisfaction to the province's MQTT broker: every visit record,
a live snapshot of the hall, each day's summary, and whether it is online. This is the contract
between a centre and its province: every message has one zod schema in
\`upstream/protocol/messages.ts\`, from which this page, the JSON Schema files in
\`upstream/protocol/schemas/\` and the validation of both sides come.

No message carries a name, an ID card number, a citizen key, a dossier code or a free-text note.
Staff appear only as a pseudonym (\`st-\` and 16 letters, a keyed hash stable within one centre).

## Connecting

- **Where**: \`UPSTREAM_URL\` (or \`--upstream-url\`), \`mqtt://host:1883\` or \`mqtts://host:8883\`. Without
  it the controller does not report upstream; the manager dashboard and \`GET /api/upstream\` say
  "not configured". The URL carries no password.
- **Who**: the centre configuration's \`upstream\` block (below) names the province; user name and
  password come from \`upstream.credentialsFile\`, a JSON file \`{"username": "…", "password": "…"}\`
  in the data folder (never in the configuration itself). For \`mqtts://\`, \`upstream.ca\` names the PEM
  file of the authority that signed the broker's certificate (otherwise the system's authorities).
- **How**: MQTT 5 by default, MQTT 3.1.1 with \`protocolVersion: 4\`. Client id
  \`qms-<provinceId>-<centreId>\`, persistent session (\`clean: false\`, session expiry 7 days on MQTT 5),
  reconnects every 2 s. The last will is the \`status\` message \`offline\` (retained, QoS 1).
- **Faults**: a broker that cannot be reached, refuses the credentials, or goes away mid-send never
  stops the hall. The log says what is wrong once per change of state (not per retry); the
  dashboard and \`GET /api/upstream\` show it.

## Topics

Every message of a centre is under \`${root}/\`; the default prefix is \`${DEFAULT_TOPIC_PREFIX}\`. A province
subscribes to \`${provinceFilter('<prefix>', '<provinceId>')}\` (every centre, every kind, every version), QoS 1, with a
persistent session. Messages are JSON in UTF-8, at most ${MAX_UPSTREAM_BYTES / 1024} KiB.

| kind | topic | QoS | retained | sent | JSON Schema |
|---|---|---|---|---|---|
${UPSTREAM_KINDS.map((k) => {
  const r = KIND_RULES[k];
  return `| \`${k}\` | \`${root}/${r.topic}\` | ${r.qos} | ${r.retained ? 'yes' : 'no'} | ${r.when} | \`schemas/${schemaFileName(k)}\` |`;
}).join('\n')}

## Delivery guarantees

- **Nothing lost.** The centre's journal is the store: the publisher keeps a durable cursor
  (\`DATA_DIR/upstream-cursor.json\`, written atomically with fsync) of the visit records the broker
  has acknowledged (PUBACK), with the visit ledger's checkpoint there. After a link outage of
  minutes or days, or a power cut, it resumes from the cursor by reading the journal: there is no
  separate copy that could diverge. Journal segments still needed upstream are never pruned.
- **In order.** Visit records are published in the order of \`seq\` (the journal sequence number of
  the event that ended the visit), at most \`maxInFlight\` unacknowledged at a time. A day's summary
  follows the last record of its day.
- **At least once on the wire, once at the receiver.** A record may arrive twice (QoS 1 resends,
  or records sent again after a restart, up to the last cursor checkpoint). Every message has an id
  (\`messageId()\` in messages.ts): a visit's \`id\`; \`<centreId>/live/<at>\`;
  \`<centreId>/daily/<day>/<revision>\`; \`<centreId>/status/<state>/<at or 0>\`. A receiver stores each id
  once, and orders visit records by \`seq\` (not by arrival).
- **Live while draining.** A backlog drains at \`backlogRatePerSecond\`; live snapshots keep going out
  meanwhile (they are retained: only the latest matters).
- **Alerts.** The manager dashboard raises an alert when the oldest unsent record ended more than
  \`backlogAlertMinutes\` ago, or when the journal kept for the province passes
  \`backlogAlertMegabytes\`.

## Versioning

- The version is in the topic (\`v${UPSTREAM_VERSION}\`) and in every message (\`v: ${UPSTREAM_SCHEMA_VERSION}\`).
- Within a version the format is fixed: every object is strict (\`additionalProperties: false\` in
  the JSON Schema files), so a message with a field its version does not have fails validation.
  Any change, even one added field, takes a new version: a new topic level (\`v2\`) and \`v: 2\`,
  with its own schema files. A centre may publish both versions during a transition.
- A receiver **parks** a message of a version it does not know (or one that fails its schema) in a
  dead-letter store with the reason, never drops it silently, so it can be replayed once the
  receiver is upgraded.

## Messages

${messageSections}

## Configuration: the \`upstream\` block

In the centre configuration ([configuration.md](configuration.md)). Optional: without it, the
controller does not report upstream even with \`UPSTREAM_URL\` set (it says so once in the log and on
the dashboard).

${table(upstreamBlock)}

## The publisher's state

\`GET /api/upstream\` (managers): \`configured\`, the broker (without credentials), \`connected\`, the
link's \`state\` and \`problem\`, \`backlog\` (\`records\` derived and not acknowledged, \`oldestEndedAt\`,
\`lastAckedSeq\`, \`eventsBehind\`: journal events not yet read, \`journalBytes\`: journal kept for the
province), \`cursorSeq\`, \`lastAckAt\`, \`lastLiveAt\` and its \`alerts\`. Not configured:
\`{ "configured": false, "reason": "…" }\`. \`/healthz\` has an \`upstream\` section (\`configured\`,
\`connected\`, \`backlog\`, \`oldestUnsent\`, \`lastAckedSeq\`); the province being unreachable never makes
\`/healthz\` fail. The manager dashboard shows it as *Báo cáo lên tỉnh*.
`;
}

// ── run as a script ─────────────────────────────────────────────────────────────────────────────

export function writeAll(): string[] {
  mkdirSync(SCHEMA_DIR, { recursive: true });
  const written = [DOC_FILE];
  writeFileSync(DOC_FILE, renderUpstreamDoc());
  for (const kind of UPSTREAM_KINDS) {
    const file = resolve(SCHEMA_DIR, schemaFileName(kind));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, jsonSchemaFile(kind));
    written.push(file);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const file of writeAll()) console.log(`wrote ${file}`);
}
