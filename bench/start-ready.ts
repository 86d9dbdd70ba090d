/**
 * 11. Start-up with a big day in the journal (issue 14): the release build (`node
 * build/controller/main.js`, `npm run build` first) started on a data folder whose journal holds one
 * service day of START_TICKETS tickets (default 50,000: a festival day at a city centre, ~17× a
 * provincial centre's busy day), most of them called and finished. Timed from the spawn to the first
 * 200 of GET /healthz/ready (polled every 10 ms), so Node's own start and every module load count.
 *
 * The data folder is first started once, empty (so the accounts, the citizen key and centre.json
 * exist, as at any centre after its first day: a first start creates them, slowly), then its journal
 * is replaced by the day's. Two starts, as a centre meets them:
 * - after a power cut: the start reads the last snapshot (one every 20,000 events) and replays the
 *   events after it (the controller then writes a snapshot);
 * - after a clean stop (SIGTERM writes a snapshot at shutdown): the start reads the snapshot only.
 *
 * The day is today's (in the centre's time zone), so the controller continues it rather than
 * starting a new one. The journal is written with the Journal class in batches, not through the
 * HTTP API (50,000 durable requests would take minutes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { writeDataFormat } from '../controller/formats/data-format.ts';
import { Journal } from '../controller/journal/journal.ts';
import { silentLogger } from '../controller/logger.ts';
import { freePort } from '../scripts/free-port.ts';
import { HOUR, issueMix, must, seededRandom, staffing, tempDir } from './centre.ts';
import { QueueFiller } from './queue-filler.ts';
import type { Row } from './table.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TICKETS = Number(process.env.START_TICKETS ?? 50_000);
const WRITE_BATCH = 2_000;
/** As QueueService's SNAPSHOT_EVERY_EVENTS. */
const SNAPSHOT_EVERY = 20_000;
const READY_TIMEOUT_MS = 120_000;

/**
 * Writes the day into `journalDir` as the controller would have: its events, and a snapshot every
 * 20,000 events (QueueService's SNAPSHOT_EVERY_EVENTS), so a power cut at the end of the day leaves
 * up to that many events to replay. Tickets come evenly through 9 hours ending a minute ago; the
 * counters call about as fast as citizens come (a ticket in ten stays waiting a while).
 */
export async function writeDay(
  config: CentreConfig,
  journalDir: string,
  tickets = TICKETS,
  /** One ticket in this many is left waiting; the others are called. */
  leaveWaitingEvery = 10,
): Promise<{ events: number; waiting: number; replayAfterCrash: number }> {
  const start = Date.now() - 9 * HOUR;
  const step = (9 * HOUR - 60_000) / tickets;
  const engine = QueueEngine.empty(config, start);
  const journal = new Journal<QueueEvent>({ dir: journalDir, logger: silentLogger });
  await journal.open();
  let pending: QueueEvent[] = [];
  let sinceSnapshot = 0;
  const flush = async () => {
    for (let i = 0; i < pending.length; i += WRITE_BATCH)
      await journal.append(pending.slice(i, i + WRITE_BATCH));
    sinceSnapshot += pending.length;
    pending = [];
    if (sinceSnapshot >= SNAPSHOT_EVERY) {
      await journal.writeSnapshot(engine.state.seq, engine.state);
      sinceSnapshot = 0;
    }
  };
  for (const { counterId, staffId } of staffing(config))
    pending.push(...must(engine, { type: 'login', counterId, staffId }, start).events);
  const filler = new QueueFiller(engine, config);
  const next = issueMix(config, seededRandom(11));
  const counters = config.counters.map((c) => c.id);
  for (let i = 0; i < tickets; i++) {
    const at = start + i * step;
    pending.push(...filler.add(next() as Extract<ReturnType<typeof next>, { type: 'issueTicket' }>, at));
    if (i % leaveWaitingEvery !== leaveWaitingEvery - 1) {
      const outcome = engine.execute(
        { type: 'callNext', counterId: counters[i % counters.length] as string },
        at + 1,
      );
      if (!outcome.error) pending.push(...outcome.events);
    }
    if (pending.length >= 1_000) await flush();
  }
  await flush();
  // No close: a close leaves nothing more, but this is what a power cut leaves.
  await journal.close();
  return {
    events: engine.state.seq,
    waiting: Object.values(engine.state.tickets).filter((t) => t.status === 'waiting').length,
    replayAfterCrash: sinceSnapshot,
  };
}

async function waitReady(url: string, child: ChildProcess, t0: number): Promise<number> {
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  while (performance.now() - t0 < READY_TIMEOUT_MS) {
    if (exited !== undefined) throw new Error(`bench: the controller exited (${exited}) before it was ready`);
    const ok = await fetch(`${url}/healthz/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('bench: the controller was not ready in time');
}

async function startOnce(
  dataDir: string,
): Promise<{ ms: number; cpuMs: number | null; rssMb: number; stop: () => Promise<void> }> {
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const t0 = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'build/controller/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HTTP_PORT: String(httpPort),
      MQTT_PORT: String(mqttPort),
      BIND_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const ms = await waitReady(`http://127.0.0.1:${httpPort}`, child, t0);
  const cpuMs = cpuMsOf(child.pid);
  // Resident memory once ready (the replay's garbage may not be collected yet).
  const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? Number.NaN);
  return {
    ms,
    cpuMs,
    rssMb: rss / 1_048_576,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function benchStartReady(config: CentreConfig): Promise<Row[]> {
  const { dir, remove } = tempDir('hall-bench-start-');
  try {
    await writeDataFormat(dir);
    // The folder as a centre that has run before has it: a first start also creates the demo
    // accounts (a scrypt hash each, ~0.5–0.8 s), the citizen key and centre.json, which no later
    // start does. Its journal goes; the day is written in its place.
    const journalDir = join(dir, 'journal');
    await (await startOnce(dir)).stop();
    rmSync(journalDir, { recursive: true, force: true });
    mkdirSync(journalDir);
    const day = await writeDay(config, journalDir);
    const mb = (bytesUnder(journalDir) / 1_048_576).toFixed(1);
    const n = (x: number) => x.toLocaleString('en-US');
    const cpu = (ms: number | null) => (ms === null ? '' : `; CPU ${n(ms)} ms to ready`);
    const what = `${n(TICKETS)} tickets today (${n(day.waiting)} waiting), ${n(day.events)} events, ${mb} MB journal`;

    const crash = await startOnce(dir);
    await crash.stop(); // SIGTERM: the snapshot at shutdown
    const snapshotMb = (statSync(join(journalDir, 'snapshot.json')).size / 1_048_576).toFixed(1);
    const clean = await startOnce(dir);
    await clean.stop();
    return [
      {
        name: `start: ready after a power cut, ${n(TICKETS)}-ticket day`,
        ops: 1,
        totalMs: crash.ms,
        note: `spawn → /healthz/ready 200; ${what}; the last snapshot ${n(day.replayAfterCrash)} events back; RSS ${crash.rssMb.toFixed(0)} MB when ready${cpu(crash.cpuMs)}`,
      },
      {
        name: `start: ready after a clean stop, ${n(TICKETS)}-ticket day`,
        ops: 1,
        totalMs: clean.ms,
        note: `reads the ${snapshotMb} MB snapshot written at shutdown, replays nothing; RSS ${clean.rssMb.toFixed(0)} MB when ready${cpu(clean.cpuMs)}`,
      },
    ];
  } finally {
    remove();
  }
}

/**
 * CPU time (user + system, every thread) the process has used, from /proc on Linux (null elsewhere):
 * on a shared machine it moves far less than the time to ready, which waits for the CPU.
 */
function cpuMsOf(pid: number | undefined): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function bytesUnder(dir: string): number {
  return readdirSync(dir).reduce((sum, name) => {
    const s = statSync(join(dir, name));
    return sum + (s.isFile() ? s.size : 0);
  }, 0);
}
