/**
 * `npm run sim`: attaches a simulated device for every provisioned MQTT device of the centre to a
 * running controller, and prints what the devices show and print.
 *   npm run sim -- [--url mqtt://localhost:1883] [--data-dir data] [--fault c2-keypad=garbage …]
 * Faults: duplicates, slow-acks, garbage, flapping.
 */
import { parseArgs } from 'node:util';
import { CentreStore } from '../controller/centre/centre-store.ts';
import { readDeviceSecrets } from '../controller/centre/provision.ts';
import { createLogger } from '../controller/logger.ts';
import type { CounterDisplay } from '../devices/protocol/messages.ts';
import type { PrintedTicket } from './devices/dispenser.ts';
import { createFleet, type Fleet, startFleet, stopFleet } from './fleet.ts';
import { TOOL_OPTIONS, toolCentre } from './tool-centre.ts';

export async function attachSimulators(options: {
  url: string;
  dataDir: string;
  configFile: string;
  quiet?: boolean;
}): Promise<Fleet> {
  const store = await CentreStore.open({
    dataDir: options.dataDir,
    seedFile: options.configFile,
    importConfig: false,
    logger: createLogger({ level: 'warn' }),
  });
  const secrets = await readDeviceSecrets(options.dataDir);
  const fleet = createFleet(store.config, secrets, options.url);
  if (fleet.devices.length === 0) {
    throw new Error(
      `no device secrets in ${options.dataDir}/device-secrets.json: run "npm run provision" first`,
    );
  }
  if (!options.quiet) {
    for (const d of fleet.dispensers)
      d.on('printed', (p: PrintedTicket) => log(d.id, `printed ${p.job.label} (${p.job.serviceName})`));
    for (const d of fleet.displays) {
      d.on(
        'display',
        (s: CounterDisplay) => s.blink && s.label && log(d.id, `shows ${s.label}${s.blink ? ' ♪' : ''}`),
      );
    }
  }
  await startFleet(fleet);
  return fleet;
}

function log(deviceId: string, text: string): void {
  console.log(`${new Date().toLocaleTimeString('vi-VN')}  ${deviceId.padEnd(16)} ${text}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { ...TOOL_OPTIONS, fault: { type: 'string', multiple: true } },
  });
  const centre = await toolCentre(values);
  if (!centre) return;
  const url = centre.url;
  const fleet = await attachSimulators({ url, dataDir: centre.dataDir, configFile: centre.configFile });
  console.log(`${fleet.devices.length} simulated devices attached to ${url}. Ctrl+C to stop.`);
  for (const spec of values.fault ?? []) {
    const [id, fault] = spec.split('=');
    const device = fleet.byId(id ?? '');
    if (!device) throw new Error(`--fault ${spec}: no simulated device "${id}"`);
    if (fault === 'duplicates') device.faults.duplicates = true;
    else if (fault === 'slow-acks') device.faults.slowAcksMs = 4000;
    else if (fault === 'garbage') setInterval(() => void device.sendGarbage(50), 1000).unref();
    else if (fault === 'flapping') void device.flap(1_000_000, 2000);
    else throw new Error(`--fault ${spec}: faults are duplicates, slow-acks, garbage, flapping`);
    console.log(`${id}: ${fault}`);
  }
  const stop = async () => {
    await stopFleet(fleet);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  setInterval(() => undefined, 1 << 30);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
