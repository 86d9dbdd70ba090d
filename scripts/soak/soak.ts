/**
 * `npm run soak`: a provincial centre's day at 10× speed through the real controller (the release
 * build in its own process) and simulated devices over MQTT, with faults on a schedule — devices
 * flapping, the controller SIGKILLed twice, the clock jumping forward and back, the data disk
 * filling and freeing, a client that stops reading — ending with an audit: every acknowledged
 * ticket, call and rating is in the journal, no number was given twice, and every ticket's life is
 * consistent (scripts/soak/audit.ts). Prints the audit table; exits 1 on any loss.
 *
 *   npm run soak -- [--speed 10] [--minutes 480] [--tickets 600] [--seed 1] [--json audit.json] [--keep]
 *
 * --minutes is the simulated length of the day (08:00 to 16:00 by default), --speed the simulated
 * minutes per real minute. The disk fault needs a tmpfs for the data folder (root, `mount`); where
 * that is refused the run says so and goes on without it (under CI=true it fails instead).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import { DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { CentreStore } from '../../controller/centre/centre-store.ts';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { provisionDevices, readDeviceSecrets } from '../../controller/centre/provision.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { DataDirLock } from '../../controller/data-dir-lock.ts';
import { readEventsAfter } from '../../controller/journal/journal-reader.ts';
import { listSegments, readSegment } from '../../controller/journal/segment-files.ts';
import { createLogger } from '../../controller/logger.ts';
import { deviceTopic } from '../../devices/protocol/topics.ts';
import type { SimCallPad, SimRatingKeypad } from '../../firmware-sim/devices/counter-devices.ts';
import { createFleet, startFleet } from '../../firmware-sim/fleet.ts';
import { sleep } from '../../firmware-sim/sim-device.ts';
import { seeded } from '../../simulation/random.ts';
import { freePort } from '../free-port.ts';
import { type Acknowledged, auditFailed, auditJournal } from './audit.ts';
import { ControllerRunner } from './controller-runner.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    speed: { type: 'string' },
    minutes: { type: 'string' },
    tickets: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    keep: { type: 'boolean' },
  },
});
const speed = positive('speed', values.speed ?? '10');
const dayMinutes = positive('minutes', values.minutes ?? '480');
const ticketCount = Math.round(positive('tickets', values.tickets ?? '600'));
const random = seeded(Math.round(positive('seed', values.seed ?? '1')));
const realMs = (simMinutes: number) => (simMinutes * 60_000) / speed;
const runMs = realMs(dayMinutes);
const say = (text: string) =>
  console.log(`[soak ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}`);
let t0 = Date.now();

// ── set-up: the release build, a data folder on its own small disk, devices with secrets ─────────
// What is stale, as npm start does: the soak runs the compiled controller.
execFileSync(process.execPath, [fileURLToPath(new URL('../build.mjs', import.meta.url))], {
  stdio: 'inherit',
});
const root = mkdtempSync(join(tmpdir(), 'soak-'));
const dataDir = join(root, 'data');
const disk = mountTmpfs(dataDir, 96);
if (!disk.ok && process.env.CI === 'true')
  throw new Error(`soak: the disk fault needs a tmpfs: ${disk.reason}`);
const logger = createLogger({ level: 'warn' });
const lock = await DataDirLock.acquire(dataDir, 'soak');
const store = await CentreStore.open({ dataDir, seedFile: DEMO_CENTRE_FILE, importConfig: false, logger });
await provisionDevices(store, dataDir);
const config = store.config;
await lock.release();
const secrets = await readDeviceSecrets(dataDir);
const clockFile = join(root, 'clock-offset');
writeFileSync(clockFile, '0');
const mqttPort = await freePort();
const mqttUrl = `mqtt://127.0.0.1:${mqttPort}`;
const runner = new ControllerRunner({
  dataDir,
  httpPort: await freePort(),
  mqttPort,
  clockFile,
  logFile: join(root, 'controller.log'),
});
await runner.start();
const stalledId = 'hall-b';
const fleet = createFleet(
  config,
  Object.fromEntries(Object.entries(secrets).filter(([id]) => id !== stalledId)),
  mqttUrl,
  { resendAfterMs: 1_000 },
);
for (const d of fleet.dispensers) d.paper = 1_000_000; // paper-out is another test's fault
await startFleet(fleet);
say(
  `controller ${runner.url} (${disk.ok ? 'data on a 96 MB tmpfs' : `no tmpfs: ${disk.reason}`}), ${fleet.devices.length} devices`,
);

const acked: Acknowledged = { tickets: new Map(), ratings: new Map(), calls: new Set() };
const counts = { pressed: 0, refused: 0, unanswered: 0, callsDuringStall: 0, ratingsSent: 0 };
const faults: { at: string; what: string; outcome: string }[] = [];
let running = true;
let stall: { from: number; to: number } | null = null;

// ── staff take their counters (HTTP sessions, as the staff console does) ─────────────────────────
const seated = new Set<string>();
for (const counter of config.counters) {
  const person = config.staff.find(
    (s) =>
      !seated.has(s.id) &&
      (counter.services.length === 0 || s.services.some((x) => counter.services.includes(x))),
  );
  if (!person || !fleet.atCounter(counter.id, 'callPad')) continue;
  const res = await fetch(`${runner.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: person.id, password: DEMO_STAFF_PIN, counterId: counter.id }),
  });
  if (res.status >= 300)
    throw new Error(`soak: ${person.id} cannot sign in at ${counter.id}: ${await res.text()}`);
  seated.add(person.id);
}
say(
  `${seated.size} staff at their counters; a ${dayMinutes}-minute day at ${speed}× (${(runMs / 60_000).toFixed(1)} real minutes), ${ticketCount} citizens`,
);

// ── citizens: arrivals with a morning peak, each pressing a dispenser button ─────────────────────
const pending: Promise<unknown>[] = [];
async function citizens(): Promise<void> {
  const arrivals = arrivalTimes(ticketCount, runMs, random);
  for (const at of arrivals) {
    await sleep(Math.max(0, t0 + at - Date.now()));
    if (!running) return;
    const dispenser = fleet.dispensers[Math.floor(random() * fleet.dispensers.length)];
    if (!dispenser) return;
    const zone = config.devices.find((d) => d.id === dispenser.id)?.zoneId;
    const services = config.services.filter((s) => !zone || !s.zoneId || s.zoneId === zone);
    const service = services[Math.floor(random() * services.length)];
    if (!service) continue;
    counts.pressed++;
    pending.push(
      dispenser.press(service.id, undefined).then(
        (answer) => {
          const data = answer.data as { ticketId?: string; label?: string } | undefined;
          if (answer.status === 'ok' && data?.ticketId) acked.tickets.set(data.ticketId, data.label ?? '');
          else counts.refused++;
        },
        () => counts.unanswered++, // the controller was down or the disk full: nothing acknowledged
      ),
    );
  }
}

async function counter(counterId: string): Promise<void> {
  const pad = fleet.atCounter<SimCallPad>(counterId, 'callPad');
  const keypad = fleet.atCounter<SimRatingKeypad>(counterId, 'ratingKeypad');
  if (!pad) return;
  while (running) {
    const called = await pad.press('next').catch(() => null);
    const data =
      called?.status === 'ok' ? (called.data as { ticketId?: string; label?: string | null }) : null;
    if (!data?.ticketId) {
      await sleep(realMs(1));
      continue;
    }
    acked.calls.add(data.ticketId);
    if (stall && Date.now() >= stall.from && Date.now() <= stall.to) counts.callsDuringStall++;
    await sleep(realMs(0.5));
    await pad.press('start').catch(() => undefined);
    const expected =
      config.services.find((s) => data.ticketId?.includes(`:${s.id}:`))?.expectedServiceMinutes ?? 8;
    await sleep(realMs(expected * (0.3 + 0.7 * random())));
    const finished = await pad.press('finish').catch(() => null);
    if (finished?.status !== 'ok' || !keypad || random() < 0.2) continue; // some leave without rating
    await sleep(500);
    const level = random() < 0.04 ? 3 : random() < 0.7 ? 1 : 2;
    counts.ratingsSent++;
    const rated = await keypad.press(level).catch(() => null);
    const ratedId = (rated?.data as { ticketId?: string } | undefined)?.ticketId;
    if (rated?.status === 'ok' && ratedId) acked.ratings.set(ratedId, level);
  }
}

// ── the faults, at fractions of the day ─────────────────────────────────────────────────────────
const schedule: [number, string, () => Promise<string>][] = [
  [
    0.1,
    'devices flapping (3 keypads, 2 displays: 4 drops each)',
    async () => {
      const flappers = [...fleet.keypads.slice(0, 3), ...fleet.displays.slice(0, 2)];
      await Promise.all(flappers.map((d) => d.flap(4, 1_500)));
      return 'reconnected';
    },
  ],
  [0.25, 'controller SIGKILLed (1)', async () => killAndWait()],
  [
    0.35,
    'clock jumps 2 h forward',
    async () => {
      writeFileSync(clockFile, String(2 * 3600_000));
      const held = await waitFor(async () => {
        const health = (await (await fetch(`${runner.url}/healthz`)).json()) as {
          clock?: { status: string };
        };
        return health.clock?.status === 'jumped';
      }, 10_000);
      return held ? 'queue clock jumped' : 'jump NOT seen within 10 s';
    },
  ],
  [
    0.45,
    'clock set back (NTP)',
    async () => {
      writeFileSync(clockFile, '0');
      const since = Date.now();
      const ok = await waitFor(async () => {
        const health = (await (await fetch(`${runner.url}/healthz`)).json()) as {
          clock?: { status: string };
        };
        return health.clock?.status === 'ok';
      }, 30_000);
      return ok ? `queue clock ok again after ${Date.now() - since} ms` : 'queue clock still held after 30 s';
    },
  ],
  [0.55, 'controller SIGKILLed (2)', async () => killAndWait()],
  [
    0.65,
    'data disk fills',
    async () => {
      if (!disk.ok) return `not run: ${disk.reason}`;
      const bytes = fillDisk(join(dataDir, 'filler'));
      await sleep(realMs(dayMinutes * 0.06));
      const health = (await (await fetch(`${runner.url}/healthz`)).json()) as { status: string };
      unlinkSync(join(dataDir, 'filler'));
      const back = await waitFor(async () => (await fetch(`${runner.url}/healthz`)).status === 200, 60_000);
      return `filled ${(bytes / 2 ** 20).toFixed(0)} MiB; /healthz ${health.status}; freed: ${back ? 'recovered by itself' : 'NOT recovered'}`;
    },
  ],
  [
    0.8,
    'a hall display stops reading its socket',
    async () => {
      const client = await mqtt.connectAsync(mqttUrl, {
        clientId: stalledId,
        username: stalledId,
        password: secrets[stalledId],
        reconnectPeriod: 0,
      });
      await client.subscribeAsync(deviceTopic(config.centre.id, stalledId, 'cmd'));
      (client.stream as Socket).pause();
      stall = { from: Date.now(), to: Date.now() + realMs(dayMinutes * 0.1) };
      await sleep(stall.to - stall.from);
      client.end(true);
      return `${counts.callsDuringStall} calls made meanwhile`;
    },
  ],
];

t0 = Date.now();
const work = [citizens(), ...config.counters.map((c) => counter(c.id))];
const faultRuns = schedule.map(async ([fraction, what, run]) => {
  await sleep(runMs * fraction);
  const at = `${((Date.now() - t0) / 1000).toFixed(0)} s`;
  say(`fault: ${what}`);
  const outcome = await run().catch((e: Error) => `failed: ${e.message}`);
  say(`fault: ${what}: ${outcome}`);
  faults.push({ at, what, outcome });
});
const progress = setInterval(() => {
  say(
    `tickets ${acked.tickets.size} acknowledged (${counts.pressed} presses), calls ${acked.calls.size}, ratings ${acked.ratings.size}`,
  );
}, 15_000);
await sleep(runMs);
running = false;
await Promise.all([...work, ...faultRuns]);
await Promise.allSettled(pending);
clearInterval(progress);
await Promise.all(fleet.devices.map((d) => d.stop()));
const exitCode = await runner.stop();

// ── the audit ──────────────────────────────────────────────────────────────────────────────────
const events: QueueEvent[] = [];
for await (const batch of readEventsAfter<QueueEvent>(join(dataDir, 'journal'), 0)) events.push(...batch);
const audit = auditJournal(events, acked);
// What retention's compression would make of this day's journal (docs/durability.md#retention).
let journalBytes = 0;
let gzippedBytes = 0;
for (const segment of await listSegments(join(dataDir, 'journal'))) {
  const bytes = await readSegment(segment);
  journalBytes += bytes.length;
  gzippedBytes += gzipSync(bytes, { level: 9 }).length;
}
const failed = auditFailed(audit) || exitCode !== 0;
const rows: [string, string | number][] = [
  ['simulated day', `${dayMinutes} min at ${speed}× (${(runMs / 60_000).toFixed(1)} real min)`],
  ['controller starts / crashes', `${runner.starts} / ${runner.crashes}`],
  ['recovery after a kill (ms)', runner.recoveries.join(', ') || '—'],
  ['journal events', audit.events],
  [
    'journal bytes / gzipped',
    `${journalBytes} / ${gzippedBytes} (${((100 * gzippedBytes) / Math.max(1, journalBytes)).toFixed(1)} %)`,
  ],
  ['seq gaps', audit.seqGaps],
  ['button presses', counts.pressed],
  ['tickets acknowledged', acked.tickets.size],
  ['presses refused (disk full…)', counts.refused],
  ['presses unanswered (controller down)', counts.unanswered],
  ['tickets issued (journal)', audit.ticketsIssued],
  ['acknowledged tickets lost', audit.ticketsLost.length],
  ['ticket ids issued twice', audit.ticketsReissued.length],
  ['labels repeated in a day', audit.labelsRepeated.length],
  ['calls acknowledged / lost', `${acked.calls.size} / ${audit.callsLost.length}`],
  ['ratings acknowledged / lost', `${acked.ratings.size} / ${audit.ratingsLost.length}`],
  ['ratings changed / doubled', `${audit.ratingsChanged.length} / ${audit.ratingsDoubled.length}`],
  ['inconsistent ticket lives', audit.inconsistent.length],
  ...Object.entries(audit.outcomes).map(([k, v]): [string, number] => [`  tickets ${k}`, v]),
  ['controller exit on SIGTERM', String(exitCode)],
];
console.log('\nFaults');
console.table(faults);
console.log('\nAudit');
console.table(Object.fromEntries(rows.map(([k, v]) => [k, { value: v }])));
for (const f of audit.inconsistent.slice(0, 20)) console.log(`  inconsistent: ${f.ticketId}: ${f.problem}`);
for (const id of audit.ticketsLost.slice(0, 20)) console.log(`  lost: ${id}`);
if (values.json)
  writeFileSync(
    values.json,
    JSON.stringify(
      {
        speed,
        dayMinutes,
        faults,
        audit,
        counts,
        acknowledged: { tickets: acked.tickets.size, calls: acked.calls.size, ratings: acked.ratings.size },
        runner: { starts: runner.starts, crashes: runner.crashes, recoveries: runner.recoveries },
        journal: { bytes: journalBytes, gzipped: gzippedBytes },
      },
      null,
      2,
    ),
  );
console.log(
  failed
    ? '\nSOAK FAILED: something acknowledged was lost or a life is inconsistent'
    : '\nsoak passed: nothing acknowledged was lost',
);
if (disk.ok) execFileSync('umount', [dataDir]);
if (!values.keep) rmSync(root, { recursive: true, force: true });
else console.log(`kept: ${root}`);
process.exit(failed ? 1 : 0);

// ── helpers ────────────────────────────────────────────────────────────────────────────────────
function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0)
    throw new Error(`soak: --${name} must be a positive number (got "${text}")`);
  return n;
}

/** Arrival offsets (real ms) over the day, heavier in the morning, as centres see them. */
function arrivalTimes(n: number, span: number, rnd: () => number): number[] {
  const weights = [0.1, 0.17, 0.18, 0.14, 0.07, 0.09, 0.13, 0.12];
  const total = weights.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    let r = rnd() * total;
    let slot = 0;
    while (slot < weights.length - 1 && r > (weights[slot] as number)) r -= weights[slot++] as number;
    out.push(((slot + rnd()) / weights.length) * span * 0.97);
  }
  return out.sort((a, b) => a - b);
}

function mountTmpfs(dir: string, megabytes: number): { ok: true } | { ok: false; reason: string } {
  rmSync(dir, { recursive: true, force: true });
  execFileSync('mkdir', ['-p', dir]);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'soak', dir], { stdio: 'pipe' });
    return { ok: true };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return { ok: false, reason: stderr || (error as Error).message };
  }
}

/** Writes zeros until the disk refuses; returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [2 ** 20, 4096, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          written += writeSync(fd, chunk);
        } catch {
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

async function killAndWait(): Promise<string> {
  const before = runner.recoveries.length;
  runner.kill();
  const back = await waitFor(async () => runner.recoveries.length > before, 60_000);
  return back ? `restarted in ${runner.recoveries.at(-1) ?? '?'} ms` : 'NOT back within 60 s';
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(200);
  }
  return false;
}
