/**
 * 13. What a screen receives per change of the live queue, with 2,600 citizens waiting (the fleet
 * benchmark's hall): the whole state (`queue:state`, what every change sent before issue 14, and
 * still what a screen gets on connection) against the patch of what changed (`queue:patch`), for
 * one ticket issued, one "Next" and a coalesced burst (10 tickets and 2 calls in one 150 ms
 * window). Bytes are those of the JSON socket.io sends. The time column is the controller's work per
 * broadcast: the view, plus the diff for a patch. Before those, the view alone (what every broadcast
 * and every connection costs) with 100 waiting and 100 or 10,000 tickets today, and 2,600 waiting.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { queueView } from '../controller/queue/views.ts';
import { diffQueue } from '../controller/realtime/queue-patch.ts';
import { issueMix, must, OPENING, SECOND, seededRandom, staffAllCounters } from './centre.ts';
import { dayOf } from './engine-day-size.ts';
import { QueueFiller } from './queue-filler.ts';
import type { Row } from './table.ts';

const WAITING = 2_600;
const RUNS = 40;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function viewRow(config: CentreConfig, today: number, waiting: number): Row {
  const day = dayOf(config, today, waiting);
  const samples: number[] = [];
  for (let i = 0; i < 20 + RUNS * 5; i++) {
    const now = day.tick(); // a new instant each time: nothing is reused from the last view
    const t0 = performance.now();
    queueView(config, day.engine.state, now);
    if (i >= 20) samples.push(performance.now() - t0);
  }
  const n = (x: number) => x.toLocaleString('en-US');
  return {
    name: `live: queue view, ${n(today)} tickets today, ${n(waiting)} waiting`,
    ops: samples.length,
    totalMs: samples.reduce((a, b) => a + b, 0),
    samples,
    note: 'the whole view, as on every broadcast and connection',
  };
}

export function benchLiveBytes(config: CentreConfig): Row[] {
  const views = [viewRow(config, 100, 100), viewRow(config, 10_000, 100), viewRow(config, 10_000, 2_600)];
  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const filler = new QueueFiller(engine, config);
  const next = issueMix(config, seededRandom(5));
  let now = OPENING;
  for (let i = 0; i < WAITING; i++) {
    now += SECOND;
    const command = next();
    if (command.type === 'issueTicket') filler.add(command, now);
  }
  const counters = config.counters.map((c) => c.id);
  let turn = 0;
  const changes: [string, () => void][] = [
    ['one ticket issued', () => must(engine, next(), now)],
    [
      'one "Next"',
      () => must(engine, { type: 'callNext', counterId: counters[turn++ % counters.length] as string }, now),
    ],
    [
      'a burst: 10 tickets, 2 calls',
      () => {
        for (let i = 0; i < 10; i++) must(engine, next(), now);
        for (let i = 0; i < 2; i++)
          must(engine, { type: 'callNext', counterId: counters[turn++ % counters.length] as string }, now);
      },
    ],
  ];
  const rows: Row[] = [];
  for (const [what, change] of changes) {
    const whole: number[] = [];
    const patch: number[] = [];
    const wholeMs: number[] = [];
    const patchMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const before = queueView(config, engine.state, now);
      now += SECOND;
      change();
      const t0 = performance.now();
      const after = queueView(config, engine.state, now);
      const t1 = performance.now();
      const p = diffQueue(before, after, i + 1);
      const t2 = performance.now();
      whole.push(JSON.stringify({ ...after, rev: i + 1 }).length);
      patch.push(JSON.stringify(p).length);
      wholeMs.push(t1 - t0);
      patchMs.push(t2 - t0);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    rows.push(
      {
        name: `live: ${what}, whole state`,
        ops: RUNS,
        totalMs: sum(wholeMs),
        samples: wholeMs,
        note: `${kb(mean(whole))} per change; ${WAITING.toLocaleString('en-US')} waiting`,
      },
      {
        name: `live: ${what}, patch`,
        ops: RUNS,
        totalMs: sum(patchMs),
        samples: patchMs,
        note: `${kb(mean(patch))} per change (${(mean(whole) / mean(patch)).toFixed(0)}× less); view + diff`,
      },
    );
  }
  return [...views, ...rows];
}
