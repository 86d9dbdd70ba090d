import { simulateDay } from '/work/wt-15/simulation/day.ts';
import { kpis } from '/work/wt-15/simulation/kpis.ts';
import { loadScenario } from '/work/wt-15/simulation/scenario.ts';
for (const name of process.argv.slice(2)) {
  const s = await loadScenario(name);
  for (const policy of ['priority-credit', 'fifo', 'least-lateness'] as const) {
    const t0 = performance.now();
    const d = simulateDay(s, { seed: 1, policy });
    const k = kpis(d);
    console.log(name, policy, ((performance.now() - t0) / 1000).toFixed(2) + 's', JSON.stringify(k, (key, v) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
  }
}
