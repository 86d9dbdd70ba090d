/**
 * GET /api/staffing (managers): staffing advice for the coming hours (reports/staffing-advice.ts),
 * from today's arrivals so far and the past HISTORY_DAYS days of the journal (read once per
 * service day and kept). The Erlang C bound is computed on each request; the simulation's correction
 * (reports/staffing-advisor.ts, in a worker thread) is asked for and, once computed for the current
 * hour, served in its place with when it was computed (`basis`: "simulation" or "erlang").
 * Only the centre's opening hours are advised for; after closing, `closedToday` says so and there
 * are no lines.
 */
import express, { type Router } from 'express';
import { serviceDay } from '../core/service-day.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { ReportSource } from '../reports/report-source.ts';
import {
  type ArrivalHistory,
  adviceHours,
  arrivalHistory,
  type StaffingLine,
  staffingAdvice,
} from '../reports/staffing-advice.ts';
import type { StaffingAdvisor } from '../reports/staffing-advisor.ts';
import { liveScenario } from '../reports/staffing-scenario.ts';
import type { Guard } from './api.ts';

const HISTORY_DAYS = 14;
const HOURS = 3;
const DAY = 86_400_000;

export interface StaffingRouterOptions {
  queue: QueueService;
  reports: ReportSource;
  guard: Guard;
  advisor: StaffingAdvisor;
  clock?: () => number;
}

export function createStaffingRouter({
  queue,
  reports,
  guard,
  advisor,
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
    const { config, state } = queue;
    advisor.request(liveScenario(config, state, now, history, HOURS), now);
    const corrected = advisor.latest(now);
    const lines = staffingAdvice(config, state, now, history, { hours: HOURS }).map((line) => {
      const i = corrected?.hourStarts.indexOf(line.from) ?? -1;
      const advised = i >= 0 ? corrected?.pools[line.poolId]?.advised[i] : undefined;
      if (advised === undefined) return { ...line, bound: line.advised, basis: 'erlang' as const };
      return { ...withAdvised(line, advised), bound: line.advised, basis: 'simulation' as const };
    });
    res.json({
      now,
      targetMinutes: config.queue.waitTargetMinutes,
      targetShare: 0.9,
      historyDays: history.days,
      basis: corrected ? 'simulation' : 'erlang',
      computedAt: corrected?.computedAt ?? null,
      simulatedTargetMet: corrected?.met ?? null,
      openingHours: config.centre.openingHours,
      closedToday: adviceHours(config, now, HOURS).length === 0,
      lines,
    });
  });
  return router;
}

/** The line with the simulation's figure in place of the bound (its texts say the new number). */
function withAdvised(line: StaffingLine, advised: number): StaffingLine {
  const at = (text: string, before: string) =>
    text.replace(`: ${line.advised} ${before}`, `: ${advised} ${before}`);
  return { ...line, advised, text: at(line.text, 'người'), textEn: at(line.textEn, 'staff') };
}
