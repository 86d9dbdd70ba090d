/**
 * What the benchmarks share: the demo centre, a fixed opening time, staffing, a seeded random ticket mix,
 * time limits and temp folders.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../controller/centre/load.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { servicesAt } from '../controller/core/assignment.ts';
import type { Command } from '../controller/core/commands.ts';
import type { Outcome, QueueEngine } from '../controller/core/engine.ts';

export const SECOND = 1_000;
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** 2026-11-23 07:00 in Asia/Ho_Chi_Minh (UTC+7): the doors open. */
export const OPENING = Date.UTC(2026, 10, 23, 0, 0, 0);

export function loadDemoCentre(): Promise<CentreConfig> {
  return loadCentreConfigFile(DEMO_CENTRE_FILE);
}

/** One staff member per counter, each able to serve something there (first fit, in file order). */
export function staffing(config: CentreConfig): { counterId: string; staffId: string }[] {
  const taken = new Set<string>();
  const result: { counterId: string; staffId: string }[] = [];
  for (const counter of config.counters) {
    const staff = config.staff.find((s) => !taken.has(s.id) && servicesAt(counter, s).length > 0);
    if (!staff) throw new Error(`bench: nobody left who can staff counter ${counter.id}`);
    taken.add(staff.id);
    result.push({ counterId: counter.id, staffId: staff.id });
  }
  return result;
}

/** Runs a command that must succeed. */
export function must(engine: QueueEngine, command: Command, now: number): Outcome {
  const outcome = engine.execute(command, now);
  if (outcome.error) throw new Error(`bench: ${command.type} refused: ${outcome.error.message}`);
  return outcome;
}

/** Logs staff in on every counter (which opens them). */
export function staffAllCounters(engine: QueueEngine, now: number): void {
  for (const { counterId, staffId } of staffing(engine.config)) {
    must(engine, { type: 'login', counterId, staffId }, now);
  }
}

/** A seeded generator (the simulator's), so every run issues the same mix. */
export { seeded as seededRandom } from '../simulation/random.ts';

/** A kiosk issue command: services at random, about one citizen in twenty with a priority class. */
export function issueMix(config: CentreConfig, random: () => number): () => Command {
  const services = config.services.map((s) => s.id);
  const classes = config.queue.priorityClasses.map((p) => p.id);
  return () => {
    const serviceId = services[Math.floor(random() * services.length)] as string;
    const priority = classes.length > 0 && random() < 0.05;
    return priority
      ? {
          type: 'issueTicket',
          serviceId,
          source: 'kiosk',
          priorityClassId: classes[Math.floor(random() * classes.length)] as string,
        }
      : { type: 'issueTicket', serviceId, source: 'kiosk' };
  };
}

/** Stops a loop that has run for `ms` (checked between operations). */
export function budget(ms: number): { over: () => boolean; ms: number } {
  const end = performance.now() + ms;
  return { over: () => performance.now() >= end, ms };
}

const leftovers = new Set<string>();
process.once('exit', () => {
  for (const dir of leftovers) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder under os.tmpdir(); removed by `remove()`, or when the process exits, even on a crash. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  leftovers.add(dir);
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
      leftovers.delete(dir);
    },
  };
}
