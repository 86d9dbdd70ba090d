import type { AddressInfo } from 'node:net';
import { threadId } from 'node:worker_threads';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createStaffingRouter } from '../../controller/http/staffing-routes.ts';
import type { QueueService } from '../../controller/queue/queue-service.ts';
import type { ReportSource } from '../../controller/reports/report-source.ts';
import { pools, staffingAdvice } from '../../controller/reports/staffing-advice.ts';
import { StaffingAdvisor, WorkerRunner } from '../../controller/reports/staffing-advisor.ts';
import { liveScenario } from '../../controller/reports/staffing-scenario.ts';
import type { CorrectionJob, CorrectionReply } from '../../controller/reports/staffing-worker.ts';
import { parseScenario } from '../../simulation/scenario.ts';
import { adviseStaffing } from '../../simulation/staffing.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const zoned = () =>
  smallCentre({
    zones: [{ id: 'khu-a', name: 'Khu A' }],
    services: [
      { id: 'dat-dai', name: 'Đất đai', prefix: '1', expectedServiceMinutes: 15, zoneId: 'khu-a' },
      { id: 'ho-tich', name: 'Tư pháp – Hộ tịch', prefix: '2', expectedServiceMinutes: 8, zoneId: 'khu-a' },
      { id: 'tra-kq', name: 'Trả kết quả', prefix: '3', expectedServiceMinutes: 4 },
    ],
  });

/** A morning hour: 12 land, 8 civil-status and 6 return-of-results tickets in the last 60 minutes. */
function busyMorning(): EngineHarness {
  const h = new EngineHarness(zoned(), MORNING).staff('c1', 'ha');
  for (let i = 0; i < 26; i++) {
    h.issue(i % 13 < 6 ? 'dat-dai' : i % 13 < 10 ? 'ho-tich' : 'tra-kq');
    h.advance(2);
  }
  return h;
}

/** 17:10, after the default closing at 17:00: 10 return-of-results tickets came in the last 50 minutes. */
function closingTime(): EngineHarness {
  const h = new EngineHarness(zoned(), MORNING + 8 * 60 * MIN + 20 * MIN).staff('c3', 'lan');
  for (let i = 0; i < 10; i++) {
    h.issue('tra-kq');
    h.advance(4);
  }
  return h.advance(10);
}

const stopping: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stopping.splice(0)) await stop();
});

describe('the coming hours as a scenario', () => {
  it('is a valid simulator scenario with the expected arrivals, the learned visit lengths and the dashboard’s pools', () => {
    const h = busyMorning();
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 3);
    expect(live).not.toBeNull();
    const scenario = parseScenario(live?.scenario, 'coming hours');
    // 08:52 local: the hours 08, 09 and 10; without history the last hour's 26 arrivals go on each
    // hour, from now: 8 minutes of this hour are left.
    expect(live?.hourStarts).toEqual([0, 1, 2].map((i) => MORNING + i * 60 * MIN));
    expect(scenario.opens).toBe('08:00');
    expect(scenario.hall?.startMinute).toBe(52);
    expect(scenario.ticketsPerDay).toBe(Math.round((26 * 8) / 60 + 52));
    expect(Object.values(live?.poolIds ?? {})).toEqual(pools(h.engine.config).map((p) => p.id));
    expect(scenario.services.map((s) => s.meanMinutes)).toEqual([15, 8, 4]);
    expect(scenario.queue).toEqual({ policy: 'priority-credit', waitTargetMinutes: 15 });
  });

  it('is null when nobody is expected', () => {
    const h = new EngineHarness(zoned(), MORNING);
    expect(liveScenario(h.engine.config, h.engine.state, h.now, null)).toBeNull();
  });

  it('starts from the hall as it is: the citizens waiting and the visits at the counters, the same for the same state', () => {
    const h = busyMorning(); // 26 waiting, the first issued at 08:00
    h.issue('ho-tich', { priorityClassId: 'nguoi-cao-tuoi' });
    const first = h.next('c1'); // Hà calls the oldest land ticket
    h.advance(4);
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 3);
    const scenario = parseScenario(live?.scenario, 'coming hours');
    const key = (serviceId: string) => `s${zoned().services.findIndex((s) => s.id === serviceId) + 1}`;
    expect(scenario.hall?.serving).toEqual([{ serviceId: key(first?.serviceId ?? ''), elapsedMinutes: 4 }]);
    const waiting = scenario.hall?.waiting ?? [];
    expect(waiting).toHaveLength(26);
    // Oldest first, with how long each has waited at the start (now, 08:56) and its priority.
    expect(waiting[0]).toEqual({
      serviceId: key('dat-dai'),
      waitedMinutes: 54,
      priority: false,
      transferred: false,
    });
    expect(waiting.at(-1)).toEqual({
      serviceId: key('ho-tich'),
      waitedMinutes: 4,
      priority: true,
      transferred: false,
    });
    expect(liveScenario(h.engine.config, h.engine.state, h.now, null, 3)).toEqual(live);
  });

  it('a busy hall raises the correction for the current hour above the same hours from an empty hall', () => {
    // 08:40, nobody at work yet; 30 land tickets waiting, most of the last hour's arrivals.
    const h = new EngineHarness(zoned(), MORNING);
    for (let i = 0; i < 30; i++) {
      h.issue('dat-dai');
      h.advance(1);
    }
    h.advance(10);
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 2);
    const withHall = parseScenario(live?.scenario, 'coming hours');
    expect(withHall.hall?.waiting).toHaveLength(30);
    const emptyHall = parseScenario({ ...live?.scenario, hall: undefined }, 'coming hours, empty hall');
    const a = adviseStaffing(withHall, { seed: 1 });
    const b = adviseStaffing(emptyHall, { seed: 1 });
    expect(a.met).toBe(true);
    expect(a.byHour.p1?.[0]).toBeGreaterThan(b.byHour.p1?.[0] ?? 0);
  }, 120_000);

  it('is null after closing: nothing to simulate, though the last hour had arrivals', () => {
    const h = closingTime();
    expect(liveScenario(h.engine.config, h.engine.state, h.now, null, 3)).toBeNull();
  });
});

describe('the staffing advisor', () => {
  it('runs the simulation’s correction in a worker thread, not on the controller’s', async () => {
    const h = busyMorning();
    const advisor = new StaffingAdvisor();
    stopping.push(() => advisor.stop());
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 3);
    advisor.request(live, h.now);
    expect(advisor.latest(h.now)).toBeNull(); // requested, not waited for
    await advisor.idle();
    const result = advisor.latest(h.now);
    expect(result?.threadId).toBeGreaterThan(0);
    expect(result?.threadId).not.toBe(threadId);
    expect(Object.keys(result?.pools ?? {})).toEqual(['khu-a', 'tra-kq']);
    expect(result?.pools['khu-a']?.advised).toHaveLength(3);
    expect(result?.met).toBe(true);
  }, 120_000);
});

describe('the staffing advisor’s worker thread', () => {
  it('ends when it has had nothing to do for the idle time, and starts again for the next job', async () => {
    const h = busyMorning();
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 1);
    if (!live) throw new Error('nothing to simulate');
    const job = (id: number): CorrectionJob => ({ id, scenario: live.scenario, seed: 1 });
    const runner = new WorkerRunner({ idleMs: 300 });
    stopping.push(() => runner.stop());
    const first = await runner.run(job(1));
    // A job soon after the last one reuses the thread.
    const soon = await runner.run(job(2));
    expect(soon.threadId).toBe(first.threadId);
    await new Promise((r) => setTimeout(r, 1_000));
    const aliveWhenIdle = runner.alive;
    // The next job gets a new thread, and a whole answer.
    const later = await runner.run(job(3));
    expect(later.threadId).not.toBe(first.threadId);
    expect(later).toEqual({ ...first, id: 3, threadId: later.threadId });
    expect(aliveWhenIdle).toBe(false);
  }, 120_000);
});

describe('the staffing advisor before opening', () => {
  it('serves the correction of the first open hours from when it was computed', async () => {
    // 06:30, two citizens already waiting at the door; the centre opens at 07:00.
    const h = new EngineHarness(zoned(), MORNING - 90 * MIN);
    h.issue('dat-dai');
    h.issue('tra-kq');
    const live = liveScenario(h.engine.config, h.engine.state, h.now, null, 3);
    expect(live?.hourStarts[0]).toBe(MORNING - 60 * MIN);
    const advisor = new StaffingAdvisor({
      runner: {
        run: async (job) => ({
          id: job.id,
          byHour: { p1: [1, 0, 0], p2: [1, 0, 0] },
          erlang: { p1: [0, 0, 0], p2: [0, 0, 0] },
          met: true,
          corrections: 2,
          hourlyWithin: [1, null, null],
          threadId: threadId + 1,
        }),
        stop: async () => {},
      },
    });
    advisor.request(live, h.now);
    await advisor.idle();
    expect(advisor.latest(h.now)?.pools['khu-a']?.advised).toEqual([1, 0, 0]);
    expect(advisor.latest(h.now - MIN)).toBeNull();
  });
});

describe('GET /api/staffing', () => {
  it('serves the Erlang C bound until the correction is computed, then the corrected advice with when it was computed', async () => {
    const h = busyMorning();
    const jobs: { job: CorrectionJob; reply: (r: CorrectionReply) => void }[] = [];
    const advisor = new StaffingAdvisor({
      everyMs: 10 * MIN,
      runner: {
        run: (job) => new Promise((resolve) => jobs.push({ job, reply: resolve })),
        stop: async () => {},
      },
    });
    let now = h.now;
    const app = express();
    app.use(
      '/api',
      createStaffingRouter({
        queue: { config: h.engine.config, state: h.engine.state } as unknown as QueueService,
        reports: { load: async () => ({ records: [] }) } as unknown as ReportSource,
        guard: () => (_req, _res, next) => next(),
        advisor,
        clock: () => now,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    stopping.push(() => new Promise((resolve) => server.close(() => resolve())));
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/staffing`;
    const get = async () => (await fetch(url)).json();

    const bound = staffingAdvice(h.engine.config, h.engine.state, now, null, { hours: 3 });
    const first = await get();
    expect(first.basis).toBe('erlang');
    expect(first.computedAt).toBeNull();
    expect(first.lines.map((l: { advised: number }) => l.advised)).toEqual(bound.map((l) => l.advised));
    expect(jobs).toHaveLength(1); // the simulation was asked for, and the answer did not wait for it

    // The worker answers: the land pool needs one more than the bound in the first hour.
    const land = bound.find((l) => l.poolId === 'khu-a') as (typeof bound)[number];
    const [key] = Object.entries(
      (jobs[0] as { job: CorrectionJob }).job.scenario.pools as { id: string }[],
    ).map(([, p]) => p.id);
    jobs[0]?.reply({
      id: jobs[0].job.id,
      byHour: { [key as string]: [land.advised + 1, 1, 1], p2: [1, 1, 1] },
      erlang: { [key as string]: [land.advised, 1, 1], p2: [1, 1, 1] },
      met: true,
      corrections: 1,
      hourlyWithin: [0.95, 1, 1],
      threadId: threadId + 1,
    });
    await advisor.idle();
    now += MIN;
    const second = await get();
    expect(second.basis).toBe('simulation');
    expect(second.computedAt).toBe(h.now);
    const line = second.lines.find(
      (l: { poolId: string; from: number }) => l.poolId === 'khu-a' && l.from === land.from,
    );
    expect(line).toMatchObject({ advised: land.advised + 1, bound: land.advised, basis: 'simulation' });
    expect(line.text).toBe(
      `08:00–09:00: ${land.advised + 1} người cho Đất đai + Tư pháp – Hộ tịch; hiện có 1; 20 người đang chờ`,
    );
    expect(jobs).toHaveLength(1); // within 10 minutes of the last, no new simulation

    now += 10 * MIN;
    await get();
    expect(jobs).toHaveLength(2); // stale: simulated again, the last result still served meanwhile
  });

  it('after closing: no lines, says the centre has closed for the day, and simulates nothing', async () => {
    const h = closingTime();
    const jobs: CorrectionJob[] = [];
    const advisor = new StaffingAdvisor({
      runner: {
        run: (job) => {
          jobs.push(job);
          return new Promise(() => {});
        },
        stop: async () => {},
      },
    });
    const app = express();
    app.use(
      '/api',
      createStaffingRouter({
        queue: { config: h.engine.config, state: h.engine.state } as unknown as QueueService,
        reports: { load: async () => ({ records: [] }) } as unknown as ReportSource,
        guard: () => (_req, _res, next) => next(),
        advisor,
        clock: () => h.now,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    stopping.push(() => new Promise((resolve) => server.close(() => resolve())));
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/staffing`;
    const body = await (await fetch(url)).json();
    expect(body).toMatchObject({
      closedToday: true,
      lines: [],
      openingHours: { opens: '07:00', closes: '17:00' },
    });
    expect(jobs).toHaveLength(0);
  });
});
