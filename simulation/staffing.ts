/**
 * Staffing advice for a scenario: for each hour and staff pool, the fewest staff for the target share
 * (90 % within 15 minutes) of the citizens arriving in each hour. Erlang C per pool gives the lower
 * bound from the expected arrivals and visit lengths; then the day is simulated through the real
 * engine and, while some hour misses the target, the pool with the most late citizens that hour gets
 * one more person then. Erlang C treats each pool alone, so where pools share a field it asks for
 * more than the day needs: a second pass takes one person away at a time (busiest hours first) and
 * keeps the cut while every hour still meets the target. The result is checked the same way: it
 * meets the target hour by hour, and one person fewer in the busiest hour does not.
 */
import { erlangStaff } from '../controller/core/staffing.ts';
import { type DayResult, MIN, simulateDay } from './day.ts';
import type { Scenario } from './scenario.ts';

const HOUR = 60 * MIN;

export interface Advice {
  byHour: Record<string, number[]>;
  /** Erlang C's lower bound, before the simulation's corrections. */
  erlang: Record<string, number[]>;
  corrections: number;
  /** Share within the target of the citizens arriving in each hour, with the advice. */
  hourlyWithin: (number | null)[];
  met: boolean;
}

/** Expected arrivals an hour and mean visit minutes of each pool, hour by hour (a service shared by pools is split evenly). */
export function poolLoads(s: Scenario): Record<string, { perHour: number; meanMinutes: number }[]> {
  const weights = s.arrivalsByHour.reduce((a, b) => a + b, 0);
  const shares = s.services.reduce((a, x) => a + x.share, 0);
  const result: Record<string, { perHour: number; meanMinutes: number }[]> = {};
  for (const pool of s.pools) {
    result[pool.id] = s.arrivalsByHour.map((w) => {
      let perHour = 0;
      let work = 0;
      for (const x of s.services) {
        if (!pool.services.includes(x.id)) continue;
        const covering = s.pools.filter((p) => p.services.includes(x.id)).length;
        const n = (s.ticketsPerDay * (w / weights) * (x.share / shares)) / covering;
        perHour += n;
        work += n * x.meanMinutes;
      }
      return { perHour, meanMinutes: perHour === 0 ? 0 : work / perHour };
    });
  }
  return result;
}

/**
 * Whether a citizen's wait is judged in the hour they arrived: everyone arriving from opening, and of
 * those already waiting when a simulation from a hall starts, only those who can still be called
 * within the target (someone late already is late whatever the staffing; they still take staff time).
 */
function judged(day: DayResult, t: DayResult['tickets'][number]): boolean {
  if (t.arrivedAt < day.opensAt) return false;
  return !t.seeded || day.startsAt - t.waitFrom <= day.config.queue.waitTargetMinutes * MIN;
}

/** Share within the target of the citizens arriving in each hour from opening, over several days (null: nobody came). */
export function hourlyWithin(...days: DayResult[]): (number | null)[] {
  const first = days[0];
  if (!first) return [];
  const hours = first.scenario.arrivalsByHour.length;
  const within = new Array<number>(hours).fill(0);
  const count = new Array<number>(hours).fill(0);
  for (const day of days) {
    const target = day.config.queue.waitTargetMinutes * MIN;
    for (const t of day.tickets) {
      if (!judged(day, t)) continue;
      const h = Math.min(hours - 1, Math.floor((t.arrivedAt - day.opensAt) / HOUR));
      count[h] = (count[h] ?? 0) + 1;
      if (t.firstCalledAt !== undefined && t.firstCalledAt - t.waitFrom <= target)
        within[h] = (within[h] ?? 0) + 1;
    }
  }
  return count.map((n, h) => (n === 0 ? null : (within[h] as number) / n));
}

/** Sweeps of the downward pass at most (each tries one person fewer in every hour and pool). */
const MAX_SWEEPS = 3;

/** The days a staffing is judged on: this many seeded days from `seed`, so advice does not fit one day's chance. */
export const ADVICE_DAYS = 3;

function judge(
  s: Scenario,
  seed: number,
  byHour: Record<string, number[]>,
): { days: DayResult[]; hourly: (number | null)[] } {
  const days = Array.from({ length: ADVICE_DAYS }, (_, i) => simulateDay(s, { seed: seed + i, byHour }));
  return { days, hourly: hourlyWithin(...days) };
}

/** Late citizens per pool (by the pool covering their service with the most staff on) in hour h. */
function latePools(days: DayResult[], h: number): Map<string, number> {
  const late = new Map<string, number>();
  for (const day of days) countLate(day, h, late);
  return late;
}

function countLate(day: DayResult, h: number, late: Map<string, number>): void {
  const target = day.config.queue.waitTargetMinutes * MIN;
  for (const t of day.tickets) {
    if (!judged(day, t) || Math.floor((t.arrivedAt - day.opensAt) / HOUR) !== h) continue;
    if (t.firstCalledAt !== undefined && t.firstCalledAt - t.waitFrom <= target) continue;
    const pools = day.scenario.pools.filter((p) => p.services.includes(t.serviceId));
    // Counted for the pool that covers the service first (its first field), else any.
    const pool = pools.find((p) => p.services[0] === t.serviceId) ?? pools[0];
    if (pool) late.set(pool.id, (late.get(pool.id) ?? 0) + 1);
  }
}

export function adviseStaffing(
  s: Scenario,
  options: { seed?: number; targetShare?: number; maxCorrections?: number } = {},
): Advice {
  const seed = options.seed ?? 1;
  const targetShare = options.targetShare ?? 0.9;
  const targetMinutes = Number((s.queue as { waitTargetMinutes?: number }).waitTargetMinutes ?? 15);
  const loads = poolLoads(s);
  const erlang: Record<string, number[]> = {};
  for (const pool of s.pools) {
    erlang[pool.id] = (loads[pool.id] ?? []).map((l) =>
      erlangStaff(l.perHour, l.meanMinutes, targetMinutes, targetShare),
    );
  }
  const byHour: Record<string, number[]> = Object.fromEntries(
    Object.entries(erlang).map(([k, v]) => [k, [...v]]),
  );
  let corrections = 0;
  const meets = (hourly: (number | null)[]) => hourly.every((x) => x === null || x >= targetShare);
  let { days, hourly } = judge(s, seed, byHour);
  // Up: add where an hour misses the target.
  while (!meets(hourly) && corrections < (options.maxCorrections ?? 40)) {
    const worst = hourly.findIndex((x) => x !== null && x < targetShare);
    const late = [...latePools(days, worst).entries()].sort((a, b) => b[1] - a[1])[0];
    const poolId = late ? late[0] : (s.pools[0] as Scenario['pools'][number]).id;
    const hours = byHour[poolId] as number[];
    hours[worst] = (hours[worst] ?? 0) + 1;
    corrections++;
    ({ days, hourly } = judge(s, seed, byHour));
  }
  if (!meets(hourly)) return { byHour, erlang, corrections, hourlyWithin: hourly, met: false };
  // Down: one person fewer at a time, busiest hours first, kept while every hour meets the target.
  // Sweeps again while the last one cut someone: a cut refused early (a backlog then spilled into a
  // later hour) can be fine once later hours have been cut and re-balanced.
  const order = s.arrivalsByHour.map((w, h) => [w, h] as const).sort((a, b) => b[0] - a[0]);
  for (let sweep = 0, cut = true; cut && sweep < MAX_SWEEPS; sweep++) {
    cut = false;
    for (const [, h] of order) {
      for (const pool of s.pools) {
        const hours = byHour[pool.id] as number[];
        while ((hours[h] ?? 0) > 0) {
          hours[h] = (hours[h] as number) - 1;
          const tried = judge(s, seed, byHour).hourly;
          if (!meets(tried)) {
            hours[h] = (hours[h] as number) + 1;
            break;
          }
          hourly = tried;
          corrections++;
          cut = true;
        }
      }
    }
  }
  return { byHour, erlang, corrections, hourlyWithin: hourly, met: true };
}

/**
 * The advice with one person fewer in the busiest hour (from the pool with the most there): does the
 * day still meet the target in every hour? `within` is that hour's share; `worst` the lowest hour's
 * (one fewer at the peak may hold the peak itself and spill a backlog into the hours after).
 */
export function oneFewerInBusiestHour(
  s: Scenario,
  advice: Advice,
  options: { seed?: number; targetShare?: number } = {},
): {
  hour: number;
  poolId: string;
  within: number | null;
  worst: { hour: number; within: number } | null;
  met: boolean;
} {
  const hour = s.arrivalsByHour.indexOf(Math.max(...s.arrivalsByHour));
  const [poolId] = Object.entries(advice.byHour).sort((a, b) => (b[1][hour] ?? 0) - (a[1][hour] ?? 0))[0] as [
    string,
    number[],
  ];
  const fewer = Object.fromEntries(Object.entries(advice.byHour).map(([k, v]) => [k, [...v]]));
  (fewer[poolId] as number[])[hour] = Math.max(0, ((fewer[poolId] as number[])[hour] ?? 0) - 1);
  const hourly = judge(s, options.seed ?? 1, fewer).hourly;
  let worst: { hour: number; within: number } | null = null;
  hourly.forEach((x, h) => {
    if (x !== null && (worst === null || x < worst.within)) worst = { hour: h, within: x };
  });
  const met = hourly.every((x) => x === null || x >= (options.targetShare ?? 0.9));
  return { hour, poolId, within: hourly[hour] ?? null, worst, met };
}
