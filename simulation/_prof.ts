import { simulateDay } from './day.ts';
import { loadScenario } from './scenario.ts';
const s = await loadScenario('provincial');
const t0 = performance.now();
simulateDay(s, { seed: 1, policy: 'priority-credit' });
console.log((performance.now() - t0) / 1000);
