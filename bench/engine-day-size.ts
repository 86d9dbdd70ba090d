/**
 * 12. Does the cost of issuing and of "Next" grow with the day? Issue 14's target: their p99 with
 * 10,000 tickets today within 2× of their p99 with 100. The hall is kept at a steady size while the
 * day grows (each ticket the bench adds beyond it is called at the next counter in turn, untimed),
 * so the rows differ only in how many tickets the day has seen, except the last pair, which keeps
 * 2,600 waiting (a festival-day hall, the fleet benchmark's) to show what the waiting queue costs.
 *
 * - issue: `issueTicket` through engine.execute (place in line and the wait estimate printed on the
 *   ticket), each followed by an untimed "Next" at the next counter so the hall keeps its size;
 * - callNext: "Next" at the next counter in turn (finish the visit there, pick and call), each
 *   followed by an untimed ticket of the same service.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { budget, issueMix, must, OPENING, SECOND, seededRandom, staffAllCounters } from './centre.ts';
import { QueueFiller } from './queue-filler.ts';
import type { Row } from './table.ts';

const CASES: { today: number; waiting: number }[] = [
  { today: 100, waiting: 100 },
  { today: 10_000, waiting: 100 },
  { today: 10_000, waiting: 2_600 },
];
const OPS = 300;
const WARM_UP = 50;
const TIME_LIMIT_MS = 15_000;

const n = (count: number) => count.toLocaleString('en-US');

/** An engine with `today` tickets issued today, `waiting` of them still waiting. */
export function dayOf(config: CentreConfig, today: number, waiting: number) {
  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const filler = new QueueFiller(engine, config);
  const next = issueMix(config, seededRandom(4));
  const counters = config.counters.map((c) => c.id);
  let turn = 0;
  let now = OPENING;
  const callOne = () => {
    // A counter with nobody eligible left calls nobody: try the others in turn.
    for (let tries = 0; tries < counters.length; tries++) {
      const counterId = counters[turn++ % counters.length] as string;
      if (engine.execute({ type: 'callNext', counterId }, now).ticket) return;
    }
  };
  for (let i = 0; i < today; i++) {
    now += SECOND;
    const command = next();
    if (command.type !== 'issueTicket') continue;
    filler.add(command, now);
    if (i >= waiting) callOne();
  }
  return { engine, filler, next, counters, callOne, now: () => now, tick: () => (now += SECOND) };
}

function waitingOf(engine: QueueEngine): number {
  let w = 0;
  for (const t of Object.values(engine.state.tickets)) if (t.status === 'waiting') w++;
  return w;
}

function issueRow(config: CentreConfig, today: number, waiting: number): Row {
  const day = dayOf(config, today, waiting);
  const atStart = waitingOf(day.engine);
  const samples: number[] = [];
  const limit = budget(TIME_LIMIT_MS);
  let totalMs = 0;
  for (let i = 0; i < WARM_UP + OPS && !limit.over(); i++) {
    const now = day.tick();
    const command = day.next();
    const t0 = performance.now();
    must(day.engine, command, now);
    const elapsed = performance.now() - t0;
    if (i >= WARM_UP) {
      samples.push(elapsed);
      totalMs += elapsed;
    }
    day.callOne();
  }
  return {
    name: `engine: issue, ${n(today)} tickets today, ${n(waiting)} waiting`,
    ops: samples.length,
    totalMs,
    samples,
    note: `${n(atStart)} waiting at the start; ${n(Object.keys(day.engine.state.tickets).length)} tickets today at the end${samples.length < OPS ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : ''}`,
  };
}

function callNextRow(config: CentreConfig, today: number, waiting: number): Row {
  const day = dayOf(config, today, waiting);
  const atStart = waitingOf(day.engine);
  const samples: number[] = [];
  const limit = budget(TIME_LIMIT_MS);
  let totalMs = 0;
  for (let i = 0; i < WARM_UP + OPS && !limit.over(); i++) {
    const now = day.tick();
    const counterId = day.counters[i % day.counters.length] as string;
    const t0 = performance.now();
    const outcome = must(day.engine, { type: 'callNext', counterId }, now);
    const elapsed = performance.now() - t0;
    if (i >= WARM_UP) {
      samples.push(elapsed);
      totalMs += elapsed;
    }
    const serviceId = outcome.ticket?.serviceId;
    if (serviceId) day.filler.add({ type: 'issueTicket', serviceId, source: 'kiosk' }, now);
  }
  return {
    name: `engine: callNext, ${n(today)} tickets today, ${n(waiting)} waiting`,
    ops: samples.length,
    totalMs,
    samples,
    note: `${n(atStart)} waiting at the start; round the ${day.counters.length} counters; ${n(Object.keys(day.engine.state.tickets).length)} tickets today at the end${samples.length < OPS ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : ''}`,
  };
}

export function benchEngineDaySize(config: CentreConfig): Row[] {
  // Warm the JIT on a small day first, or the first row pays for compiling the engine.
  issueRow(config, 300, 100);
  callNextRow(config, 300, 100);
  return [
    ...CASES.map(({ today, waiting }) => issueRow(config, today, waiting)),
    ...CASES.map(({ today, waiting }) => callNextRow(config, today, waiting)),
  ];
}
