/**
 * Fleet: N simulated devices (a call display, call pad and rating keypad per counter, N/3 counters)
 * as real MQTT clients on the controller's broker, the controller in its own process (the release
 * build, as `npm start` runs it), with a queue of waiting citizens and background traffic (ticket
 * presses and ratings) at a set rate. Measured at the devices: from a call pad's "next" to the
 * counter display receiving the called number, and to a hall page's socket.io event; the
 * controller's resident memory at the end. Sizes: FLEET_SIZES=100,500,1000 (default 100,500).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { AccountStore } from '../controller/accounts/account-store.ts';
import { CentreStore } from '../controller/centre/centre-store.ts';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import { provisionDevices, readDeviceSecrets } from '../controller/centre/provision.ts';
import { type CentreConfig, centreConfigSchema } from '../controller/centre/schema.ts';
import { silentLogger } from '../controller/logger.ts';
import type { SimCallPad, SimRatingKeypad } from '../firmware-sim/devices/counter-devices.ts';
import type { SimCallDisplay } from '../firmware-sim/devices/displays.ts';
import { createFleet, type Fleet } from '../firmware-sim/fleet.ts';
import { ControllerRunner } from '../scripts/soak/controller-runner.ts';
import { seededRandom } from './centre.ts';
import type { Row } from './table.ts';

const CALLS = 200;
const WAITING = 2_600;
const BACKGROUND_PER_S = 100;
const MANAGER = { username: 'bench-manager', password: 'bench-manager-password' };

export async function benchFleet(sizes = fleetSizes()): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) rows.push(...(await fleetOf(size)));
  return rows;
}

function fleetSizes(): number[] {
  const text = process.env.FLEET_SIZES ?? '100,500';
  const sizes = text.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 3))
    throw new Error(`FLEET_SIZES must be numbers ≥ 3: ${text}`);
  return sizes;
}

/** The demo centre with `size` counter devices: its services, zones and staff skills repeated. */
function fleetCentre(size: number): CentreConfig {
  const demo = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
  const counters = Math.max(1, Math.floor(size / 3));
  const template = demo.counters as { zoneId: string; services: string[] }[];
  const people = demo.staff as { services: string[] }[];
  const config = {
    ...demo,
    counters: Array.from({ length: counters }, (_, i) => ({
      ...template[i % template.length],
      id: `q${i + 1}`,
      number: i + 1,
      name: `Quầy ${i + 1}`,
    })),
    staff: Array.from({ length: counters }, (_, i) => ({
      id: `cb-${i + 1}`,
      name: `Cán bộ ${i + 1}`,
      services: people[i % people.length]?.services ?? [],
    })),
    devices: [
      ...Array.from({ length: counters }, (_, i) => [
        { id: `q${i + 1}-display`, type: 'callDisplay', counterId: `q${i + 1}` },
        { id: `q${i + 1}-pad`, type: 'callPad', counterId: `q${i + 1}` },
        { id: `q${i + 1}-keypad`, type: 'ratingKeypad', counterId: `q${i + 1}` },
      ]).flat(),
      ...(demo.devices as { type: string }[]).filter((d) => d.type === 'dispenser'),
    ],
    serialBuses: [],
  };
  return centreConfigSchema.parse(config);
}

async function fleetOf(size: number): Promise<Row[]> {
  const root = mkdtempSync(join(tmpdir(), 'hall-bench-fleet-'));
  const dataDir = join(root, 'data');
  const config = fleetCentre(size);
  const configFile = join(root, 'centre.json');
  writeFileSync(configFile, JSON.stringify(config));
  mkdirSync(dataDir);
  const accounts = await AccountStore.open(dataDir);
  await accounts.put({ ...MANAGER, name: 'Bench', role: 'manager' });
  const store = await CentreStore.open({
    dataDir,
    seedFile: configFile,
    importConfig: false,
    logger: silentLogger,
  });
  await provisionDevices(store, dataDir);
  const secrets = await readDeviceSecrets(dataDir);
  const mqttPort = await freePort();
  const runner = new ControllerRunner({
    dataDir,
    httpPort: await freePort(),
    mqttPort,
    clockFile: join(root, 'no-clock-shift'),
    logFile: join(root, 'controller.log'),
    configFile,
  });
  let fleet: Fleet | null = null;
  let hall: ReturnType<typeof io> | null = null;
  try {
    await runner.start();
    const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
    const cookie = await signIn(runner.url);
    const api = (path: string, body: unknown) =>
      fetch(`${runner.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      }).then(async (r) => {
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json();
      });
    for (const [i, c] of config.counters.entries())
      await api(`/counters/${c.id}/login`, { staffId: config.staff[i]?.id, requestId: `login-${c.id}` });
    // The waiting hall of a busy day: tickets spread over the services the counters serve.
    const services = config.services.map((s) => s.id);
    for (let i = 0; i < WAITING; i++)
      await api('/tickets', { serviceId: services[i % services.length], source: 'kiosk' });

    fleet = createFleet(config, secrets, mqttUrl, { resendAfterMs: 2_000 });
    for (let i = 0; i < fleet.devices.length; i += 50)
      await Promise.all(fleet.devices.slice(i, i + 50).map((d) => d.start()));
    hall = io(runner.url, { transports: ['websocket'] });
    const hallCalls = new Map<string, number>();
    hall.on('queue:events', (events: { type: string; ticketId?: string }[]) => {
      const now = performance.now();
      for (const e of events) if (e.type === 'ticketCalled' && e.ticketId) hallCalls.set(e.ticketId, now);
    });
    await new Promise<void>((resolve) => hall?.once('queue:state', () => resolve()));

    // Background: ticket presses and ratings at BACKGROUND_PER_S, spread over the fleet.
    const random = seededRandom(size);
    let background = 0;
    let stop = false;
    const keypads = fleet.keypads;
    const dispensers = fleet.dispensers;
    const noise = (async () => {
      const gap = 1000 / BACKGROUND_PER_S;
      let next = performance.now();
      while (!stop) {
        next += gap;
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        background++;
        if (random() < 0.5) {
          const d = dispensers[Math.floor(random() * dispensers.length)];
          void d?.press(services[Math.floor(random() * services.length)] as string).catch(() => undefined);
        } else {
          const k = keypads[Math.floor(random() * keypads.length)] as SimRatingKeypad | undefined;
          void k?.press(1).catch(() => undefined);
        }
      }
    })();
    const started = performance.now();

    const toDisplay: number[] = [];
    const toHall: number[] = [];
    let emptyCalls = 0;
    let unanswered = 0;
    for (let i = 0; i < CALLS; i++) {
      const counter = config.counters[i % config.counters.length];
      if (!counter) break;
      const pad = fleet.atCounter<SimCallPad>(counter.id, 'callPad');
      const display = fleet.atCounter<SimCallDisplay>(counter.id, 'callDisplay');
      if (!pad || !display) throw new Error(`no pad or display at ${counter.id}`);
      await pad.press('finish').catch(() => undefined);
      const t0 = performance.now();
      const shown = new Promise<{ label: string | null }>((resolve) => {
        const on = (message: { label?: string | null; blink?: boolean }) => {
          if (!message.blink) return;
          display.off('display', on);
          resolve({ label: message.label ?? null });
        };
        display.on('display', on);
      });
      const answer = await pad.press('next').catch(() => null);
      if (!answer) {
        unanswered++; // the controller did not answer within the device's 10 s
        continue;
      }
      const data = answer.data as { ticketId?: string } | undefined;
      if (!data?.ticketId) {
        emptyCalls++;
        continue;
      }
      await shown;
      toDisplay.push(performance.now() - t0);
      const deadline = performance.now() + 5_000;
      while (!hallCalls.has(data.ticketId) && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 1));
      const atHall = hallCalls.get(data.ticketId);
      if (atHall !== undefined) toHall.push(atHall - t0);
    }
    const elapsed = performance.now() - started;
    stop = true;
    await noise;
    const rssMb = residentMb(runner.pid);
    const note = `${fleet.devices.length} devices, ${WAITING} waiting, background ${Math.round((background / elapsed) * 1000)}/s; controller RSS ${rssMb} MB${emptyCalls ? `; ${emptyCalls} calls found nobody` : ''}${unanswered ? `; ${unanswered} calls unanswered in 10 s` : ''}`;
    return [
      {
        name: `fleet ${size}: call pad next → counter display`,
        ops: toDisplay.length,
        totalMs: elapsed,
        samples: toDisplay,
        note,
      },
      {
        name: `fleet ${size}: call pad next → hall page (socket.io)`,
        ops: toHall.length,
        totalMs: elapsed,
        samples: toHall,
      },
    ];
  } finally {
    hall?.close();
    if (fleet) await Promise.all(fleet.devices.map((d) => d.stop().catch(() => undefined)));
    await runner.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MANAGER),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status >= 300 || !cookie) throw new Error(`bench manager cannot sign in: ${res.status}`);
  return cookie;
}

function residentMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
