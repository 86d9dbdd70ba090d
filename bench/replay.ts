/**
 * 3. Start-up: rebuilding the queue state from 100,000 journaled events (a realistic mix: issue, call,
 * finish, logins, day starts; see day-mix.ts). Measured twice: the engine's replay of events already in
 * memory in this process, and what a start really does, in a fresh Node process (replay-start.ts):
 * Journal.open() reading and parsing the segment file, then the replay. The fresh process matters: V8
 * replays several times faster once earlier engine work has shaped its inline caches.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { Journal } from '../controller/journal/journal.ts';
import { segmentFileName } from '../controller/journal/segment-reader.ts';
import { silentLogger } from '../controller/logger.ts';
import { OPENING, tempDir } from './centre.ts';
import { generateDayMix, TICKETS_PER_DAY } from './day-mix.ts';
import type { Row } from './table.ts';

const EVENTS = 100_000;
const RUNS = 3;
const WRITE_BATCH = 1_000;
/** Making the journal runs the engine through weeks of days; this bounds it on a slow machine. */
const GENERATE_LIMIT_MS = 25_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function replayOnce(config: CentreConfig, events: readonly QueueEvent[]): number {
  const engine = QueueEngine.empty(config, OPENING);
  const t0 = performance.now();
  engine.replay(events);
  const ms = performance.now() - t0;
  if (engine.state.seq !== events.length) throw new Error(`bench: replay ended at seq ${engine.state.seq}`);
  return ms;
}

interface StartTimes {
  openMs: number;
  replayMs: number;
}

/** Journal.open() + replay in a fresh Node process, as at a controller start (see replay-start.ts). */
async function startOnce(dir: string, expected: number): Promise<StartTimes> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(new URL('./replay-start.ts', import.meta.url)),
      dir,
      String(expected),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`bench: replay-start.ts exited with ${code}`);
  return JSON.parse(out) as StartTimes;
}

export async function benchReplay(config: CentreConfig): Promise<Row[]> {
  const mix = generateDayMix(config, EVENTS, GENERATE_LIMIT_MS);
  const { events } = mix;
  const n = (count: number | undefined) => (count ?? 0).toLocaleString('en-US');
  const cut = mix.cut ? `; generation stopped at the ${GENERATE_LIMIT_MS / 1000} s limit` : '';
  const mixNote = `${mix.days} days × ${n(TICKETS_PER_DAY)} tickets: ${n(mix.counts.ticketIssued)} issued, ${n(mix.counts.ticketCalled)} called, ${n(mix.counts.serviceFinished)} finished${cut}`;

  replayOnce(config, events); // warm-up
  const memory: number[] = [];
  for (let i = 0; i < RUNS; i++) memory.push(replayOnce(config, events));

  const { dir, remove } = tempDir('hall-bench-replay-');
  try {
    const writer = new Journal<QueueEvent>({ dir, logger: silentLogger });
    await writer.open();
    for (let i = 0; i < events.length; i += WRITE_BATCH)
      await writer.append(events.slice(i, i + WRITE_BATCH));
    await writer.close();
    const bytes = statSync(join(dir, segmentFileName(1))).size;

    await startOnce(dir, events.length); // the file is now in the page cache
    const starts: StartTimes[] = [];
    for (let i = 0; i < RUNS; i++) starts.push(await startOnce(dir, events.length));
    const total = starts.map((s) => s.openMs + s.replayMs);
    // The run whose total is the median, so its two parts add up.
    const mid = starts[total.indexOf(median(total))] as StartTimes;

    return [
      {
        name: `replay: ${EVENTS.toLocaleString('en-US')} events in memory`,
        ops: events.length,
        totalMs: median(memory),
        note: `median of ${RUNS}; ${mixNote}`,
      },
      {
        name: `replay: ${EVENTS.toLocaleString('en-US')} events at start-up`,
        ops: events.length,
        totalMs: median(total),
        note: `median of ${RUNS}; fresh process: Journal.open ${mid.openMs.toFixed(0)} ms (${(bytes / 1_048_576).toFixed(1)} MB, page cache warm) + replay ${mid.replayMs.toFixed(0)} ms`,
      },
    ];
  } finally {
    remove();
  }
}
