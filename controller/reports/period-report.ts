/**
 * The centre's report for a period (a day or a month): figures per service, per counter, per
 * staff member and for the whole centre, from the period's visit records (the same records that go
 * upstream, with the same `visitFigures` / `staffFigures`, so the daily report and the daily summary
 * show the same numbers), the time of counters and staff (counter-time.ts) and the dossiers per
 * staff member against the yearly target of the centre's level. Pure.
 *
 * Staff appear in the records only as pseudonyms; this report stays in the centre, so it maps them
 * back to the configured staff (their names) with a map built from the configuration.
 */
import type { VisitFigures, VisitRecord } from '../../upstream/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import { staffFigures, visitFigures } from '../visits/visit-figures.ts';
import { addTime, type DayTimes, emptyTime, type TimeFigures } from './counter-time.ts';
import type { ReportPeriod } from './period.ts';

/** Dossiers received per counter staff member per year (Đà Nẵng plan 183/KH-UBND and others). */
export const YEARLY_DOSSIER_TARGET = { province: 1600, district: 1200, commune: 800 } as const;
export const DAYS_PER_YEAR = 365;

export interface ProductivityFigures {
  /** Served visits (dossiers received). */
  dossiers: number;
  /** The yearly target × days counted ÷ 365. */
  target: number;
  /** dossiers ÷ target. */
  share: number | null;
}

/** A rating a citizen wrote on the centre's paper form, entered by staff (a `visitRated` of source paper). */
export interface PaperRating {
  counterId: string;
  level: number;
  notSatisfied: boolean;
}

/**
 * The paper forms of a row's served visits, and satisfaction counting them with the citizens' own
 * ratings. `figures.satisfaction` counts the citizens' own (keypad, ticket page) only, as the province
 * receives them.
 */
export interface PaperFigures {
  rated: number;
  notSatisfied: number;
  withPaper: {
    rated: number;
    notSatisfied: number;
    rate766: number | null;
    satisfiedShare: number | null;
  };
}

export interface ReportRow {
  id: string;
  /** Counter number, for counters. */
  number?: number;
  name: string;
  figures: VisitFigures;
  paper: PaperFigures;
}

export interface StaffRow extends ReportRow {
  /** Null when the pseudonym matches no known staff id (a member since removed who was not signed in). */
  staffId: string | null;
  pseudonym: string;
  time: TimeFigures;
  productivity: ProductivityFigures;
}

export interface CounterRow extends ReportRow {
  time: TimeFigures;
}

export interface PeriodReport {
  kind: 'report';
  period: {
    kind: ReportPeriod['kind'];
    id: string;
    firstDay: string;
    lastDay: string;
    /** Days of the period counted: all of them, or up to today for a period in progress. */
    daysCounted: number;
    daysInPeriod: number;
  };
  centre: { id: string; name: string; level: CentreConfig['centre']['level']; timezone: string };
  generatedAt: number;
  targetMinutes: number;
  ratingScale: string[];
  /** Records of the period not final yet (a served visit that may still be rated). */
  provisional: number;
  total: {
    figures: VisitFigures;
    paper: PaperFigures;
    staff: { count: number; dossiersPerStaff: number | null };
    time: TimeFigures;
    productivity: {
      level: CentreConfig['centre']['level'];
      yearlyTarget: number;
      /** Target per staff member for the days counted. */
      targetPerStaff: number;
      dossiersPerStaff: number | null;
      share: number | null;
    };
  };
  services: ReportRow[];
  counters: CounterRow[];
  staff: StaffRow[];
  /** One row per day counted (a month's days; a day's report has one). */
  days: ReportRow[];
}

export interface PeriodReportInput {
  config: CentreConfig;
  period: ReportPeriod;
  /** The days counted (the period's days up to today). */
  days: readonly string[];
  /** The period's visit records (others are ignored), in seq order. */
  records: readonly VisitRecord[];
  provisional: number;
  /** Counter and staff time by day. */
  times: ReadonlyMap<string, DayTimes>;
  /** Paper-form ratings by ticket id (absent: none). */
  paperRatings?: ReadonlyMap<string, PaperRating>;
  /** pseudonym → staff id, for the configured staff (and any other staff ids known). */
  staffByPseudonym: ReadonlyMap<string, string>;
  generatedAt: number;
}

export function periodReport(input: PeriodReportInput): PeriodReport {
  const { config, period } = input;
  const target = config.queue.waitTargetMinutes;
  const scale = config.ratings.scale.length;
  const figures = (rs: readonly VisitRecord[]) => visitFigures(rs, target, scale);
  const noPaper: ReadonlyMap<string, PaperRating> = new Map();
  const paperOf = (rs: readonly VisitRecord[], f: VisitFigures) =>
    paperFigures(rs, f, input.paperRatings ?? noPaper, scale);
  const row = (rs: readonly VisitRecord[]) => {
    const f = figures(rs);
    return { figures: f, paper: paperOf(rs, f) };
  };
  const daySet = new Set(input.days);
  const records = input.records.filter((r) => daySet.has(r.day));

  const timeOf = (pick: (d: DayTimes) => TimeFigures | undefined) => {
    const t = emptyTime();
    for (const day of input.days) {
      const d = input.times.get(day);
      const x = d && pick(d);
      if (x) addTime(t, x);
    }
    return t;
  };

  const yearly = YEARLY_DOSSIER_TARGET[config.centre.level];
  const targetPerStaff = (yearly * input.days.length) / DAYS_PER_YEAR;
  const productivity = (dossiers: number): ProductivityFigures => ({
    dossiers,
    target: targetPerStaff,
    share: targetPerStaff > 0 ? dossiers / targetPerStaff : null,
  });

  const by = <K>(key: (r: VisitRecord) => K) => {
    const m = new Map<K, VisitRecord[]>();
    for (const r of records) {
      const k = key(r);
      const list = m.get(k);
      if (list) list.push(r);
      else m.set(k, [r]);
    }
    return m;
  };
  const byService = by((r) => r.serviceId);
  const byCounter = by((r) => r.counterId);
  const byStaff = by((r) => r.staff);
  const byDay = by((r) => r.day);

  const serviceIds = [...new Set([...config.services.map((s) => s.id), ...byService.keys()])];
  const services: ReportRow[] = serviceIds.map((id) => ({
    id,
    name: config.services.find((s) => s.id === id)?.name ?? id,
    ...row(byService.get(id) ?? []),
  }));

  const counterIds = [
    ...new Set([
      ...config.counters.map((c) => c.id),
      ...[...byCounter.keys()].filter((k): k is string => k !== null),
    ]),
  ];
  const counters: CounterRow[] = counterIds.map((id) => {
    const c = config.counters.find((x) => x.id === id);
    return {
      id,
      ...(c ? { number: c.number } : {}),
      name: c?.name ?? id,
      ...row(byCounter.get(id) ?? []),
      time: timeOf((d) => d.counters[id]),
    };
  });

  // Staff: every configured member who served or was signed in during the period, and any
  // pseudonym in the records that the configuration no longer knows.
  const staffIdsWithTime = new Set<string>();
  for (const day of input.days)
    for (const id of Object.keys(input.times.get(day)?.staff ?? {})) staffIdsWithTime.add(id);
  const pseudonymOf = new Map([...input.staffByPseudonym].map(([p, id]) => [id, p]));
  // Configured staff first, in their order; then ids the configuration no longer has (signed in
  // during the period, or known to the pseudonym map), named by their id.
  const staffIds = [
    ...new Set([...config.staff.map((s) => s.id), ...staffIdsWithTime, ...input.staffByPseudonym.values()]),
  ];
  const staff: StaffRow[] = [];
  for (const id of staffIds) {
    const pseudonym = pseudonymOf.get(id);
    const mine = (pseudonym && byStaff.get(pseudonym)) || [];
    if (!mine.length && !staffIdsWithTime.has(id)) continue;
    const f = figures(mine);
    staff.push({
      id,
      staffId: id,
      pseudonym: pseudonym ?? '',
      name: config.staff.find((s) => s.id === id)?.name ?? id,
      figures: f,
      paper: paperOf(mine, f),
      time: timeOf((d) => d.staff[id]),
      productivity: productivity(f.served),
    });
  }
  for (const [pseudonym, mine] of byStaff) {
    if (pseudonym === null || input.staffByPseudonym.has(pseudonym)) continue;
    const f = figures(mine);
    staff.push({
      id: pseudonym,
      staffId: null,
      pseudonym,
      name: pseudonym,
      figures: f,
      paper: paperOf(mine, f),
      time: emptyTime(),
      productivity: productivity(f.served),
    });
  }

  const totalFigures = figures(records);
  const totalStaff = staffFigures(records);
  const totalTime = emptyTime();
  for (const day of input.days)
    for (const t of Object.values(input.times.get(day)?.staff ?? {})) addTime(totalTime, t);

  return {
    kind: 'report',
    period: {
      kind: period.kind,
      id: period.id,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      daysCounted: input.days.length,
      daysInPeriod: period.days.length,
    },
    centre: {
      id: config.centre.id,
      name: config.centre.name,
      level: config.centre.level,
      timezone: config.centre.timezone,
    },
    generatedAt: input.generatedAt,
    targetMinutes: target,
    ratingScale: config.ratings.scale.map((l) => l.label),
    provisional: input.provisional,
    total: {
      figures: totalFigures,
      paper: paperOf(records, totalFigures),
      staff: totalStaff,
      time: totalTime,
      productivity: {
        level: config.centre.level,
        yearlyTarget: yearly,
        targetPerStaff,
        dossiersPerStaff: totalStaff.dossiersPerStaff,
        share:
          totalStaff.dossiersPerStaff !== null && targetPerStaff > 0
            ? totalStaff.dossiersPerStaff / targetPerStaff
            : null,
      },
    },
    services,
    counters,
    staff,
    days: input.days.map((day) => ({ id: day, name: day, ...row(byDay.get(day) ?? []) })),
  };
}

/**
 * Paper ratings of the served visits among `records` (a served visit has at most one rating: the
 * citizen's own, or a paper form), and satisfaction with both counted. `f` is visitFigures(records).
 */
export function paperFigures(
  records: readonly VisitRecord[],
  f: VisitFigures,
  paper: ReadonlyMap<string, PaperRating>,
  scaleSize: number,
): PaperFigures {
  const half = Math.floor(scaleSize / 2);
  let rated = 0;
  let notSatisfied = 0;
  let satisfied = 0;
  for (const r of records) {
    if (r.outcome !== 'served' || r.rating) continue;
    const p = paper.get(r.ticketId);
    if (!p || p.counterId !== r.counterId) continue;
    rated++;
    if (p.notSatisfied) notSatisfied++;
    if (p.level <= half) satisfied++;
  }
  const s = f.satisfaction;
  const citizenSatisfied = s.byLevel.slice(0, half).reduce((a, b) => a + b, 0);
  const allRated = s.rated + rated;
  const allNotSatisfied = s.notSatisfied + notSatisfied;
  return {
    rated,
    notSatisfied,
    withPaper: {
      rated: allRated,
      notSatisfied: allNotSatisfied,
      rate766: s.visits ? (s.visits - allNotSatisfied) / s.visits : null,
      satisfiedShare: allRated ? (citizenSatisfied + satisfied) / allRated : null,
    },
  };
}
