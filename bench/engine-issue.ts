/**
 * 1. Issuing tickets in the engine alone (no journal, no HTTP): 10,000 tickets across the demo centre's
 * services, one second apart, with staff on every counter. Each issue scans today's tickets for the place
 * in line and the wait estimate printed on the ticket, so the cost per ticket grows with the day; p99
 * shows the late ones, and the notes give the first 3,000 (a busy day) on their own.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { budget, issueMix, must, OPENING, SECOND, seededRandom, staffAllCounters } from './centre.ts';
import { percentile, type Row } from './table.ts';

const TICKETS = 10_000;
const WARM_UP = 1_000;
const TIME_LIMIT_MS = 45_000;
/** The busiest day a provincial centre sees: the cost per ticket up to here is what matters in practice. */
const BUSY_DAY = 3_000;

function issueRun(config: CentreConfig, count: number, samples: number[] | null, limitMs: number): number {
  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const next = issueMix(config, seededRandom(1));
  const limit = budget(limitMs);
  let issued = 0;
  for (let i = 0; i < count && !limit.over(); i++) {
    const now = OPENING + (i + 1) * SECOND;
    const command = next();
    const t0 = performance.now();
    must(engine, command, now);
    samples?.push(performance.now() - t0);
    issued++;
  }
  return issued;
}

export function benchEngineIssue(config: CentreConfig): Row[] {
  issueRun(config, WARM_UP, null, TIME_LIMIT_MS);
  const samples: number[] = [];
  const t0 = performance.now();
  const issued = issueRun(config, TICKETS, samples, TIME_LIMIT_MS);
  const totalMs = performance.now() - t0;
  const busyDay = samples.slice(0, BUSY_DAY).sort((a, b) => a - b);
  const firstPart = `first ${BUSY_DAY.toLocaleString('en-US')}: p50 ${percentile(busyDay, 50).toFixed(2)}, p99 ${percentile(busyDay, 99).toFixed(2)} ms`;
  return [
    {
      name: `engine: issue ${TICKETS.toLocaleString('en-US')} tickets`,
      ops: issued,
      totalMs,
      samples,
      note:
        issued < TICKETS
          ? `stopped at the ${TIME_LIMIT_MS / 1000} s limit; ${firstPart}`
          : `queue grows 0 → ${issued.toLocaleString('en-US')} waiting; ${firstPart}`,
    },
  ];
}
