/**
 * A rating keypad press: rateVisit through engine.execute (find the visit finished last at the
 * counter, refuse if already rated), with 1,000 and 10,000 visits finished today. A hall with a
 * keypad at each counter sends these all day, so their cost must not grow with the day. The day is
 * made with QueueFiller tickets, each called and finished at the next counter in turn (untimed).
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { budget, issueMix, must, OPENING, SECOND, seededRandom, staffAllCounters } from './centre.ts';
import { QueueFiller } from './queue-filler.ts';
import type { Row } from './table.ts';

const DAY_SIZES = [1_000, 10_000];
const PRESSES = 2_000;
const WARM_UP = 200;
const TIME_LIMIT_MS = 10_000;

function runAt(config: CentreConfig, visits: number): Row {
  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const filler = new QueueFiller(engine, config);
  const next = issueMix(config, seededRandom(3));
  const counters = config.counters.map((c) => c.id);
  let now = OPENING;
  let finished = 0;
  for (let i = 0; finished < visits; i++) {
    now += SECOND;
    const command = next();
    if (command.type !== 'issueTicket') continue;
    filler.add(command, now);
    // "Next" finishes the visit in progress there and calls whoever that counter may take.
    const outcome = engine.execute(
      { type: 'callNext', counterId: counters[i % counters.length] as string },
      now,
    );
    if (outcome.events.some((e) => e.type === 'serviceFinished')) finished++;
  }
  for (const counterId of counters) must(engine, { type: 'finishService', counterId }, now);

  const samples: number[] = [];
  const limit = budget(TIME_LIMIT_MS);
  let totalMs = 0;
  let rated = 0;
  for (let i = 0; i < WARM_UP + PRESSES && !limit.over(); i++) {
    const counterId = counters[i % counters.length] as string;
    const t0 = performance.now();
    const outcome = engine.execute({ type: 'rateVisit', counterId, level: 1 }, now);
    const elapsed = performance.now() - t0;
    if (i >= WARM_UP) {
      samples.push(elapsed);
      totalMs += elapsed;
      if (outcome.events.some((e) => e.type === 'visitRated')) rated++;
    }
  }
  const n = (count: number) => count.toLocaleString('en-US');
  return {
    name: `engine: rateVisit, ${n(visits)} visits today`,
    ops: samples.length,
    totalMs,
    samples,
    note: `${n(Object.keys(engine.state.tickets).length)} tickets today, ${counters.length} counters; each counter’s first press (in the warm-up) rated its last visit, the ${rated === 0 ? 'measured ones' : `other ${PRESSES - rated}`} were refused as already rated${samples.length < PRESSES ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : ''}`,
  };
}

export function benchEngineRate(config: CentreConfig): Row[] {
  return DAY_SIZES.map((visits) => runAt(config, visits));
}
