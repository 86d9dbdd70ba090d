import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../controller/centre/load.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { Journal } from '../../controller/journal/journal.ts';
import { silentLogger } from '../../controller/logger.ts';
import { QueueService } from '../../controller/queue/queue-service.ts';
import { simulateDay } from '../../simulation/day.ts';
import { kpis } from '../../simulation/kpis.ts';
import { plotDay } from '../../simulation/plot.ts';
import { loadScenario, parseScenario } from '../../simulation/scenario.ts';
import { adviseStaffing, hourlyWithin, oneFewerInBusiestHour } from '../../simulation/staffing.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('the simulator', () => {
  it('is deterministic for a seed, and a different seed makes a different day', async () => {
    const scenario = await loadScenario('district');
    const a = simulateDay(scenario, { seed: 7, record: true });
    const b = simulateDay(scenario, { seed: 7, record: true });
    expect(b.events).toEqual(a.events);
    expect(kpis(b)).toEqual(kpis(a));
    const c = simulateDay(scenario, { seed: 8, record: true });
    expect(c.events).not.toEqual(a.events);
  });

  it('runs the real engine: a live queue service given the same commands journals the same events', async () => {
    const scenario = await loadScenario('commune');
    const day = simulateDay(scenario, { seed: 3, record: true });
    const commands = day.commands ?? [];
    expect(commands.length).toBeGreaterThan(200);
    const dir = mkdtempSync(join(tmpdir(), 'sim-live-'));
    dirs.push(dir);
    const at = { now: day.opensAt };
    const journal = new Journal<QueueEvent>({ dir, logger: silentLogger });
    const bus = new EventBus();
    const journaled: QueueEvent[] = [];
    // The service emits each batch once it is durable in the journal.
    bus.onQueueEvents(journaled, (events) => journaled.push(...events));
    const { service } = await QueueService.open({
      config: day.config,
      journal,
      bus,
      logger: silentLogger,
      clock: () => at.now,
    });
    for (const { at: when, command } of commands) {
      at.now = when;
      const outcome = await service.submit(command);
      expect(outcome.error).toBeUndefined();
    }
    await journal.close();
    expect(journaled).toEqual(day.events);
    // And on disk: the snapshot written at the day's start plus the events after it.
    const reopened = new Journal<QueueEvent>({ dir, logger: silentLogger });
    const { snapshot, events } = await reopened.open();
    await reopened.close();
    expect(events).toEqual(day.events?.slice(snapshot?.seq ?? 0));
  });

  it('every ticket issued is accounted for, and the plot is an SVG of the day', async () => {
    const scenario = await loadScenario('district');
    const day = simulateDay(scenario, { seed: 1, policy: 'least-lateness' });
    const k = kpis(day);
    expect(k.tickets).toBe(scenario.ticketsPerDay);
    expect(k.called + k.unserved).toBe(k.tickets);
    expect(k.withinTarget).toBeGreaterThan(0);
    expect(k.estimate.count).toBeGreaterThan(100);
    const svg = plotDay(day, 'Bộ phận Một cửa huyện');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('mục tiêu 15 phút');
  });
});

describe('scenarios', () => {
  it('the three shipped scenarios are valid', async () => {
    for (const name of ['commune', 'district', 'provincial']) {
      const s = await loadScenario(name);
      expect(s.pools.length).toBeGreaterThan(0);
    }
    expect((await loadScenario('provincial')).ticketsPerDay).toBe(3000);
  });

  it('a bad scenario gets one line per problem, naming the field', async () => {
    const good = await loadScenario('commune');
    const bad = {
      ...good,
      ticketsPerDay: -1,
      pools: [{ ...good.pools[0], byHour: [1, 2], services: ['dat-dai', 'khong-co'] }],
      extra: true,
    };
    let error: unknown;
    try {
      parseScenario(bad, 'bad.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^ticketsPerDay: /m);
    expect(problems).toMatch(/^pools\[0\]\.byHour: must give one number per hour/m);
    expect(problems).toMatch(/^pools\[0\]\.services\[1\]: unknown service "khong-co"/m);
    expect(problems).toMatch(/extra/);
    await expect(loadScenario('no-such-scenario')).rejects.toThrow(/no scenario file/);
  });
});

describe('staffing advice', () => {
  it('meets the target hour by hour, and one person fewer in the busiest hour does not', async () => {
    const scenario = await loadScenario('commune');
    const advice = adviseStaffing(scenario, { seed: 1 });
    expect(advice.met).toBe(true);
    expect(advice.hourlyWithin.every((x) => x === null || x >= 0.9)).toBe(true);
    const days = [1, 2, 3].map((seed) => simulateDay(scenario, { seed, byHour: advice.byHour }));
    expect(hourlyWithin(...days)).toEqual(advice.hourlyWithin);
    expect(oneFewerInBusiestHour(scenario, advice, { seed: 1 }).met).toBe(false);
  });
});
