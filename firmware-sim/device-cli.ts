/**
 * `npm run device -- <deviceId>`: be one MQTT device from a terminal, to try a display, a call pad
 * or the controller without firmware. It connects as the device (with its secret from
 * DATA_DIR/device-secrets.json), sends its birth, answers `setup` and every command, prints what
 * it receives, and sends what you type:
 *   dispenser     <serviceId> [priorityClassId]   paper <sheets>   cover open|closed
 *   callPad       next | recall | skip | start | finish | resume | pause <reason> | transfer <serviceId>
 *   ratingKeypad  <level>   (1 = best)
 *   scanner       <the scanned text>
 *   displays      nothing to type: what the controller shows is printed
 *   help | quit
 * The real device with the same id is knocked off while this runs (one client id per device).
 *   npm run device -- c1-pad [--url mqtt://localhost:1883] [--data-dir data] [--config FILE]
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { readDeviceSecrets } from '../controller/centre/provision.ts';
import { PAUSE_REASONS, type PauseReason } from '../controller/centre/schema.ts';
import { CALL_PAD_KEYS } from '../devices/protocol/messages.ts';
import { SimCallPad, SimRatingKeypad } from './devices/counter-devices.ts';
import { SimDispenser } from './devices/dispenser.ts';
import { SimScanner } from './devices/scanner.ts';
import { createSimDevice } from './fleet.ts';
import type { SimDevice } from './sim-device.ts';
import { TOOL_OPTIONS, toolCentre } from './tool-centre.ts';

const HELP: Record<string, string> = {
  dispenser: '<serviceId> [priorityClassId] | paper <sheets> | cover open|closed',
  callPad: `${CALL_PAD_KEYS.filter((k) => k !== 'pause' && k !== 'transfer').join(' | ')} | pause <${PAUSE_REASONS.join('|')}> | transfer <serviceId>`,
  ratingKeypad: '<level> (1 = best)',
  scanner: '<the scanned text>',
  callDisplay: '(nothing to type: what the controller shows is printed)',
  hallDisplay: '(nothing to type: what the controller shows is printed)',
};

/** What one typed line does on this device; null for a line it does not understand. */
export async function typed(device: SimDevice, line: string): Promise<unknown | null> {
  const [word = '', ...rest] = line.trim().split(/\s+/);
  if (device instanceof SimDispenser) {
    if (word === 'paper' && rest[0] !== undefined) return device.refill(Number(rest[0]));
    if (word === 'cover' && (rest[0] === 'open' || rest[0] === 'closed'))
      return device.openCover(rest[0] === 'open');
    return word ? device.press(word, rest[0]) : null;
  }
  if (device instanceof SimCallPad) {
    if (word === 'pause' && PAUSE_REASONS.includes(rest[0] as PauseReason))
      return device.press('pause', { reason: rest[0] as PauseReason });
    if (word === 'transfer' && rest[0]) return device.press('transfer', { to: { serviceId: rest[0] } });
    if ((CALL_PAD_KEYS as readonly string[]).includes(word) && word !== 'pause' && word !== 'transfer')
      return device.press(word as (typeof CALL_PAD_KEYS)[number]);
    return null;
  }
  if (device instanceof SimRatingKeypad) return /^[1-5]$/.test(word) ? device.press(Number(word)) : null;
  if (device instanceof SimScanner) return line.trim() ? device.scan(line.trim()) : null;
  return null;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: TOOL_OPTIONS,
  });
  const deviceId = positionals[0];
  if (!deviceId) throw new Error('Usage: npm run device -- <deviceId> [--url URL] [--data-dir DIR]');
  const centre = await toolCentre(values);
  if (!centre) return;
  const config = centre.config.devices.find((d) => d.id === deviceId);
  if (!config) throw new Error(`no device "${deviceId}" in the centre configuration`);
  if (config.transport !== 'mqtt') throw new Error(`"${deviceId}" is a ${config.transport} device, not MQTT`);
  const secret = (await readDeviceSecrets(centre.dataDir))[deviceId];
  if (!secret) throw new Error(`no secret for "${deviceId}": run "npm run provision" first`);
  const url = centre.url;
  const device = createSimDevice(config, {
    url,
    centreId: centre.config.centre.id,
    deviceId,
    secret,
  });
  const show = (what: string, value: unknown) => console.log(`${what.padEnd(8)} ${JSON.stringify(value)}`);
  device.on('command', (c) => show('cmd', c));
  device.on('display', (d) => show('display', d));
  device.on('mqttError', (e: Error) => console.log(`error    ${e.message}`));
  await device.start();
  console.log(`${deviceId} (${config.type}) connected to ${url}. Type: ${HELP[config.type]} — or help, quit`);
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() === 'quit') break;
    if (line.trim() === 'help' || line.trim() === '') {
      console.log(HELP[config.type]);
      continue;
    }
    const answer = await typed(device, line).catch((error: Error) => `failed: ${error.message}`);
    if (answer === null) console.log(`? ${HELP[config.type]}`);
    else if (answer !== undefined) show('answer', answer);
  }
  await device.stop();
  process.exit(0);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(`device: ${error.message}`);
    process.exit(1);
  });
}
