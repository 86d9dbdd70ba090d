/**
 * 5. End to end: the controller in this process (HTTP and MQTT on 127.0.0.1, ephemeral ports, a temp data
 * folder), kiosks POSTing /api/tickets with fetch — 1 client, then 32 at once, 2,000 requests each, a fresh
 * controller for each. A 201 is only sent once the ticket's event is fsynced, so this includes the disk.
 * Latency is measured by the client: from calling fetch to having read the whole reply.
 * The floor, in the same run with the same clients: a bare express 5 app answering the same request
 * with a JSON body (no validation, no engine, no disk); the controller's rows give their throughput as
 * a share of it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import express from 'express';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { Controller } from '../controller/controller.ts';
import { silentLogger } from '../controller/logger.ts';
import { KioskCredentials } from '../controller/security/kiosk-credentials.ts';
import { settingsWith } from '../controller/settings.ts';
import { tempDir } from './centre.ts';
import type { Row } from './table.ts';

const REQUESTS = 2_000;
const CLIENTS = [1, 32];
const WARM_UP = 100;
const TIME_LIMIT_MS = 20_000;

/**
 * The kiosks: a worker thread running `clients` fetch loops, so the clients' own work (undici, JSON) runs
 * beside the controller's event loop instead of on it, as it would on real kiosks. Plain JavaScript, so
 * the worker needs no TypeScript loader. Sends back the latency of each request, in ms. A request that
 * gets no answer in 10 s fails the benchmark rather than hanging it.
 */
const KIOSKS = `
const { parentPort, workerData } = require('node:worker_threads');
const { url, services, warmUp, count, clients, limitMs, token } = workerData;
async function phase(count, clients, samples) {
  const end = performance.now() + limitMs;
  let started = 0;
  async function client() {
    while (started < count && performance.now() < end) {
      const serviceId = services[started % services.length];
      started++;
      const t0 = performance.now();
      const res = await fetch(url + '/api/tickets', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token },
        body: JSON.stringify({ serviceId, source: 'kiosk' }),
        signal: AbortSignal.timeout(10000),
      });
      await res.arrayBuffer();
      samples.push(performance.now() - t0);
      if (res.status !== 201) throw new Error('POST /api/tickets answered ' + res.status);
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
}
(async () => {
  await phase(warmUp, Math.min(clients, warmUp), []);
  const samples = [];
  const t0 = performance.now();
  await phase(count, clients, samples);
  return { samples, totalMs: performance.now() - t0 };
})().then(
  (result) => parentPort.postMessage(result),
  (error) => parentPort.postMessage({ error: String(error) }),
);
`;

interface KioskResult {
  samples: number[];
  totalMs: number;
}

function issueTickets(
  url: string,
  services: readonly string[],
  clients: number,
  token: string,
): Promise<KioskResult> {
  const workerData = {
    url,
    services,
    warmUp: WARM_UP,
    count: REQUESTS,
    clients,
    limitMs: TIME_LIMIT_MS,
    token,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(KIOSKS, { eval: true, workerData });
    worker.once('message', (message: Partial<KioskResult> & { error?: string }) => {
      void worker.terminate();
      if (message.samples && message.totalMs !== undefined)
        resolve({ samples: message.samples, totalMs: message.totalMs });
      else reject(new Error(`bench: kiosk worker failed: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`bench: kiosk worker exited with ${code}`)));
  });
}

/**
 * Counts fdatasync calls made through fs/promises FileHandles while `run` goes on: the journal's group
 * commits (snapshots use fsync, not fdatasync). The controller does not expose its journal's stats, so the
 * benchmark wraps the method for the duration of the run and puts it back after.
 */
async function countingDatasyncs<T>(
  dir: string,
  run: () => Promise<T>,
): Promise<{ result: T; datasyncs: number }> {
  const probe = await open(dir, 'r');
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  let datasyncs = 0;
  proto.datasync = function (this: unknown) {
    datasyncs++;
    return original.call(this);
  };
  try {
    return { result: await run(), datasyncs };
  } finally {
    proto.datasync = original;
  }
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
  const configFile = join(temp.dir, 'centre.json');
  networkOnlyCentre(configFile);
  const controller = new Controller(
    settingsWith({
      httpPort: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      dataDir,
      configFile,
      logLevel: 'silent',
    }),
    silentLogger,
  );
  try {
    const started = await controller.start();
    const url = `http://127.0.0.1:${started.httpPort}`;
    const services = config.services.map((s) => s.id);
    const before = controller.queue.state.seq;
    // Only registered kiosks issue tickets (issue 13): the benchmark's kiosks hold a credential.
    const kiosks = new KioskCredentials(dataDir);
    await kiosks.load();
    const { token } = await kiosks.issue('bench-kiosk', 'bench');
    const { result, datasyncs } = await countingDatasyncs(dataDir, () =>
      issueTickets(url, services, clients, token),
    );
    const { samples, totalMs } = result;
    const done = samples.length;
    const events = controller.queue.state.seq - before;
    const tickets = Object.keys(controller.queue.state.tickets).length;
    const stopped = done < REQUESTS ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : '';
    return {
      name: `http: POST /api/tickets, ${clients} client${clients === 1 ? '' : 's'}`,
      ops: done,
      totalMs,
      samples,
      note: `${datasyncs.toLocaleString('en-US')} fsyncs for ${events.toLocaleString('en-US')} events (warm-up included); ${tickets.toLocaleString('en-US')} tickets at the end${stopped}`,
    };
  } finally {
    await controller.stop();
    temp.remove();
  }
}

/** The floor: express 5 parsing the same JSON body and answering 201 with a ticket-sized JSON reply. */
async function bareExpressAt(clients: number): Promise<Row> {
  const app = express();
  app.use(express.json());
  let n = 0;
  app.post('/api/tickets', (req, res) => {
    n++;
    res
      .status(201)
      .json({ ticket: { id: `2026-12-05:${n}`, serviceId: (req.body as { serviceId?: string }).serviceId } });
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { samples, totalMs } = await issueTickets(url, ['dat-dai'], clients, 'none');
    return {
      name: `floor: bare express JSON handler, ${clients} client${clients === 1 ? '' : 's'}`,
      ops: samples.length,
      totalMs,
      samples,
      note: 'same clients and request; no validation, engine or disk',
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
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
