/**
 * 6. What screens ask for on every change: the live queue view (socket.io `queue:state`, after each
 * batch of events) and the manager dashboard (GET /api/dashboard, refetched at most once a second per
 * open dashboard), computed from a realistic day — the first service day of the day mix (1,200
 * tickets) replayed up to 15:00 local time, with a queue still waiting. Both are pure functions of
 * configuration + state + time, recomputed in full on every call: this is their whole cost.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { queueView } from '../controller/queue/views.ts';
import { dashboardView } from '../controller/reports/dashboard.ts';
import { budget, HOUR, OPENING } from './centre.ts';
import { generateDayMix } from './day-mix.ts';
import type { Row } from './table.ts';

const RUNS = 200;
const WARM_UP = 20;
const TIME_LIMIT_MS = 20_000;
/** 15:00 in Vietnam (UTC+7): eight hours after the doors opened at 07:00. */
const AFTERNOON = OPENING + 8 * HOUR;

export function benchReadModels(config: CentreConfig): Row[] {
  const mix = generateDayMix(config, 12_000, 15_000);
  const engine = QueueEngine.empty(config, OPENING);
  engine.replay(mix.events.filter((e) => e.at <= AFTERNOON));
  const state = engine.state;
  const tickets = Object.values(state.tickets);
  const waiting = tickets.filter((t) => t.status === 'waiting').length;
  const note = `${tickets.length.toLocaleString('en-US')} tickets today, ${waiting} waiting, 15:00`;
  const devices = { devices: [], alerts: [] };
  return [
    time(
      `read: queueView (queue:state), ${tickets.length} tickets`,
      () => queueView(config, state, AFTERNOON),
      note,
    ),
    time(
      `read: dashboardView, ${tickets.length} tickets`,
      () => dashboardView(config, state, AFTERNOON, devices),
      note,
    ),
  ];
}

function time(name: string, fn: () => unknown, note: string): Row {
  const samples: number[] = [];
  const limit = budget(TIME_LIMIT_MS);
  let totalMs = 0;
  for (let i = 0; i < WARM_UP + RUNS && !limit.over(); i++) {
    const t0 = performance.now();
    fn();
    const elapsed = performance.now() - t0;
    if (i >= WARM_UP) {
      samples.push(elapsed);
      totalMs += elapsed;
    }
  }
  return { name, ops: samples.length, totalMs, samples, note };
}
