/**
 * 10. The staffing advice's correction by simulation (controller/reports/staffing-advisor.ts): the
 * demo centre's coming three hours with 300 arrivals an hour (a provincial centre's morning), run
 * once on the controller's own thread and once in the advisor's worker thread, while a 10 ms timer
 * measures how late the event loop answers. On the controller's thread the whole simulation is one
 * stall; in the worker the loop keeps its ordinary lateness.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import { StaffingAdvisor } from '../controller/reports/staffing-advisor.ts';
import { type LiveScenario, liveScenario } from '../controller/reports/staffing-scenario.ts';
import { correct } from '../controller/reports/staffing-worker.ts';
import type { Row } from './table.ts';

const MIN = 60_000;
const ARRIVALS = 300;
const TICK_MS = 10;

function busyHour(config: CentreConfig): { live: LiveScenario; now: number } {
  // 09:00 local (UTC+7) on a working day.
  const start = Date.UTC(2026, 11, 7, 2, 0, 0);
  const engine = QueueEngine.empty(config, start);
  const services = config.services.map((s) => s.id);
  for (let i = 0; i < ARRIVALS; i++) {
    const at = start + Math.floor((i * 60 * MIN) / ARRIVALS);
    const outcome = engine.execute(
      { type: 'issueTicket', serviceId: services[i % services.length] as string, source: 'kiosk' },
      at,
    );
    if (outcome.error) throw new Error(outcome.error.message);
  }
  const now = start + 60 * MIN - 1;
  const live = liveScenario(config, engine.state, now, null, 3);
  if (!live) throw new Error('no scenario');
  return { live, now };
}

/** Lateness of a TICK_MS timer while `work` runs, in ms per tick. */
async function lagWhile(work: () => Promise<void>): Promise<{ samples: number[]; ms: number }> {
  const samples: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const t = performance.now();
    samples.push(Math.max(0, t - last - TICK_MS));
    last = t;
  }, TICK_MS);
  const t0 = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));
  await work();
  await new Promise((resolve) => setTimeout(resolve, 3 * TICK_MS));
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { samples, ms };
}

export async function benchStaffing(config: CentreConfig): Promise<Row[]> {
  const { live, now } = busyHour(config);
  // The arrivals to come and the citizens already waiting in the hall the simulation starts from.
  const hall = live.scenario.hall as { waiting: unknown[] } | undefined;
  const tickets = (live.scenario.ticketsPerDay as number) + (hall?.waiting.length ?? 0);
  const inThread = await lagWhile(async () => {
    const reply = correct({ id: 1, scenario: live.scenario, seed: 1 });
    if ('error' in reply) throw new Error(reply.error);
  });
  const advisor = new StaffingAdvisor({
    onError: (e) => {
      throw e;
    },
  });
  const inWorker = await lagWhile(async () => {
    advisor.request(live, now);
    await advisor.idle();
  });
  await advisor.stop();
  if (!advisor.latest(now)) throw new Error('the worker gave no advice');
  const worst = (s: number[]) => Math.max(0, ...s).toFixed(0);
  return [
    {
      name: 'staffing: simulate 3 h on the controller thread (timer lateness)',
      ops: inThread.samples.length,
      totalMs: inThread.ms,
      samples: inThread.samples,
      note: `${tickets} tickets; worst stall ${worst(inThread.samples)} ms`,
    },
    {
      name: 'staffing: simulate 3 h in the worker (timer lateness)',
      ops: inWorker.samples.length,
      totalMs: inWorker.ms,
      samples: inWorker.samples,
      note: `${tickets} tickets; worst stall ${worst(inWorker.samples)} ms`,
    },
  ];
}
