/**
 * `npm run bench`: the controller's hot paths, measured and printed as one Markdown table (see
 * docs/benchmarks.md). `npm run bench -- journal http` runs only the benchmarks whose names start with
 * those words (engine, replay, journal, http, read, live, reports, upstream, policy, staffing, start, broker, fleet, dispensers; FLEET_SIZES=100,500,1000, DISPENSER_SIZES=10,100,500). Everything is bounded in count and time, listens only on
 * 127.0.0.1, and writes only to temp folders that are removed afterwards.
 */
import { cpus, loadavg } from 'node:os';
import { benchBroker } from './broker.ts';
import { loadDemoCentre } from './centre.ts';
import { benchDispensers } from './dispensers.ts';
import { benchEngineCallNext } from './engine-call-next.ts';
import { benchEngineDaySize } from './engine-day-size.ts';
import { benchEngineIssue } from './engine-issue.ts';
import { benchEngineRate } from './engine-rate.ts';
import { benchFleet } from './fleet.ts';
import { benchHttpIssue } from './http-issue.ts';
import { benchJournalAppend } from './journal-append.ts';
import { benchLiveBytes } from './live-bytes.ts';
import { benchPolicies } from './policy.ts';
import { benchReadModels } from './read-models.ts';
import { benchReplay } from './replay.ts';
import { benchReports } from './reports.ts';
import { benchStaffing } from './staffing.ts';
import { benchStartReady } from './start-ready.ts';
import { formatTable, type Row } from './table.ts';
import { benchUpstreamDrain } from './upstream-drain.ts';

const config = await loadDemoCentre();
const steps: [string, () => Row[] | Promise<Row[]>][] = [
  ['engine: issue', () => benchEngineIssue(config)],
  ['engine: callNext', () => benchEngineCallNext(config)],
  ['engine: rateVisit', () => benchEngineRate(config)],
  ['engine: day size', () => benchEngineDaySize(config)],
  ['replay', () => benchReplay(config)],
  ['journal: append', () => benchJournalAppend(config)],
  ['http: issue', () => benchHttpIssue(config)],
  ['read: screens', () => benchReadModels(config)],
  ['live: patches', () => benchLiveBytes(config)],
  ['reports', () => benchReports(config)],
  ['upstream: drain', () => benchUpstreamDrain(config)],
  ['policy', () => benchPolicies()],
  ['staffing', () => benchStaffing(config)],
  ['start', () => benchStartReady(config)],
  ['broker', () => benchBroker()],
  ['fleet', () => benchFleet()],
  ['dispensers', () => benchDispensers()],
];
const only = process.argv.slice(2);
const chosen = steps.filter(([label]) => only.length === 0 || only.some((word) => label.startsWith(word)));
if (chosen.length === 0) {
  console.error(
    `No benchmark starts with ${only.join(' or ')}; choose from: engine, replay, journal, http, read, live, reports, upstream, policy, staffing, start, broker, fleet, dispensers.`,
  );
  process.exit(2);
}

const rows: Row[] = [];
const loadAtStart = loadavg()[0] ?? 0;
const began = performance.now();
for (const [label, step] of chosen) {
  const t0 = performance.now();
  process.stderr.write(`${label}…`);
  rows.push(...(await step()));
  process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const load = `load average ${loadAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? 0).toFixed(2)} at end`;
console.log(
  `Node ${process.version}, ${cpus().length} × ${cpu}, ${process.platform}/${process.arch}, ${load}\n`,
);
console.log(formatTable(rows));
console.log(`\nTotal ${((performance.now() - began) / 1000).toFixed(1)} s.`);
