/**
 * `npm run monitor`: watches a centre's device traffic with the read-only monitor credential, one
 * line per message, without disturbing any device (its client id is "monitor/<random>", so any
 * number of monitors and mosquitto_sub sessions can run at once).
 *   npm run monitor -- [--url mqtt://localhost:1883] [--data-dir data] [--config FILE] [--filter dev/c1-pad/#]
 * The secret comes from `npm run provision -- --monitor` (key "monitor" of DATA_DIR/device-secrets.json)
 * or the MONITOR_SECRET environment variable.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { readDeviceSecrets } from '../controller/centre/provision.ts';
import { MONITOR_USER } from '../controller/centre/schema.ts';
import { centreRoot } from '../devices/protocol/topics.ts';
import { TOOL_OPTIONS, toolCentre } from './tool-centre.ts';

const MAX_PAYLOAD_SHOWN = 400;

/** One message as a line: time, device (or broadcast), topic kind, retained flag, the payload. */
export function formatMonitorLine(
  centreId: string,
  topic: string,
  payload: Buffer,
  retained: boolean,
  at = new Date(),
): string {
  const root = `${centreRoot(centreId)}/`;
  const rest = topic.startsWith(root) ? topic.slice(root.length).split('/') : [topic];
  const [who, kind] =
    rest[0] === 'dev' ? [rest[1] ?? '?', rest.slice(2).join('/')] : [rest[0] ?? '?', rest.slice(1).join('/')];
  let text: string;
  try {
    text = JSON.stringify(JSON.parse(payload.toString('utf8')));
  } catch {
    text = `(not JSON, ${payload.length} bytes) ${payload.toString('hex').slice(0, 64)}`;
  }
  if (text.length > MAX_PAYLOAD_SHOWN)
    text = `${text.slice(0, MAX_PAYLOAD_SHOWN)}… (${payload.length} bytes)`;
  const time = at.toISOString().slice(11, 23);
  return `${time}  ${who.padEnd(16)} ${kind.padEnd(8)} ${retained ? 'R' : ' '} ${text}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { ...TOOL_OPTIONS, filter: { type: 'string' } },
  });
  const centre = await toolCentre(values);
  if (!centre) return;
  const centreId = centre.config.centre.id;
  const secret = process.env.MONITOR_SECRET || (await readDeviceSecrets(centre.dataDir))[MONITOR_USER];
  if (!secret) {
    throw new Error(
      `no monitor secret: run "npm run provision -- --monitor" (writes key "${MONITOR_USER}" of ${centre.dataDir}/device-secrets.json) or set MONITOR_SECRET`,
    );
  }
  const url = centre.url;
  const client = await mqtt.connectAsync(url, {
    clientId: `${MONITOR_USER}/${randomUUID().slice(0, 8)}`,
    username: MONITOR_USER,
    password: secret,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  const filter = `${centreRoot(centreId)}/${values.filter ?? '#'}`;
  const granted = await client.subscribeAsync(filter, { qos: 1 });
  if (granted[0]?.qos === 128) throw new Error(`the broker refused the subscription to ${filter}`);
  console.log(`Watching ${filter} on ${url} (Ctrl-C to stop)`);
  client.on('message', (topic, payload, packet) =>
    console.log(formatMonitorLine(centreId, topic, payload, packet.retain)),
  );
  const stop = () => void client.endAsync().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`monitor: ${error.message}`);
    process.exit(1);
  });
}
