/**
 * 7. Upstream backlog: a controller whose journal holds weeks of visits never reported (a link down
 * for that long, or reporting just switched on) drains them to a real Mosquitto broker on 127.0.0.1,
 * while a counter keeps calling citizens. Measures the records per second reaching a plain mqtt.js
 * subscriber (the province), and the latency of "Next" (POST /api/counters/quay-1/next, each after an
 * untimed ticket) during the drain and after it.
 *
 * `UPSTREAM_BENCH_RECORDS` sets the backlog (default 5,000, CI-sized; docs/benchmarks.md quotes
 * 50,000), `UPSTREAM_BENCH_RATE` the drain rate (default: unlimited in practice, 100,000/s). Needs
 * Debian's `mosquitto`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { Controller } from '../controller/controller.ts';
import { openAccess } from '../controller/http/access.ts';
import { segmentFileName } from '../controller/journal/segment-reader.ts';
import { silentLogger } from '../controller/logger.ts';
import { settingsWith } from '../controller/settings.ts';
import { deriveVisitRecords } from '../controller/visits/visit-ledger.ts';
import { Mosquitto } from '../tests/helpers/mosquitto.ts';
import { hasProgram } from '../tests/helpers/system-tools.ts';
import { provinceFilter } from '../upstream/protocol/topics.ts';
import { DAY, tempDir } from './centre.ts';
import { generateDayMix } from './day-mix.ts';
import type { Row } from './table.ts';

const RECORDS = Number(process.env.UPSTREAM_BENCH_RECORDS ?? 5_000);
/** `backlogRatePerSecond` of the run: as fast as it goes by default; `UPSTREAM_BENCH_RATE` to see a controlled drain. */
const RATE = Number(process.env.UPSTREAM_BENCH_RATE ?? 100_000);
/** Journal events per visit record in the day mix (issued, called, finished), with a margin. */
const EVENTS_PER_RECORD = 3.1;
const TIME_LIMIT_MS = 180_000;
const CALL_EVERY_MS = 100;
const CALLS_AFTER = 100;

export async function benchUpstreamDrain(config: CentreConfig): Promise<Row[]> {
  if (!hasProgram('mosquitto'))
    return [
      { name: 'upstream: drain', ops: 0, totalMs: Number.NaN, note: 'skipped: apt-get install mosquitto' },
    ];
  const mix = generateDayMix(config, Math.ceil(RECORDS * EVENTS_PER_RECORD), 120_000);
  // The simulated weeks start on a fixed date and may run past today: move every time into the past,
  // as a real backlog is (a served visit waits for its rating window by the wall clock once caught up).
  const lastAt = mix.events.at(-1)?.at ?? 0;
  const shift = Math.max(0, lastAt - (Date.now() - DAY));
  if (shift) for (const e of mix.events) shiftTimes(e, shift);
  const records = deriveVisitRecords(
    {
      centreId: config.centre.id,
      provinceId: 'quang-nam',
      pseudonym: () => 'st-aaaaaaaaaaaaaaaa',
      config: () => config,
    },
    mix.events,
  ).length;

  const temp = tempDir('hall-bench-upstream-');
  const broker = new Mosquitto();
  const dataDir = join(temp.dir, 'data');
  mkdirSync(join(dataDir, 'journal'), { recursive: true });
  // One segment per day, as the journal makes them (a snapshot, and a new segment, at each day start).
  let segment: typeof mix.events = [];
  const flush = () => {
    const first = segment[0];
    if (first)
      writeFileSync(
        join(dataDir, 'journal', segmentFileName(first.seq)),
        segment.map((e) => `${JSON.stringify(e)}\n`).join(''),
      );
    segment = [];
  };
  for (const e of mix.events) {
    if (e.type === 'dayStarted') flush();
    segment.push(e);
  }
  flush();
  const centre = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8')) as Record<string, unknown>;
  centre.devices = (centre.devices as { transport?: string }[]).filter(
    (d) => (d.transport ?? 'mqtt') === 'mqtt',
  );
  centre.upstream = { provinceId: 'quang-nam', backlogRatePerSecond: RATE, maxInFlight: 200 };
  writeFileSync(
    join(dataDir, 'centre.json'),
    JSON.stringify({ config: centre, importedFrom: DEMO_CENTRE_FILE, importedAt: new Date().toISOString() }),
  );
  await broker.start();
  const province = await mqtt.connectAsync(broker.url, { clientId: 'bench-province', clean: true });
  let received = 0;
  province.on('message', (topic) => {
    if (topic.endsWith('/visit')) received++;
  });
  await province.subscribeAsync(provinceFilter('qms-province', 'quang-nam'), { qos: 1 });

  const controller = new Controller(
    settingsWith({
      httpPort: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      dataDir,
      logLevel: 'silent',
      upstreamUrl: broker.url,
    }),
    silentLogger,
    openAccess,
  );
  try {
    const t0 = performance.now();
    const started = await controller.start();
    const startMs = performance.now() - t0;
    const url = `http://127.0.0.1:${started.httpPort}/api`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status >= 300) throw new Error(`${path}: ${res.status}`);
    };
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    const call = async (): Promise<number> => {
      await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' });
      const c0 = performance.now();
      await post('/counters/quay-1/next', {});
      return performance.now() - c0;
    };
    const during: number[] = [];
    const deadline = t0 + TIME_LIMIT_MS;
    while (received < records && performance.now() < deadline) {
      during.push(await call());
      await new Promise((r) => setTimeout(r, CALL_EVERY_MS));
    }
    const drainMs = performance.now() - t0;
    if (received < records) {
      const state = await (await fetch(`${url}/upstream`)).json();
      process.stderr.write(`\nupstream state when cut: ${JSON.stringify(state)}\n`);
    }
    const drained = Math.min(received, records);
    const after: number[] = [];
    for (let i = 0; i < CALLS_AFTER; i++) after.push(await call());
    const cut = drained < records ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : '';
    return [
      {
        name: `upstream: drain ${records.toLocaleString('en-US')} visit records to Mosquitto`,
        ops: drained,
        totalMs: drainMs,
        note: `backlogRatePerSecond ${RATE.toLocaleString('en-US')}, maxInFlight 200; from the controller's start (${Math.round(startMs)} ms of it: opening and replaying the ${mix.events.length.toLocaleString('en-US')}-event journal); ${mix.days} days; received by a subscriber, QoS 1${cut}`,
      },
      {
        name: 'upstream: "Next" while draining',
        ops: during.length,
        totalMs: during.reduce((a, b) => a + b, 0),
        samples: during,
        note: `POST /api/counters/quay-1/next every ${CALL_EVERY_MS} ms during the drain`,
      },
      {
        name: 'upstream: "Next" after the drain',
        ops: after.length,
        totalMs: after.reduce((a, b) => a + b, 0),
        samples: after,
        note: 'the same, once the backlog is sent',
      },
    ];
  } finally {
    await controller.stop();
    await province.endAsync();
    await broker.remove();
    temp.remove();
  }
}

/** Every time in an event (`at`, `…At`, appointment slots) moved `ms` earlier; day labels stay. */
function shiftTimes(value: unknown, ms: number): void {
  if (!value || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  for (const [key, v] of Object.entries(obj)) {
    if (
      typeof v === 'number' &&
      (key === 'at' || key.endsWith('At') || key === 'slotStart' || key === 'slotEnd')
    )
      obj[key] = v - ms;
    else if (v && typeof v === 'object') shiftTimes(v, ms);
  }
}
