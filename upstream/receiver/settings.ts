/**
 * The receiver's settings: command line, else environment, else a default that runs the whole
 * chain on one machine (its own MQTT listener, embedded PostgreSQL in ./data-province).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_TOPIC_PREFIX } from '../protocol/topics.ts';

export interface BrokerCredentials {
  username: string;
  password: string;
}

export interface ReceiverSettings {
  /** Upstream broker to subscribe to; null: run an embedded MQTT listener on `mqttPort`. */
  brokerUrl: string | null;
  mqttPort: number;
  /** postgres://…; null: embedded PostgreSQL (PGlite) in `dataDir`. */
  databaseUrl: string | null;
  dataDir: string;
  httpPort: number;
  host: string;
  topicPrefix: string;
  provinceId: string;
  /** Shown on the page. */
  provinceName: string;
  /** The MQTT client id: fixed, so the broker keeps the session (and what arrives meanwhile). */
  clientId: string;
  credentials: BrokerCredentials | null;
  /** PEM file of the broker's certificate authority (mqtts:// with a private CA). */
  caFile: string | null;
  timeZone: string;
  logLevel: string;
}

export const USAGE = `Usage: npm run receiver -- [options]

The province receiver: subscribes to the centres' upstream messages, stores them in PostgreSQL and
serves the province page.

  --broker-url URL       upstream broker, mqtt://host:1883 or mqtts://… (env BROKER_URL;
                         default: none, run an embedded MQTT listener on --mqtt-port)
  --mqtt-port N          embedded listener's port (env RECEIVER_MQTT_PORT, default 1884)
  --database-url URL     postgres://user:pass@host:5432/db (env DATABASE_URL; default: none,
                         embedded PostgreSQL in --data-dir)
  --data-dir DIR         embedded PostgreSQL's folder (env RECEIVER_DATA_DIR, default ./data-province)
  --http-port N          province page and API (env RECEIVER_HTTP_PORT, default 8090)
  --host ADDR            address to bind (env RECEIVER_HOST, default 0.0.0.0)
  --topic-prefix P       topic tree prefix (env TOPIC_PREFIX, default ${DEFAULT_TOPIC_PREFIX})
  --province-id ID       province whose centres to receive (env PROVINCE_ID, default quang-nam)
  --province-name NAME   shown on the page (env PROVINCE_NAME, default "tỉnh Quảng Nam")
  --client-id ID         MQTT client id, fixed for the persistent session
                         (env RECEIVER_CLIENT_ID, default province-receiver-<province id>)
  --credentials FILE     JSON {"username": …, "password": …} for the broker (env BROKER_CREDENTIALS)
  --ca-file FILE         PEM CA of the broker's TLS certificate (env BROKER_CA_FILE)
  --time-zone TZ         the province's time zone, for "today" (env RECEIVER_TIME_ZONE,
                         default Asia/Ho_Chi_Minh)
  --log-level L          fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)
  --help                 this text`;

export class ReceiverSettingsError extends Error {
  override name = 'ReceiverSettingsError';
}

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`);

const id = (name: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,80}$/, `${name} may hold only letters, digits, '.', '_' and '-' (at most 80)`);

const schema = z.object({
  brokerUrl: z
    .url({ error: 'BROKER_URL (--broker-url) must be a URL such as mqtt://broker:1883' })
    .refine(
      (u) => /^(mqtts?|wss?|tcp|ssl):\/\//.test(u),
      'BROKER_URL must start with mqtt://, mqtts://, ws:// or wss://',
    )
    .optional(),
  mqttPort: port('RECEIVER_MQTT_PORT (--mqtt-port)').default(1884),
  databaseUrl: z
    .string()
    .refine((u) => /^postgres(ql)?:\/\//.test(u), 'DATABASE_URL (--database-url) must start with postgres://')
    .optional(),
  dataDir: z.string().min(1).default('data-province'),
  httpPort: port('RECEIVER_HTTP_PORT (--http-port)').default(8090),
  host: z.string().min(1).default('0.0.0.0'),
  topicPrefix: z
    .string()
    .regex(
      /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
      'TOPIC_PREFIX (--topic-prefix) must be topic levels without wildcards',
    )
    .default(DEFAULT_TOPIC_PREFIX),
  provinceId: id('PROVINCE_ID (--province-id)').default('quang-nam'),
  provinceName: z.string().min(1).max(120).default('tỉnh Quảng Nam'),
  clientId: id('RECEIVER_CLIENT_ID (--client-id)').optional(),
  credentialsFile: z.string().min(1).optional(),
  caFile: z.string().min(1).optional(),
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'RECEIVER_TIME_ZONE (--time-zone) must be an IANA time zone such as Asia/Ho_Chi_Minh')
    .default('Asia/Ho_Chi_Minh'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

const credentialsSchema = z.strictObject({ username: z.string().min(1), password: z.string().min(1) });

export function readReceiverSettings(argv: string[], env: NodeJS.ProcessEnv): ReceiverSettings | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'broker-url': { type: 'string' },
        'mqtt-port': { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        'http-port': { type: 'string' },
        host: { type: 'string' },
        'topic-prefix': { type: 'string' },
        'province-id': { type: 'string' },
        'province-name': { type: 'string' },
        'client-id': { type: 'string' },
        credentials: { type: 'string' },
        'ca-file': { type: 'string' },
        'time-zone': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new ReceiverSettingsError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const pick = (flag: string, envName: string) =>
    (values[flag] as string | undefined) ?? nonEmpty(env[envName]);
  const result = schema.safeParse({
    brokerUrl: pick('broker-url', 'BROKER_URL'),
    mqttPort: pick('mqtt-port', 'RECEIVER_MQTT_PORT'),
    databaseUrl: pick('database-url', 'DATABASE_URL'),
    dataDir: pick('data-dir', 'RECEIVER_DATA_DIR'),
    httpPort: pick('http-port', 'RECEIVER_HTTP_PORT'),
    host: pick('host', 'RECEIVER_HOST'),
    topicPrefix: pick('topic-prefix', 'TOPIC_PREFIX'),
    provinceId: pick('province-id', 'PROVINCE_ID'),
    provinceName: pick('province-name', 'PROVINCE_NAME'),
    clientId: pick('client-id', 'RECEIVER_CLIENT_ID'),
    credentialsFile: pick('credentials', 'BROKER_CREDENTIALS'),
    caFile: pick('ca-file', 'BROKER_CA_FILE'),
    timeZone: pick('time-zone', 'RECEIVER_TIME_ZONE'),
    logLevel: pick('log-level', 'LOG_LEVEL'),
  });
  if (!result.success) {
    throw new ReceiverSettingsError(
      `Invalid settings:\n${result.error.issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
  }
  const s = result.data;
  return {
    brokerUrl: s.brokerUrl ?? null,
    mqttPort: s.mqttPort,
    databaseUrl: s.databaseUrl ?? null,
    dataDir: resolve(s.dataDir),
    httpPort: s.httpPort,
    host: s.host,
    topicPrefix: s.topicPrefix,
    provinceId: s.provinceId,
    provinceName: s.provinceName,
    clientId: s.clientId ?? `province-receiver-${s.provinceId}`,
    credentials: s.credentialsFile ? readCredentials(resolve(s.credentialsFile)) : null,
    caFile: s.caFile ? resolve(s.caFile) : null,
    timeZone: s.timeZone,
    logLevel: s.logLevel,
  };
}

export function readCredentials(file: string): BrokerCredentials {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ReceiverSettingsError(
      `cannot read the broker credentials file ${file}: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ReceiverSettingsError(`the broker credentials file ${file} is not JSON`);
  }
  const parsed = credentialsSchema.safeParse(data);
  if (!parsed.success) {
    throw new ReceiverSettingsError(
      `the broker credentials file ${file} must be {"username": "…", "password": "…"}: ${parsed.error.issues
        .map((i) => `${i.path.join('.') || '(file)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return parsed.data;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
