/**
 * 12. Broker comparison (issue 14 item 3): the same device load through the controller's embedded
 * broker (aedes, in its own process: bench/broker-host.ts) and through Mosquitto (Debian's), and
 * the floor they are both measured against — one MQTT hop.
 *
 * For each size N (FLEET_SIZES, default 100 and 500): N device clients connect (mqtt.js, QoS 1,
 * MQTT 3.1.1). Background: BACKGROUND_RATE messages a second from devices in turn, to `bench/<i>/out`,
 * received by one "controller" client subscribed to `bench/+/out`. Measured: SAMPLES hops, one every
 * 50 ms, from a "call pad" publishing to `bench/display-<k>/cmd` to that "display" receiving it
 * (each display subscribed to its own topic); the time is taken in this process at both ends.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { Mosquitto } from '../tests/helpers/mosquitto.ts';
import { hasProgram } from '../tests/helpers/system-tools.ts';
import type { Row } from './table.ts';

const SAMPLES = 200;
const BACKGROUND_RATE = 100;
const CONNECT_BATCH = 50;

function sizes(): number[] {
  const raw = process.env.FLEET_SIZES ?? '100,500';
  return raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n) && n >= 4);
}

async function connect(url: string, clientId: string): Promise<MqttClient> {
  const client = mqtt.connect(url, {
    clientId,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 30_000,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  return client;
}

async function startAedes(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, fileURLToPath(new URL('./broker-host.ts', import.meta.url))],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`bench: broker-host exited (${code})`)));
  });
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

/** The load and the hops through one broker. */
interface Measured {
  samples: number[];
  lost: number;
  wallMs: number;
}

async function measure(url: string, n: number): Promise<Measured> {
  const clients: MqttClient[] = [];
  try {
    for (let i = 0; i < n; i += CONNECT_BATCH) {
      const batch = Array.from({ length: Math.min(CONNECT_BATCH, n - i) }, (_, k) =>
        connect(url, `dev-${i + k}`),
      );
      clients.push(...(await Promise.all(batch)));
    }
    const controller = await connect(url, 'controller');
    clients.push(controller);
    await controller.subscribeAsync('bench/+/out', { qos: 1 });
    // Half the devices are displays, each listening to its own topic; the other half send.
    const displays = clients.slice(0, Math.floor(n / 2));
    const pads = clients.slice(Math.floor(n / 2), n);
    const pending = new Map<string, number>();
    const samples: number[] = [];
    await Promise.all(
      displays.map(async (d, k) => {
        d.on('message', (_topic, payload) => {
          const id = payload.toString();
          const t0 = pending.get(id);
          if (t0 === undefined) return;
          pending.delete(id);
          samples.push(performance.now() - t0);
        });
        await d.subscribeAsync(`bench/display-${k}/cmd`, { qos: 1 });
      }),
    );
    let bg = 0;
    const background = setInterval(() => {
      const device = pads[bg++ % pads.length] as MqttClient;
      device.publish(`bench/${bg % pads.length}/out`, '{"event":"press"}', { qos: 1 });
    }, 1000 / BACKGROUND_RATE);
    const t0 = performance.now();
    try {
      for (let i = 0; i < SAMPLES; i++) {
        const k = i % displays.length;
        const id = `hop-${i}`;
        pending.set(id, performance.now());
        (pads[i % pads.length] as MqttClient).publish(`bench/display-${k}/cmd`, id, { qos: 1 });
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      clearInterval(background);
    }
    return { samples, lost: pending.size, wallMs: performance.now() - t0 };
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => undefined)));
  }
}

function row(name: string, result: Measured, note: string): Row {
  const sorted = [...result.samples].sort((a, b) => a - b);
  return {
    name,
    ops: sorted.length,
    totalMs: result.wallMs,
    samples: sorted,
    note: `${note}${result.lost ? `; ${result.lost} hops not received within 1 s` : ''}`,
  };
}

export async function benchBroker(): Promise<Row[]> {
  if (!hasProgram('mosquitto'))
    return [
      { name: 'broker: comparison', ops: 0, totalMs: Number.NaN, note: 'skipped: apt-get install mosquitto' },
    ];
  const rows: Row[] = [];
  for (const n of sizes()) {
    const aedes = await startAedes();
    let embedded: Measured;
    try {
      embedded = await measure(aedes.url, n);
    } finally {
      await aedes.stop();
    }
    const mosquitto = new Mosquitto();
    let reference: Measured;
    try {
      await mosquitto.start();
      reference = await measure(mosquitto.url, n);
    } finally {
      await mosquitto.remove();
    }
    const at = (r: Measured, p: number) =>
      percentile(
        [...r.samples].sort((a, b) => a - b),
        p,
      );
    const ratio = (p: number) => (at(embedded, p) / at(reference, p)).toFixed(1);
    const load = `${n} clients, ${BACKGROUND_RATE} background msg/s, QoS 1`;
    rows.push(
      row(`broker: one hop, Mosquitto, ${n} clients`, reference, load),
      row(
        `broker: one hop, embedded (aedes), ${n} clients`,
        embedded,
        `${load}; p50 ${ratio(50)}×, p99 ${ratio(99)}× Mosquitto's`,
      ),
    );
  }
  return rows;
}
