/**
 * `npm run demo`: a living centre for a newcomer. Starts the province's receiver (its own MQTT
 * listener and an embedded PostgreSQL in ./data-demo/province), then the controller on the demo
 * centre (data in ./data-demo) reporting to it, gives the devices secrets, attaches a simulated
 * device for each, logs staff in, and plays citizens arriving, being called, served and rating —
 * all through the devices, over MQTT — so the whole chain, hall to province, runs on one machine.
 *   npm run demo -- [--speed 30]   (simulated minutes per real minute; default 30)
 * Open http://localhost:8080/ (the centre) and http://localhost:8090/ (the province) while it runs.
 * With UPSTREAM_URL set, the controller reports there instead and no receiver is started.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CentreStore } from '../controller/centre/centre-store.ts';
import { provisionDevices } from '../controller/centre/provision.ts';
import { type CentreConfig, type Counter, centreConfigSchema } from '../controller/centre/schema.ts';
import { Controller } from '../controller/controller.ts';
import { satisfaction } from '../controller/core/satisfaction.ts';
import { DataDirLock } from '../controller/data-dir-lock.ts';
import { createLogger } from '../controller/logger.ts';
import { readSettings } from '../controller/settings.ts';
import { startReceiver } from '../upstream/receiver/receiver.ts';
import type { SimCallPad, SimRatingKeypad } from './devices/counter-devices.ts';
import { SAMPLE_CCCD, type SimScanner } from './devices/scanner.ts';
import { attachSimulators } from './run.ts';
import { sleep } from './sim-device.ts';

const { values } = parseArgs({ args: process.argv.slice(2), options: { speed: { type: 'string' } } });
const speed = Math.max(1, Number(values.speed ?? 30));
const settings = readSettings([], {
  ...process.env,
  DATA_DIR: process.env.DATA_DIR ?? 'data-demo',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
if (settings === 'help') process.exit(0);
const logger = createLogger({ level: settings.logLevel, pretty: true });
const say = (text: string) => console.log(`${new Date().toLocaleTimeString('vi-VN')}  ${text}`);
/** Real milliseconds for a number of simulated minutes. */
const minutes = (m: number) => (m * 60_000) / speed;

const lock = await DataDirLock.acquire(settings.dataDir, 'demo');
const store = await CentreStore.open({
  dataDir: settings.dataDir,
  seedFile: settings.configFile,
  importConfig: false,
  logger,
});
const given = await provisionDevices(store, settings.dataDir);
if (given.length) say(`gave secrets to ${given.length} devices (${settings.dataDir}/device-secrets.json)`);

// The province's side: the reference receiver on embedded defaults, unless a broker was named.
const receiver = settings.upstreamUrl
  ? null
  : await startReceiver({
      dataDir: join(settings.dataDir, 'province'),
      mqttPort: Number(process.env.RECEIVER_MQTT_PORT ?? 1884),
      httpPort: Number(process.env.RECEIVER_HTTP_PORT ?? 8090),
      host: settings.host,
    });
if (!store.config.upstream) {
  // The demo centre reports to the receiver's province; its embedded listener speaks MQTT 3.1.1.
  await store.save({ ...store.config, upstream: demoUpstream(store.config.upstream) }, 'demo');
}
await lock.release(); // the controller takes it next
if (receiver)
  say(`province receiver: http://localhost:${receiver.httpPort}/ (centres publish to ${receiver.brokerUrl})`);

const controller = new Controller(
  { ...settings, upstreamUrl: settings.upstreamUrl ?? receiver?.brokerUrl ?? null },
  logger,
);
const started = await controller.start();
const fleet = await attachSimulators({
  url: `mqtt://127.0.0.1:${started.mqttPort}`,
  dataDir: settings.dataDir,
  configFile: settings.configFile,
});
say(`${started.centre}: ${fleet.devices.length} simulated devices on mqtt://localhost:${started.mqttPort}`);
say(
  `live queue: http://localhost:${started.httpPort}/api/queue   devices: http://localhost:${started.httpPort}/api/devices`,
);

const config = controller.queue.config;
let running = true;
const stop = async () => {
  running = false;
  await Promise.all(fleet.devices.map((d) => d.stop()));
  await controller.stop();
  await receiver?.stop();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

// Staff take their counters: each counter gets someone who covers what it is equipped for.
const seated = new Set<string>();
for (const counter of config.counters) {
  const person = config.staff.find(
    (s) =>
      !seated.has(s.id) &&
      (counter.services.length === 0 || s.services.some((x) => counter.services.includes(x))),
  );
  if (!person) continue;
  seated.add(person.id);
  await controller.queue.submit({ type: 'login', counterId: counter.id, staffId: person.id, by: 'demo' });
  say(`${person.name} opens ${counter.name}`);
}

async function citizens(): Promise<void> {
  for (let n = 0; running; n++) {
    const dispenser = fleet.dispensers[n % fleet.dispensers.length];
    if (!dispenser) return;
    const zone = config.devices.find((d) => d.id === dispenser.id)?.zoneId;
    const services = config.services.filter((s) => !zone || !s.zoneId || s.zoneId === zone);
    const service = services[Math.floor(Math.random() * services.length)];
    if (!service) return;
    const scanner = fleet.scanners.find((s) => config.devices.find((d) => d.id === s.id)?.zoneId === zone) as
      | SimScanner
      | undefined;
    if (scanner && n % 7 === 0)
      await scanner.scan(n % 14 === 0 ? SAMPLE_CCCD.elderly : SAMPLE_CCCD.adult).catch(() => undefined);
    const answer = await dispenser
      .press(service.id)
      .catch((e: Error) => ({ status: 'error', error: { text: e.message } }));
    if (answer.status !== 'ok') say(`${dispenser.id}: ${'error' in answer ? answer.error?.text : ''}`);
    await sleep(minutes(0.6 + Math.random()));
  }
}

async function counterAt(counter: Counter): Promise<void> {
  const pad = fleet.atCounter<SimCallPad>(counter.id, 'callPad');
  const keypad = fleet.atCounter<SimRatingKeypad>(counter.id, 'ratingKeypad');
  if (!pad) return;
  while (running) {
    const called = await pad.press('next').catch(() => null);
    const label = called?.status === 'ok' ? (called.data?.label as string | null) : null;
    if (!label) {
      await sleep(minutes(1));
      continue;
    }
    await sleep(minutes(0.5));
    await pad.press('start').catch(() => undefined);
    const ticket = Object.values(controller.queue.state.tickets).find((t) => t.label === label);
    const expected = config.services.find((s) => s.id === ticket?.serviceId)?.expectedServiceMinutes ?? 8;
    await sleep(minutes(expected * (0.5 + Math.random())));
    await pad.press('finish').catch(() => undefined);
    const level = Math.random() < 0.03 ? config.ratings.scale.length : Math.random() < 0.7 ? 1 : 2;
    await sleep(1000);
    await keypad?.press(level).catch(() => undefined);
  }
}

setInterval(() => {
  const state = controller.queue.state;
  const tickets = Object.values(state.tickets);
  const waiting = tickets.filter((t) => t.status === 'waiting').length;
  const s = satisfaction(tickets, config.ratings.scale.length);
  const rate = s.rate766 === null ? '—' : `${(s.rate766 * 100).toFixed(1)} %`;
  say(`waiting ${waiting}, served ${s.visits}, rated ${s.rated}, satisfaction (766) ${rate}`);
}, 10_000).unref();

void citizens();
for (const counter of config.counters) void counterAt(counter);

/** The demo's upstream block: the receiver's province, MQTT 3.1.1 for its embedded listener. */
function demoUpstream(current: CentreConfig['upstream']): NonNullable<CentreConfig['upstream']> {
  return centreConfigSchema.shape.upstream
    .unwrap()
    .parse({ ...current, provinceId: 'quang-nam', protocolVersion: 4 });
}
