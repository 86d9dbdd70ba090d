/**
 * `npm run simulate -- <scenario> [--seed N] [--policy P] [--out file.svg]`: one simulated day at a
 * centre (config/scenarios/<scenario>.json, or a path), driven through the real queue engine. Prints
 * the KPIs and writes a plot of the day as an SVG (default: sim-output/<scenario>-<policy>-<seed>.svg).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { ConfigError } from '../controller/centre/load.ts';
import { POLICY_NAMES, type PolicyName } from '../controller/centre/schema.ts';
import { simulateDay } from '../simulation/day.ts';
import { kpis } from '../simulation/kpis.ts';
import { plotDay } from '../simulation/plot.ts';
import { kpiTable, table } from '../simulation/report.ts';
import { loadScenario } from '../simulation/scenario.ts';
import { adviseStaffing, oneFewerInBusiestHour } from '../simulation/staffing.ts';

const usage = `usage: npm run simulate -- <scenario> [--seed N] [--policy ${POLICY_NAMES.join('|')}] [--out file.svg] [--advise]
  --advise: also the fewest staff per hour and pool for 90 % within 15 minutes (Erlang C, corrected by simulation)
  scenarios: config/scenarios/*.json by name (commune, district, provincial) or a path to one`;

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      seed: { type: 'string', default: '1' },
      policy: { type: 'string' },
      out: { type: 'string' },
      advise: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  fail((err as Error).message);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}
const name = args.positionals[0];
if (!name || args.positionals.length > 1) fail('name one scenario');
const seed = Number(args.values.seed);
if (!Number.isInteger(seed) || seed < 0) fail(`--seed must be a whole number ≥ 0, got "${args.values.seed}"`);
const policyArg = args.values.policy as string | undefined;
if (policyArg !== undefined && !(POLICY_NAMES as readonly string[]).includes(policyArg))
  fail(`--policy must be one of ${POLICY_NAMES.join(', ')}, got "${policyArg}"`);

let scenario: Awaited<ReturnType<typeof loadScenario>>;
try {
  scenario = await loadScenario(name);
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const bar = new SingleBar({
  format: 'simulating {bar} {percentage}% | {value}/{total} tickets',
  hideCursor: true,
  clearOnComplete: true,
  stream: process.stderr,
});
bar.start(scenario.ticketsPerDay, 0);
const began = performance.now();
const day = simulateDay(scenario, {
  seed,
  policy: policyArg as PolicyName | undefined,
  onProgress: (done) => bar.update(done),
});
const elapsed = (performance.now() - began) / 1000;
bar.stop();

const k = kpis(day);
const label = `${scenario.name} — policy ${day.policy}, seed ${seed}`;
console.log(`${label}\n`);
console.log(kpiTable(k, day.config.queue.waitTargetMinutes));
const base = name.endsWith('.json') ? (name.split('/').at(-1) as string).replace(/\.json$/, '') : name;
const out = resolve(
  args.values.out ? String(args.values.out) : `sim-output/${base}-${day.policy}-${seed}.svg`,
);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, plotDay(day, label));
console.log(
  `\nSimulated ${scenario.ticketsPerDay} tickets through the queue engine in ${elapsed.toFixed(2)} s.`,
);
console.log(`Plot of the day: ${out}`);

if (args.values.advise) {
  const t0 = performance.now();
  const advice = adviseStaffing(scenario, { seed });
  const opensHour = Number(scenario.opens.slice(0, 2));
  const hourLabel = (h: number) => `${String(opensHour + h).padStart(2, '0')}:00`;
  console.log(
    `\nStaffing for 90 % within ${day.config.queue.waitTargetMinutes} min in every hour (Erlang C → simulated, ${advice.corrections} corrections, ${((performance.now() - t0) / 1000).toFixed(1)} s):\n`,
  );
  const header = ['pool', ...scenario.arrivalsByHour.map((_, h) => hourLabel(h))];
  const rows = scenario.pools.flatMap((p) => [
    [`${p.name}: advised`, ...(advice.byHour[p.id] ?? []).map(String)],
    [`${p.name}: Erlang C`, ...(advice.erlang[p.id] ?? []).map(String)],
    [`${p.name}: scenario`, ...p.byHour.map(String)],
  ]);
  rows.push([
    'within target, advised',
    ...advice.hourlyWithin.map((x) => (x === null ? '—' : `${Math.round(x * 100)}%`)),
  ]);
  console.log(table(header, rows));
  const check = oneFewerInBusiestHour(scenario, advice, { seed });
  const share = (x: number | null) => (x === null ? '—' : `${Math.round(x * 100)} %`);
  const worst = check.worst
    ? `; worst hour ${hourLabel(check.worst.hour)}: ${share(check.worst.within)}`
    : '';
  console.log(
    `\n${advice.met ? 'Meets the target in every hour' : 'Could not meet the target'}; one fewer (${check.poolId}) at ${hourLabel(check.hour)}: ${share(check.within)} within target then${worst} — ${check.met ? 'still meets it' : 'misses it'}.`,
  );
}
