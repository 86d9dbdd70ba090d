/**
 * 7. The centre's reports (GET /api/reports/…): a journal of about 60,000 visit records (50 service
 * days of the day mix, 1,200 tickets a day: the size of a busy provincial centre's month) written to
 * disk as segments, then read back and folded by ReportSource as the controller does. Measured: a
 * month's report from a cold start (the journal read from its first event), the same month again
 * (read from the month's first day, remembered by the day index), one report over all ~60,000
 * records, and the month's CSV and .xlsx.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CentreConfig } from '../controller/centre/schema.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { segmentFileName } from '../controller/journal/segment-reader.ts';
import { monthPeriod, type ReportPeriod } from '../controller/reports/period.ts';
import type { PeriodReport } from '../controller/reports/period-report.ts';
import { reportCsv, reportXlsx } from '../controller/reports/report-files.ts';
import { ReportSource } from '../controller/reports/report-source.ts';
import { DAY, tempDir } from './centre.ts';
import { generateDayMix } from './day-mix.ts';
import type { Row } from './table.ts';

const EVENTS = 200_000;
const GENERATE_LIMIT_MS = 60_000;
/** Events per segment file, about what the journal's size-based rotation gives. */
const SEGMENT_EVENTS = 20_000;

export async function benchReports(config: CentreConfig): Promise<Row[]> {
  const mix = generateDayMix(config, EVENTS, GENERATE_LIMIT_MS);
  const { dir, remove } = tempDir('hall-bench-reports-');
  try {
    const journalDir = join(dir, 'journal');
    mkdirSync(journalDir);
    writeSegments(journalDir, mix.events);
    const last = mix.events.at(-1) as QueueEvent;
    const options = {
      journalDir,
      config: () => config,
      pseudonym: (id: string) =>
        `st-${id
          .replace(/[^a-z]/g, '')
          .padEnd(16, 'a')
          .slice(0, 16)}`,
      clock: () => last.at + DAY,
    };
    const days = [
      ...new Set(mix.events.filter((e) => e.type === 'dayStarted').map((e) => (e as { day: string }).day)),
    ];
    const month = monthPeriod('2026-12');
    const cold = new ReportSource(options);
    const [coldMs, report] = await timed(() => cold.report(month));
    const [warmMs] = await timed(() => cold.report(month));
    const all: ReportPeriod = {
      kind: 'month',
      id: 'all',
      firstDay: days[0] as string,
      lastDay: days.at(-1) as string,
      days,
    };
    const [allMs, whole] = await timed(() => new ReportSource(options).report(all));
    const [csvMs, csv] = await timed(async () => reportCsv(report));
    const [xlsxMs, xlsx] = await timed(() => reportXlsx(report));
    const n = (x: number) => x.toLocaleString('en-US');
    const visits = (r: PeriodReport) => n(r.total.figures.visits);
    const journal = `${n(mix.events.length)} events, ${mix.days} days${mix.cut ? ' (generation cut by its time limit)' : ''}`;
    return [
      {
        name: 'reports: month, cold (journal read from its start)',
        ops: 1,
        totalMs: coldMs,
        note: `${visits(report)} records of 2026-12; journal ${journal}`,
      },
      {
        name: 'reports: same month again (from the day index)',
        ops: 1,
        totalMs: warmMs,
        note: `${visits(report)} records`,
      },
      {
        name: `reports: all ${mix.days} days in one report, cold`,
        ops: 1,
        totalMs: allMs,
        note: `${visits(whole)} records`,
      },
      { name: 'reports: month as CSV', ops: 1, totalMs: csvMs, note: `${n(Buffer.byteLength(csv))} bytes` },
      { name: 'reports: month as .xlsx', ops: 1, totalMs: xlsxMs, note: `${n(xlsx.length)} bytes` },
    ];
  } finally {
    remove();
  }
}

function writeSegments(journalDir: string, events: readonly QueueEvent[]): void {
  for (let i = 0; i < events.length; i += SEGMENT_EVENTS) {
    const part = events.slice(i, i + SEGMENT_EVENTS);
    const first = part[0] as QueueEvent;
    writeFileSync(
      join(journalDir, segmentFileName(first.seq)),
      part.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
  }
}

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await f();
  return [performance.now() - t0, value];
}
