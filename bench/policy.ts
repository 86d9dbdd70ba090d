/**
 * `npm run bench -- policy`: the same seeded days of each scenario (config/scenarios) through each
 * assignment policy; prints the policy comparison and the estimates' accuracy (docs/prediction.md),
 * and returns the simulator's speed (a provincial day of 3,000 tickets) as benchmark rows.
 */
import { comparePolicies, estimateTable, policyTable } from '../simulation/compare.ts';
import { loadScenario } from '../simulation/scenario.ts';
import type { Row } from './table.ts';

export const POLICY_SEEDS = [1, 2, 3, 4, 5];

export async function benchPolicies(): Promise<Row[]> {
  const names = ['commune', 'district', 'provincial'];
  const scenarios = await Promise.all(
    names.map(async (name) => ({ name, scenario: await loadScenario(name) })),
  );
  const runs = comparePolicies(scenarios, POLICY_SEEDS, () => process.stderr.write('.'));
  console.log(`\nPolicies on the same days (seeds ${POLICY_SEEDS.join(', ')}; averages, longest of all):\n`);
  console.log(policyTable(runs));
  console.log('\nEstimates given at issue against the real wait (walk-in tickets):\n');
  console.log(estimateTable(runs));
  console.log('');
  return runs.map((r) => ({
    name: `simulate: ${r.scenario} day, ${r.policy}`,
    ops: r.tickets,
    totalMs: r.slowestMs,
    note: `slowest of ${r.days.length} days (${r.tickets} tickets each)`,
  }));
}
