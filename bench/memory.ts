/**
 * Memory (issue 14's budget: resident ≤ 150 MB with 1,000 devices and a 10,000-ticket day): the
 * release build (`npm run build` first) in its own process, as bench/fleet.ts runs it, started on a
 * journal holding today's MEMORY_TICKETS tickets (default 10,000; one in four still waiting), then
 * MEMORY_DEVICES simulated MQTT devices (default 1,000) and a hall page connected, background device
 * traffic for MEMORY_TRAFFIC_S seconds, and a manager asking for the staffing advice (which starts the
 * advisor's worker thread). At each step the controller reports where its memory is (resident,
 * V8 heap by space before and after a full collection, code, external and array buffers) through
 * bench/fixtures/memory-probe.mjs; MEMORY_SNAPSHOT_DIR=<folder> also writes a heap snapshot per step.
 * MEMORY_NODE_ARGS="--max-semi-space-size=1 …" passes V8 flags to the controller.
 *
 * `npx tsx bench/memory.ts` prints one JSON object per step and a summary table.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import type { SimRatingKeypad } from '../firmware-sim/devices/counter-devices.ts';
import type { SimDispenser } from '../firmware-sim/devices/dispenser.ts';
import { createFleet, type Fleet } from '../firmware-sim/fleet.ts';
import { freePort } from '../scripts/free-port.ts';
import { ControllerRunner } from '../scripts/soak/controller-runner.ts';
import { prepareDataDir, signIn } from './controller-process.ts';
import { fleetCentre } from './fleet.ts';
import { writeDay } from './start-ready.ts';

const DEVICES = Number(process.env.MEMORY_DEVICES ?? 1_000);
const TICKETS = Number(process.env.MEMORY_TICKETS ?? 10_000);
const TRAFFIC_S = Number(process.env.MEMORY_TRAFFIC_S ?? 30);
const TRAFFIC_PER_S = 100;
const SNAPSHOT_DIR = process.env.MEMORY_SNAPSHOT_DIR;
const NODE_ARGS = (process.env.MEMORY_NODE_ARGS ?? '').split(' ').filter(Boolean);
const PROBE = fileURLToPath(new URL('./fixtures/memory-probe.mjs', import.meta.url));

interface Probe {
  before: Record<string, unknown> & { rss: number; heapUsed: number; heapTotal: number };
  afterGc: (Record<string, unknown> & { rss: number; heapUsed: number; heapTotal: number }) | null;
}

const root = mkdtempSync(join(tmpdir(), 'hall-bench-memory-'));
const dataDir = join(root, 'data');
const probeFile = join(root, 'probe.json');
const steps: { step: string; probe: Probe; peakRss?: number }[] = [];
let runner: ControllerRunner | null = null;
let fleet: Fleet | null = null;
let hall: ReturnType<typeof io> | null = null;

async function probe(step: string, peakRss?: number): Promise<void> {
  const pid = runner?.pid;
  if (!pid) throw new Error('bench: the controller is not running');
  rmSync(probeFile, { force: true });
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if (statSync(probeFile).size > 0) break;
    } catch {}
    if (Date.now() > deadline) throw new Error('bench: no memory probe answer');
    await new Promise((r) => setTimeout(r, 100));
  }
  const result = JSON.parse(readFileSync(probeFile, 'utf8')) as Probe;
  steps.push({ step, probe: result, peakRss });
  console.log(JSON.stringify({ step, peakRss, ...result }));
}

function residentMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

try {
  const config = fleetCentre(DEVICES);
  const { configFile, secrets } = await prepareDataDir(root, dataDir, config);
  const journalDir = join(dataDir, 'journal');
  mkdirSync(journalDir, { recursive: true });
  const day = await writeDay(config, journalDir, TICKETS, 4);
  process.stderr.write(`day written: ${TICKETS} tickets, ${day.waiting} waiting, ${day.events} events\n`);

  const mqttPort = await freePort();
  runner = new ControllerRunner({
    dataDir,
    httpPort: await freePort(),
    mqttPort,
    clockFile: join(root, 'no-clock-shift'),
    logFile: join(root, 'controller.log'),
    configFile,
    nodeArgs: [...NODE_ARGS, '--expose-gc', '--import', PROBE],
  });
  // The runner passes its own environment on to the controller.
  process.env.MEMORY_PROBE_FILE = probeFile;
  if (SNAPSHOT_DIR) {
    mkdirSync(SNAPSHOT_DIR, { recursive: true });
    process.env.MEMORY_PROBE_SNAPSHOT_DIR = SNAPSHOT_DIR;
  }
  await runner.start();
  await new Promise((r) => setTimeout(r, 5_000));
  await probe('ready (10k-ticket day, no devices)');

  const url = `mqtt://127.0.0.1:${mqttPort}`;
  fleet = createFleet(config, secrets, url, { resendAfterMs: 2_000 });
  for (let i = 0; i < fleet.devices.length; i += 20)
    await Promise.all(
      fleet.devices.slice(i, i + 20).map(async (d) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await d.start();
          } catch (error) {
            if (attempt === 3) throw error;
            await d.stop().catch(() => undefined);
          }
        }
      }),
    );
  hall = io(runner.url, { transports: ['websocket'] });
  await new Promise<void>((resolve) => hall?.once('queue:state', () => resolve()));
  await new Promise((r) => setTimeout(r, 3_000));
  await probe(`${fleet.devices.length} devices + hall page connected`);

  const keypads = fleet.keypads as SimRatingKeypad[];
  const dispensers = fleet.dispensers as SimDispenser[];
  const services = config.services.map((s) => s.id);
  let peak = 0;
  const until = performance.now() + TRAFFIC_S * 1000;
  let n = 0;
  let next = performance.now();
  while (performance.now() < until) {
    next += 1000 / TRAFFIC_PER_S;
    await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    const sent =
      n++ % 10 === 0
        ? dispensers[n % dispensers.length]?.press(services[n % services.length] as string)
        : keypads[n % keypads.length]?.press(1);
    void sent?.catch(() => undefined);
    if (n % 50 === 0) peak = Math.max(peak, residentMb(runner.pid));
  }
  await new Promise((r) => setTimeout(r, 3_000));
  await probe(`after ${TRAFFIC_S} s of device traffic (${TRAFFIC_PER_S}/s)`, Math.round(peak));

  const cookie = await signIn(runner.url);
  const asked = performance.now();
  let corrected = false;
  while (!corrected && performance.now() - asked < 120_000) {
    const body = (await (
      await fetch(`${runner.url}/api/staffing`, { headers: { cookie } })
    ).json()) as Record<string, unknown>;
    corrected = body.basis === 'simulation';
    // Outside opening hours there is nothing to simulate (and no worker thread).
    if (body.closedToday) break;
    if (!corrected) await new Promise((r) => setTimeout(r, 1_000));
  }
  await probe(`staffing advice asked (simulation ${corrected ? 'done' : 'not done'})`);
  const idleS = Number(process.env.MEMORY_IDLE_S ?? 0);
  if (idleS > 0) {
    await new Promise((r) => setTimeout(r, idleS * 1000));
    await probe(`${idleS} s later`);
  }

  console.log(
    '\n| step | RSS MB (anon) | heap used / total MB | after GC used / total MB | external / arrayBuffers MB | CPU s, GCs (ms) |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const { step, probe: p, peakRss } of steps) {
    const b = p.before as Record<string, number>;
    const a = (p.afterGc ?? p.before) as Record<string, number>;
    console.log(
      `| ${step} | ${b.rss} (${b.rssAnon})${peakRss ? ` peak ${peakRss}` : ''} | ${b.heapUsed} / ${b.heapTotal} | ${a.heapUsed} / ${a.heapTotal} | ${b.external} / ${b.arrayBuffers} | ${b.cpuS}, ${(b.gc as unknown as { count: number }).count} (${(b.gc as unknown as { ms: number }).ms}) |`,
    );
  }
} catch (error) {
  const log = readFileSync(join(root, 'controller.log'), 'utf8').split('\n').slice(-40).join('\n');
  process.stderr.write(`\nmemory bench failed; the controller's log ends:\n${log}\n`);
  throw error;
} finally {
  hall?.close();
  if (fleet) await Promise.all(fleet.devices.map((d) => d.stop().catch(() => undefined)));
  await runner?.stop();
  rmSync(root, { recursive: true, force: true });
}
