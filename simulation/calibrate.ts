/**
 * `npx tsx simulation/calibrate.ts`: the default calibration of the wait ranges
 * (DEFAULT_ERROR_QUANTILES in controller/core/wait-estimate.ts), measured on simulated days of every
 * scenario and policy with seeds kept apart from those the benchmark reports (101, 102): the 10th,
 * 50th and 90th percentiles of ln((real wait + 5) / (forecast + 5)) over walk-in tickets.
 */
import { POLICY_NAMES } from '../controller/centre/schema.ts';
import { MIN, simulateDay } from './day.ts';
import { quantile } from './kpis.ts';
import { loadScenario } from './scenario.ts';

const logs: number[] = [];
for (const name of ['commune', 'district', 'provincial']) {
  const scenario = await loadScenario(name);
  for (const policy of POLICY_NAMES)
    for (const seed of [101, 102]) {
      for (const t of simulateDay(scenario, { seed, policy }).tickets) {
        if (!t.estimate || t.appointment || t.firstCalledAt === undefined) continue;
        const real = (t.firstCalledAt - t.arrivedAt) / MIN;
        logs.push(Math.log((real + 5) / (t.estimate.forecast + 5)));
      }
    }
}
const [q10, q50, q90] = [0.1, 0.5, 0.9].map((q) => quantile(logs, q).toFixed(3));
console.log(`${logs.length} tickets: 10 % ${q10}, 50 % ${q50}, 90 % ${q90}`);
