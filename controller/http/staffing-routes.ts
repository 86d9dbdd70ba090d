/**
 * GET /api/staffing (managers): staffing advice for the coming hours (reports/staffing-advice.ts),
 * from today's arrivals so far and the past HISTORY_DAYS days of the journal (read once per
 * service day and kept).
 */
import express, { type Router } from 'express';
import { serviceDay } from '../core/service-day.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { ReportSource } from '../reports/report-source.ts';
import { type ArrivalHistory, arrivalHistory, staffingAdvice } from '../reports/staffing-advice.ts';
import type { Guard } from './api.ts';

const HISTORY_DAYS = 14;
const DAY = 86_400_000;

export interface StaffingRouterOptions {
  queue: QueueService;
  reports: ReportSource;
  guard: Guard;
  clock?: () => number;
}

export function createStaffingRouter({
  queue,
  reports,
  guard,
  clock = Date.now,
}: StaffingRouterOptions): Router {
  const router = express.Router();
  let cached: { day: string; history: ArrivalHistory } | null = null;

  const historyFor = async (now: number): Promise<ArrivalHistory> => {
    const tz = queue.config.centre.timezone;
    const today = serviceDay(now, tz);
    if (cached?.day === today) return cached.history;
    const days: string[] = [];
    for (let i = HISTORY_DAYS; i >= 1; i--) days.push(serviceDay(now - i * DAY, tz));
    const { records } = await reports.load(days, now);
    const history = arrivalHistory(records, tz);
    cached = { day: today, history };
    return history;
  };

  router.get('/staffing', guard(['manager']), async (_req, res) => {
    const now = clock();
    const history = await historyFor(now);
    res.json({
      now,
      targetMinutes: queue.config.queue.waitTargetMinutes,
      targetShare: 0.9,
      historyDays: history.days,
      lines: staffingAdvice(queue.config, queue.state, now, history),
    });
  });
  return router;
}
