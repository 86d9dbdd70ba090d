/**
 * The same seeded days through each policy: the comparison `npm run bench -- policy` prints and
 * docs/prediction.md records. Averages over the seeds (the longest wait is the longest of all).
 */
import { POLICY_NAMES, type PolicyName } from '../controller/centre/schema.ts';
import { simulateDay } from './day.ts';
import { type Kpis, kpis } from './kpis.ts';
import { minutes, percent, table } from './report.ts';
import type { Scenario } from './scenario.ts';

export interface PolicyRun {
  scenario: string;
  policy: PolicyName;
  days: Kpis[];
  /** Slowest day, wall clock (ms). */
  slowestMs: number;
  tickets: number;
}

const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function comparePolicies(
  scenarios: { name: string; scenario: Scenario }[],
  seeds: readonly number[],
  onDay?: () => void,
): PolicyRun[] {
  const runs: PolicyRun[] = [];
  for (const { name, scenario } of scenarios) {
    for (const policy of POLICY_NAMES) {
      const days: Kpis[] = [];
      let slowestMs = 0;
      for (const seed of seeds) {
        const t0 = performance.now();
        days.push(kpis(simulateDay(scenario, { seed, policy })));
        slowestMs = Math.max(slowestMs, performance.now() - t0);
        onDay?.();
      }
      runs.push({ scenario: name, policy, days, slowestMs, tickets: scenario.ticketsPerDay });
    }
  }
  return runs;
}

export function policyTable(runs: PolicyRun[]): string {
  return table(
    [
      'scenario',
      'policy',
      'p90 wait',
      'within 15 min',
      'longest wait',
      'mean wait',
      'priority within',
      'worst service within',
    ],
    runs.map((r) => [
      r.scenario,
      r.policy,
      minutes(avg(r.days.map((d) => d.p90Wait))),
      percent(avg(r.days.map((d) => d.withinTarget))),
      minutes(Math.max(...r.days.map((d) => d.longestWait))),
      minutes(avg(r.days.map((d) => d.meanWait))),
      percent(avg(r.days.map((d) => d.priorityWithin ?? 1))),
      percent(avg(r.days.map((d) => d.worstServiceWithin.share))),
    ]),
  );
}

export function estimateTable(runs: PolicyRun[]): string {
  return table(
    [
      'scenario',
      'policy',
      'estimates',
      'MAE',
      'naive MAE',
      'MAE ÷ naive',
      'range coverage',
      'mean range width',
    ],
    runs.map((r) => {
      const mae = avg(r.days.map((d) => d.estimate.mae));
      const naive = avg(r.days.map((d) => d.estimate.naiveMae));
      return [
        r.scenario,
        r.policy,
        String(r.days.reduce((a, d) => a + d.estimate.count, 0)),
        minutes(mae),
        minutes(naive),
        naive === 0 ? '—' : (mae / naive).toFixed(2),
        percent(avg(r.days.map((d) => d.estimate.coverage))),
        minutes(avg(r.days.map((d) => d.estimate.meanWidth))),
      ];
    }),
  );
}
