/**
 * 5. End to end: kiosks POSTing /api/tickets to the controller — the release build in its own process
 * (`node build/controller/main.js`, as `npm start` runs it; `npm run build` first) on a temp data
 * folder, HTTP on 127.0.0.1 — from 1 connection (one kiosk waiting for each answer) and from 32 at
 * once, for 5 s each after a warm-up of 1 s, a fresh controller for each. A 201 is only sent
 * once the ticket's event is fsynced, so this includes the disk.
 * The client is autocannon (the issue's own measuring tool) in a worker thread of this process, so
 * it runs beside the controller, not on its event loop; latency is autocannon's, from writing the
 * request to reading the whole reply. The floor, in the same run with the same client: a bare
 * express 5 app in its own process answering the same request with a JSON body
 * (`bare-express-server.mjs`); the controller's rows give their throughput as a share of it.
 * HTTP_CPU_PROF=<folder> has the controller write a CPU profile there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { KioskCredentials } from '../controller/security/kiosk-credentials.ts';
import { freePort } from '../scripts/free-port.ts';
import { ControllerRunner } from '../scripts/soak/controller-runner.ts';
import { tempDir } from './centre.ts';
import type { Row } from './table.ts';

const CLIENTS = [1, 32];
/**
 * Seconds of warm-up, then of measure: autocannon runs for a time, not a count (with a count it
 * ends on its next one-second tick, which would round the rate).
 */
const WARM_UP_S = 1;
const MEASURE_S = 5;
/** A request that gets no answer in this long counts as an error (and fails the benchmark). */
const TIMEOUT_S = 10;

/**
 * autocannon in a worker thread: `amount` POSTs over `connections` keep-alive connections, the
 * service of each request taken round-robin. Plain JavaScript, so the worker needs no loader.
 */
const CANNON = `
const { parentPort, workerData } = require('node:worker_threads');
const autocannon = require('autocannon');
const { url, services, duration, connections, token, timeout } = workerData;
let next = 0;
autocannon(
  {
    url: url + '/api/tickets',
    method: 'POST',
    connections,
    duration,
    timeout,
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ serviceId: services[next++ % services.length], source: 'kiosk' }),
        }),
      },
    ],
  },
  // In a worker thread autocannon leaves its result unaggregated (histograms still encoded).
  (error, result) =>
    parentPort.postMessage(
      error
        ? { error: String(error) }
        : autocannon.aggregateResult([result], { url, connections }),
    ),
);
`;

interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number; average: number };
  /** Seconds measured. */
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  error?: string;
}

async function cannon(
  url: string,
  services: readonly string[],
  connections: number,
  duration: number,
  token: string,
): Promise<CannonResult> {
  const workerData = { url, services, duration, connections, token, timeout: TIMEOUT_S };
  const result = await new Promise<CannonResult>((resolve, reject) => {
    const worker = new Worker(CANNON, { eval: true, workerData });
    worker.once('message', (message: CannonResult) => {
      void worker.terminate();
      resolve(message);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench: autocannon worker exited with ${code}`)));
  });
  if (result.error) throw new Error(`bench: autocannon failed: ${result.error}`);
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0)
    throw new Error(
      `bench: ${failed} of ${result.requests.total} requests failed (${result.non2xx} not 2xx, ${result.errors} errors, ${result.timeouts} time-outs)`,
    );
  return result;
}

function rowOf(name: string, r: CannonResult, note: string): Row {
  // autocannon keeps latencies in whole ms: its mean, a finer figure, goes in the note.
  return {
    name,
    ops: r.requests.total,
    totalMs: r.duration * 1000,
    p50: r.latency.p50,
    p99: r.latency.p99,
    note: `mean ${r.latency.average.toFixed(2)} ms; ${note}`,
  };
}

/** The controller's journal figures from /metrics (readable from this machine without signing in). */
async function journalFigures(url: string): Promise<{ fsyncs: number; seq: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `));
    if (!line) throw new Error(`bench: /metrics has no ${name}`);
    return Number(line.split(' ')[1]);
  };
  return { fsyncs: value('hall_journal_fsync_seconds_count'), seq: value('hall_journal_seq') };
}

/**
 * The demo centre with only its network (MQTT) devices: devices on serial ports or HID would have the
 * controller open local hardware, and the benchmark touches nothing but 127.0.0.1 and its temp folder.
 */
function networkOnlyCentre(file: string): void {
  const raw = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8')) as Record<string, unknown>;
  const devices = Array.isArray(raw.devices) ? (raw.devices as { transport?: unknown }[]) : [];
  raw.devices = devices.filter((d) => d.transport === undefined || d.transport === 'mqtt');
  if ('serialBuses' in raw) raw.serialBuses = [];
  writeFileSync(file, JSON.stringify(raw, null, 2));
}

async function runAt(config: CentreConfig, clients: number): Promise<Row> {
  const temp = tempDir('hall-bench-http-');
  const dataDir = join(temp.dir, 'data');
  mkdirSync(dataDir);
  const configFile = join(temp.dir, 'centre.json');
  networkOnlyCentre(configFile);
  // Only registered kiosks issue tickets (issue 13): the benchmark's kiosks hold a credential.
  const kiosks = new KioskCredentials(dataDir);
  await kiosks.load();
  const { token } = await kiosks.issue('bench-kiosk', 'bench');
  const runner = new ControllerRunner({
    dataDir,
    httpPort: await freePort(),
    mqttPort: await freePort(),
    clockFile: join(temp.dir, 'no-clock-shift'),
    logFile: join(temp.dir, 'controller.log'),
    configFile,
    nodeArgs: process.env.HTTP_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.HTTP_CPU_PROF}`] : [],
  });
  try {
    await runner.start();
    const services = config.services.map((s) => s.id);
    await cannon(runner.url, services, clients, WARM_UP_S, token);
    const before = await journalFigures(runner.url);
    const result = await cannon(runner.url, services, clients, MEASURE_S, token);
    const after = await journalFigures(runner.url);
    const events = after.seq - before.seq;
    const fsyncs = after.fsyncs - before.fsyncs;
    return rowOf(
      `http: POST /api/tickets, ${clients} connection${clients === 1 ? '' : 's'}`,
      result,
      `${fsyncs.toLocaleString('en-US')} fsyncs for ${events.toLocaleString('en-US')} events; ${after.seq.toLocaleString('en-US')} events (tickets) at the end`,
    );
  } finally {
    await runner.stop();
    temp.remove();
  }
}

const BARE_SERVER = fileURLToPath(new URL('./bare-express-server.mjs', import.meta.url));

/** The floor: bare express 5 in its own process, the same request from the same client. */
async function bareExpressAt(clients: number): Promise<Row> {
  const child: ChildProcess = spawn(process.execPath, [BARE_SERVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.once('exit', (code) => reject(new Error(`bench: the bare express server exited with ${code}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    await cannon(url, ['dat-dai'], clients, WARM_UP_S, 'none');
    const result = await cannon(url, ['dat-dai'], clients, MEASURE_S, 'none');
    return rowOf(
      `floor: bare express JSON handler, ${clients} connection${clients === 1 ? '' : 's'}`,
      result,
      'same client and request; no validation, engine or disk',
    );
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function benchHttpIssue(config: CentreConfig): Promise<Row[]> {
  const rows: Row[] = [];
  for (const clients of CLIENTS) {
    const floor = await bareExpressAt(clients);
    const row = await runAt(config, clients);
    const share = ((row.ops / row.totalMs / (floor.ops / floor.totalMs)) * 100).toFixed(1);
    rows.push(floor, { ...row, note: `${share} % of the bare handler's rate in the same run; ${row.note}` });
  }
  return rows;
}
