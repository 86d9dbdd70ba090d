/**
 * 2. "Next" pressed at a counter: callNext through engine.execute (finish the current visit, pickNext over
 * the queue, call the winner) with staff on all counters and 1,000 or 5,000 tickets waiting. After each
 * call a ticket of the same service joins the queue (untimed), so the queue stays the same size.
 *
 * The queue is filled through QueueFiller (copies of the engine's own ticketIssued events), not by
 * thousands of issue commands: each issue scans the whole day for its place in line and wait estimate,
 * and that cost is benchmark 1's, not this one's.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import {
  budget,
  issueMix,
  must,
  OPENING,
  SECOND,
  seededRandom,
  staffAllCounters,
  staffing,
} from './centre.ts';
import { QueueFiller } from './queue-filler.ts';
import type { Row } from './table.ts';

const QUEUE_SIZES = [1_000, 5_000];
const CALLS = 1_000;
const WARM_UP = 100;
const TIME_LIMIT_MS = 10_000;

function runAt(config: CentreConfig, waiting: number): Row {
  // The measured counter serves every service its staff member covers (no counter restriction).
  const counter = config.counters.find((c) => c.services.length === 0) ?? config.counters[0];
  if (!counter) throw new Error('bench: the centre has no counters');
  const staffId = staffing(config).find((s) => s.counterId === counter.id)?.staffId;
  const covers = config.staff.find((s) => s.id === staffId)?.services ?? [];

  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const filler = new QueueFiller(engine, config);
  const next = issueMix(config, seededRandom(2));
  let now = OPENING;
  for (let i = 0; i < waiting; i++) {
    now += SECOND;
    const command = next();
    if (command.type === 'issueTicket') filler.add(command, now);
  }

  const samples: number[] = [];
  const limit = budget(TIME_LIMIT_MS);
  let totalMs = 0;
  for (let i = 0; i < WARM_UP + CALLS && !limit.over(); i++) {
    now += 20 * SECOND;
    const t0 = performance.now();
    const outcome = must(engine, { type: 'callNext', counterId: counter.id }, now);
    const elapsed = performance.now() - t0;
    if (i >= WARM_UP) {
      samples.push(elapsed);
      totalMs += elapsed;
    }
    const called = outcome.ticket;
    if (!called) throw new Error('bench: callNext found nobody waiting');
    filler.add({ type: 'issueTicket', serviceId: called.serviceId, source: 'kiosk' }, now);
  }

  const tickets = Object.values(engine.state.tickets);
  const stillWaiting = tickets.filter((t) => t.status === 'waiting').length;
  const eligible = tickets.filter((t) => t.status === 'waiting' && covers.includes(t.serviceId)).length;
  const n = (count: number) => count.toLocaleString('en-US');
  return {
    name: `engine: callNext, ${n(waiting)} waiting`,
    ops: samples.length,
    totalMs,
    samples,
    note: `${counter.id}; ${n(stillWaiting)} waiting (${n(eligible)} eligible there), ${n(tickets.length)} tickets today${samples.length < CALLS ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : ''}`,
  };
}

export function benchEngineCallNext(config: CentreConfig): Row[] {
  return QUEUE_SIZES.map((waiting) => runAt(config, waiting));
}
