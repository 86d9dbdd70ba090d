import { simulateDay } from './day.ts';
import { quantile } from './kpis.ts';
import { loadScenario } from './scenario.ts';
const logs: number[] = [];
for (const name of ['commune', 'district', 'provincial']) {
  const s = await loadScenario(name);
  for (const policy of ['priority-credit', 'fifo', 'least-lateness'] as const)
    for (const seed of [101, 102]) {
      const d = simulateDay(s, { seed, policy });
      for (const t of d.tickets) {
        if (!t.estimate || t.appointment || t.firstCalledAt === undefined) continue;
        const real = (t.firstCalledAt - t.arrivedAt) / 60000;
        logs.push(Math.log((real + 5) / (t.estimate.forecast + 5)));
      }
    }
}
console.log(logs.length, [0.1, 0.5, 0.9].map((q) => quantile(logs, q).toFixed(3)));
