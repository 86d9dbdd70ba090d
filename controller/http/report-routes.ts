/**
 * The centre's reports over HTTP (managers only): GET /api/reports/daily?day=YYYY-MM-DD and
 * GET /api/reports/monthly?month=YYYY-MM, as JSON, or as a download with format=csv or xlsx.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  dayPeriod,
  monthPeriod,
  PeriodError,
  PrunedPeriodError,
  type ReportPeriod,
} from '../reports/period.ts';
import { reportCsv, reportFileName, reportXlsx } from '../reports/report-files.ts';
import type { ReportSource } from '../reports/report-source.ts';
import type { Guard } from './api.ts';
import { HttpError, validationError } from './errors.ts';

export interface ReportRouterOptions {
  reports: ReportSource;
  guard: Guard;
}

const format = z.enum(['json', 'csv', 'xlsx'], { error: 'format must be json, csv or xlsx' }).default('json');
/** The period parameter: required, once (a repeated parameter arrives as a list). */
const once = (name: string, shape: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined ? `${name} is required: ?${name}=${shape}` : `give ${name} once, as ${shape}`,
  });
const dailyQuery = z.strictObject({ day: once('day', 'YYYY-MM-DD'), format });
const monthlyQuery = z.strictObject({ month: once('month', 'YYYY-MM'), format });

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function createReportRouter({ reports, guard }: ReportRouterOptions): Router {
  const router = express.Router();
  router.get('/reports/daily', guard(['manager']), async (req, res) => {
    const q = parse(dailyQuery, req);
    await send(
      res,
      reports,
      period(() => dayPeriod(q.day)),
      q.format,
    );
  });
  router.get('/reports/monthly', guard(['manager']), async (req, res) => {
    const q = parse(monthlyQuery, req);
    await send(
      res,
      reports,
      period(() => monthPeriod(q.month)),
      q.format,
    );
  });
  return router;
}

function parse<T extends z.ZodType>(schema: T, req: Request): z.output<T> {
  const result = schema.safeParse(req.query);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

function period(make: () => ReportPeriod): ReportPeriod {
  try {
    return make();
  } catch (error) {
    if (error instanceof PeriodError) throw new HttpError(400, 'invalidPeriod', error.message);
    throw error;
  }
}

async function send(
  res: Response,
  reports: ReportSource,
  p: ReportPeriod,
  fmt: 'json' | 'csv' | 'xlsx',
): Promise<void> {
  let report: Awaited<ReturnType<ReportSource['report']>>;
  try {
    report = await reports.report(p);
  } catch (error) {
    if (error instanceof PrunedPeriodError) throw new HttpError(410, 'periodPruned', error.message);
    if (error instanceof PeriodError) throw new HttpError(400, 'invalidPeriod', error.message);
    throw error;
  }
  res.set('cache-control', 'no-store');
  if (fmt === 'json') {
    res.json(report);
    return;
  }
  // The name is ASCII letters, digits and '-' only (reportFileName), so it needs no encoding.
  res.set('content-disposition', `attachment; filename="${reportFileName(report, fmt)}"`);
  if (fmt === 'csv') res.type('text/csv; charset=utf-8').send(reportCsv(report));
  else res.type(XLSX_TYPE).send(await reportXlsx(report));
}
