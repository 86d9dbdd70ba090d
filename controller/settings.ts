/**
 * Runtime settings: where to listen and where to keep data. Each comes from the command line,
 * else the environment, else a default that works on a fresh machine.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_CENTRE_FILE } from './centre/load.ts';
import { DIST_DIR } from './http/pages.ts';
import { parseAllowEntry } from './security/address-allow-list.ts';

export interface Settings {
  httpPort: number;
  mqttPort: number;
  /** Address both servers bind to. */
  host: string;
  dataDir: string;
  /** Centre configuration file: copied into the data folder on first start (see centre-store.ts). */
  configFile: string;
  /** Replace the data folder's live configuration with `configFile`. */
  importConfig: boolean;
  logLevel: string;
  prettyLogs: boolean;
  /** Base URL printed in ticket QR codes (the citizen's live ticket page); default from host and port. */
  publicUrl: string | null;
  /** The built screens (display/dist by default; `npm run build` makes them). */
  screensDir: string;
  /** The hall voice: Debian's espeak-ng program, by name on PATH or by path. */
  espeakProgram: string;
  /**
   * Optional TLS listener for devices. `only`: the plain listener (MQTT_PORT) is not opened at all, so
   * no device secret or message crosses the network unencrypted.
   */
  mqttTls: { port: number; certFile: string; keyFile: string; only: boolean } | null;
  /** The province's MQTT broker (mqtt:// or mqtts://); null: reporting upstream is not configured. */
  upstreamUrl: string | null;
  /**
   * Addresses or subnets (CIDR) that may read GET /metrics without signing in, besides this machine
   * (127.0.0.1, ::1): the monitoring server. Signed-in managers may always.
   */
  metricsAllow: string[];
  /**
   * Minutes without the user acting (a command, or a key or tap on the page) after which a session
   * ends, per role; the absolute lifetime (SESSION_HOURS) applies as well. See docs/security.md.
   */
  sessionIdleMinutes: { manager: number; staff: number };
}

const port = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must be between 0 and 65535`)
    .max(65535, `${name} must be between 0 and 65535`);

const minutes = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a number of minutes` })
    .int(`${name} must be a whole number of minutes`)
    .min(1, `${name} must be between 1 and 720 minutes`)
    .max(720, `${name} must be between 1 and 720 minutes`)
    .default(fallback);

/** Defaults of the idle timeout (docs/security.md#sessions says why they differ). */
export const SESSION_IDLE_DEFAULTS = { manager: 30, staff: 60 } as const;

const schema = z.object({
  httpPort: port('HTTP_PORT (--http-port)').default(8080),
  mqttPort: port('MQTT_PORT (--mqtt-port)').default(1883),
  host: z.string().min(1).default('0.0.0.0'),
  dataDir: z.string().min(1).default('data'),
  configFile: z.string().min(1).default(DEMO_CENTRE_FILE),
  importConfig: z.boolean().default(false),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  prettyLogs: z.boolean().default(false),
  publicUrl: z
    .url({ error: 'PUBLIC_URL (--public-url) must be a URL such as http://192.168.1.10:8080' })
    .optional(),
  mqttTlsPort: port('MQTT_TLS_PORT (--mqtt-tls-port)').optional(),
  mqttTlsCert: z.string().min(1).optional(),
  mqttTlsKey: z.string().min(1).optional(),
  mqttTlsOnly: z.boolean().default(false),
  screensDir: z.string().min(1).default(DIST_DIR),
  espeakProgram: z.string().min(1).default('espeak-ng'),
  metricsAllow: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    )
    .refine((entries) => entries.every((e) => parseAllowEntry(e) !== null), {
      error:
        'METRICS_ALLOW (--metrics-allow) must be addresses or subnets separated by commas, such as 192.168.1.20,10.0.0.0/24',
    }),
  sessionIdleManager: minutes('SESSION_IDLE_MANAGER (--session-idle-manager)', SESSION_IDLE_DEFAULTS.manager),
  sessionIdleStaff: minutes('SESSION_IDLE_STAFF (--session-idle-staff)', SESSION_IDLE_DEFAULTS.staff),
  upstreamUrl: z
    .url({
      protocol: /^mqtts?$/,
      error:
        'UPSTREAM_URL (--upstream-url) must be an mqtt:// or mqtts:// URL such as mqtts://broker.example.vn:8883',
    })
    .refine((u) => !URL.canParse(u) || !new URL(u).password, {
      error: 'UPSTREAM_URL (--upstream-url) must not carry a password: put it in upstream.credentialsFile',
    })
    .optional(),
});

export const USAGE = `Usage: npm start -- [options]

  --http-port N     HTTP API and screens (env HTTP_PORT, default 8080)
  --mqtt-port N     embedded MQTT broker for devices (env MQTT_PORT, default 1883)
  --host ADDR       address to bind (env BIND_HOST, default 0.0.0.0)
  --data-dir DIR    journal, snapshots and live configuration (env DATA_DIR, default ./data)
  --config FILE     centre configuration to start from (env CENTRE_CONFIG, default the demo centre)
  --import-config   replace the live configuration in DATA_DIR with --config
  --public-url URL  base of the links in ticket QR codes (env PUBLIC_URL, default http://<LAN address>:<http port>, with a warning)
  --mqtt-tls-port N TLS listener for devices (env MQTT_TLS_PORT; needs MQTT_TLS_CERT and MQTT_TLS_KEY)
  --mqtt-tls-cert F PEM certificate (env MQTT_TLS_CERT)
  --mqtt-tls-key F  PEM private key (env MQTT_TLS_KEY)
  --mqtt-tls-only   no plain MQTT listener: devices connect over TLS only (env MQTT_TLS_ONLY=1; needs the TLS settings)
  --metrics-allow L addresses or subnets that may read /metrics besides this machine, comma-separated
                    (env METRICS_ALLOW, e.g. 192.168.1.20,10.0.0.0/24; signed-in managers always may)
  --upstream-url U  the province's MQTT broker, mqtt://host:1883 or mqtts://host:8883 (env UPSTREAM_URL;
                    default: not reporting upstream; see docs/upstream.md)
  --session-idle-manager M  minutes a manager's session survives without use (env SESSION_IDLE_MANAGER, default 30)
  --session-idle-staff M    minutes a staff session survives without use (env SESSION_IDLE_STAFF, default 60;
                    a counter serving a citizen counts as use)
  Environment only: ESPEAK_NG (the hall voice's program, default espeak-ng on PATH), SCREENS_DIR.
  --log-level L     fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)
  --pretty          human-readable logs (env LOG_PRETTY=1|0; default: when on a terminal)
  --help            this text`;

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export function readSettings(argv: string[], env: NodeJS.ProcessEnv): Settings | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'http-port': { type: 'string' },
        'mqtt-port': { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        config: { type: 'string' },
        'import-config': { type: 'boolean' },
        'log-level': { type: 'string' },
        pretty: { type: 'boolean' },
        'public-url': { type: 'string' },
        'mqtt-tls-port': { type: 'string' },
        'mqtt-tls-cert': { type: 'string' },
        'mqtt-tls-key': { type: 'string' },
        'mqtt-tls-only': { type: 'boolean' },
        'upstream-url': { type: 'string' },
        'metrics-allow': { type: 'string' },
        'session-idle-manager': { type: 'string' },
        'session-idle-staff': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new SettingsError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const result = schema.safeParse({
    httpPort: values['http-port'] ?? nonEmpty(env.HTTP_PORT),
    mqttPort: values['mqtt-port'] ?? nonEmpty(env.MQTT_PORT),
    host: values.host ?? nonEmpty(env.BIND_HOST),
    dataDir: values['data-dir'] ?? nonEmpty(env.DATA_DIR),
    configFile: values.config ?? nonEmpty(env.CENTRE_CONFIG),
    importConfig: values['import-config'] ?? false,
    logLevel: values['log-level'] ?? nonEmpty(env.LOG_LEVEL),
    prettyLogs:
      values.pretty ??
      (env.LOG_PRETTY ? env.LOG_PRETTY === '1' || env.LOG_PRETTY === 'true' : process.stdout.isTTY === true),
    publicUrl: values['public-url'] ?? nonEmpty(env.PUBLIC_URL),
    mqttTlsPort: values['mqtt-tls-port'] ?? nonEmpty(env.MQTT_TLS_PORT),
    mqttTlsCert: values['mqtt-tls-cert'] ?? nonEmpty(env.MQTT_TLS_CERT),
    mqttTlsKey: values['mqtt-tls-key'] ?? nonEmpty(env.MQTT_TLS_KEY),
    mqttTlsOnly: values['mqtt-tls-only'] ?? flag(env.MQTT_TLS_ONLY, 'MQTT_TLS_ONLY'),
    screensDir: nonEmpty(env.SCREENS_DIR),
    espeakProgram: nonEmpty(env.ESPEAK_NG),
    upstreamUrl: values['upstream-url'] ?? nonEmpty(env.UPSTREAM_URL),
    metricsAllow: values['metrics-allow'] ?? nonEmpty(env.METRICS_ALLOW),
    sessionIdleManager: values['session-idle-manager'] ?? nonEmpty(env.SESSION_IDLE_MANAGER),
    sessionIdleStaff: values['session-idle-staff'] ?? nonEmpty(env.SESSION_IDLE_STAFF),
  });
  if (!result.success) {
    throw new SettingsError(
      `Invalid settings:\n${result.error.issues.map((i) => `  - ${i.message}`).join('\n')}`,
    );
  }
  const {
    publicUrl,
    mqttTlsPort,
    mqttTlsCert,
    mqttTlsKey,
    mqttTlsOnly,
    upstreamUrl,
    sessionIdleManager,
    sessionIdleStaff,
    ...s
  } = result.data;
  const tlsParts = [mqttTlsPort, mqttTlsCert, mqttTlsKey].filter((v) => v !== undefined).length;
  if (tlsParts !== 0 && tlsParts !== 3) {
    throw new SettingsError(
      'Invalid settings:\n  - MQTT TLS needs all of MQTT_TLS_PORT, MQTT_TLS_CERT and MQTT_TLS_KEY',
    );
  }
  if (mqttTlsOnly && tlsParts === 0) {
    throw new SettingsError(
      'Invalid settings:\n  - MQTT_TLS_ONLY (--mqtt-tls-only) needs MQTT TLS: set MQTT_TLS_PORT, MQTT_TLS_CERT and MQTT_TLS_KEY',
    );
  }
  return {
    ...s,
    dataDir: resolve(s.dataDir),
    configFile: resolve(s.configFile),
    screensDir: resolve(s.screensDir),
    publicUrl: publicUrl ?? null,
    upstreamUrl: upstreamUrl ?? null,
    sessionIdleMinutes: { manager: sessionIdleManager, staff: sessionIdleStaff },
    mqttTls:
      mqttTlsPort !== undefined && mqttTlsCert && mqttTlsKey
        ? {
            port: mqttTlsPort,
            certFile: resolve(mqttTlsCert),
            keyFile: resolve(mqttTlsKey),
            only: mqttTlsOnly,
          }
        : null,
  };
}

/** An on/off environment variable: 1/true/yes or 0/false/no (unset or empty: the default). */
function flag(value: string | undefined, name: string): boolean | undefined {
  const v = nonEmpty(value)?.trim().toLowerCase();
  if (v === undefined) return undefined;
  if (['1', 'true', 'yes'].includes(v)) return true;
  if (['0', 'false', 'no'].includes(v)) return false;
  throw new SettingsError(`Invalid settings:\n  - ${name} must be 1 or 0 (true or false), not "${value}"`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Settings as on a fresh machine, with some changed (tests, benchmarks, the demo). */
export function settingsWith(overrides: Partial<Settings>): Settings {
  // SCREENS_DIR still counts: a test run may serve pages built elsewhere.
  const defaults = readSettings([], { SCREENS_DIR: process.env.SCREENS_DIR });
  if (defaults === 'help') throw new Error('unreachable');
  return { ...defaults, prettyLogs: false, ...overrides };
}
