/**
 * The report as tables: the columns (Vietnamese headers, units) and the rows of each section, one
 * definition for the CSV, the .xlsx and the printable page. Pure, and free of Node imports so the
 * page can use it too. Definitions of each figure: docs/reports.md.
 */
import type { VisitFigures } from '../../upstream/protocol/messages.ts';
import type { PauseReason } from '../centre/schema.ts';
import type { TimeFigures } from './counter-time.ts';
import type { PaperFigures, PeriodReport, ProductivityFigures } from './period-report.ts';

export type Unit = 'count' | 'minutes' | 'hours' | 'share' | 'number';

export type Scope = 'centre' | 'service' | 'counter' | 'staff' | 'day';

export const SCOPE_LABELS: Record<Scope, string> = {
  centre: 'Toàn trung tâm',
  service: 'Dịch vụ',
  counter: 'Quầy',
  staff: 'Cán bộ',
  day: 'Ngày',
};

export const PAUSE_LABELS: [PauseReason, string][] = [
  ['break', 'Nghỉ giải lao'],
  ['meeting', 'Họp'],
  ['technical', 'Sự cố kỹ thuật'],
  ['other', 'Lý do khác'],
];

export const LEVEL_LABELS: Record<PeriodReport['centre']['level'], string> = {
  province: 'cấp tỉnh',
  district: 'cấp huyện',
  commune: 'cấp xã',
};

export interface TableRow {
  scope: Scope;
  id: string;
  name: string;
  figures: VisitFigures;
  /** Paper-form ratings (absent: none counted). */
  paper?: PaperFigures;
  time?: TimeFigures;
  productivity?: ProductivityFigures;
}

export interface Column {
  key: string;
  header: string;
  unit: Unit;
  get: (row: TableRow) => number | null;
}

const minutes = (s: number | null) => (s === null ? null : s / 60);
const hours = (s: number | undefined) => (s === undefined ? null : s / 3600);

/** The figure columns, in order; `targetMinutes` names the wait target in its header. */
export function figureColumns(targetMinutes: number): Column[] {
  const f = (key: string, header: string, unit: Unit, get: (x: VisitFigures) => number | null): Column => ({
    key,
    header,
    unit,
    get: (r) => get(r.figures),
  });
  return [
    f('visits', 'Lượt giao dịch', 'count', (x) => x.visits),
    f('tickets', 'Số phiếu', 'count', (x) => x.tickets),
    f('served', 'Đã phục vụ', 'count', (x) => x.served),
    f('noShow', 'Vắng mặt', 'count', (x) => x.noShow),
    f('transferred', 'Chuyển tiếp', 'count', (x) => x.transferred),
    f('cancelled', 'Đã hủy', 'count', (x) => x.cancelled),
    f('expired', 'Hết hạn cuối ngày', 'count', (x) => x.expired),
    f('waitMean', 'Chờ trung bình (phút)', 'minutes', (x) => minutes(x.wait.meanSeconds)),
    f('waitMedian', 'Chờ trung vị (phút)', 'minutes', (x) => minutes(x.wait.medianSeconds)),
    f('waitP90', 'Chờ phân vị 90 (phút)', 'minutes', (x) => minutes(x.wait.p90Seconds)),
    f('withinTarget', `Tỷ lệ chờ ≤ ${targetMinutes} phút (%)`, 'share', (x) => x.wait.withinTargetShare),
    f('serviceMean', 'Phục vụ trung bình (phút)', 'minutes', (x) => minutes(x.serviceTime.meanSeconds)),
    f('rated', 'Lượt đánh giá', 'count', (x) => x.satisfaction.rated),
    f('notSatisfied', 'Không hài lòng', 'count', (x) => x.satisfaction.notSatisfied),
    f('rate766', 'Tỷ lệ hài lòng theo QĐ 766 (%)', 'share', (x) => x.satisfaction.rate766),
    f('satisfiedShare', 'Tỷ lệ đánh giá hài lòng (%)', 'share', (x) => x.satisfaction.satisfiedShare),
    ...PAPER_COLUMNS,
  ];
}

/**
 * Ratings from paper forms, entered by staff: counted apart from the citizens' own (the columns
 * before these, which are what the province receives), then satisfaction with both.
 */
export const PAPER_COLUMNS: Column[] = [
  { key: 'paperRated', header: 'Phiếu giấy', unit: 'count', get: (r) => r.paper?.rated ?? 0 },
  {
    key: 'rate766WithPaper',
    header: 'Tỷ lệ hài lòng QĐ 766 kể cả phiếu giấy (%)',
    unit: 'share',
    get: (r) => (r.paper ? r.paper.withPaper.rate766 : r.figures.satisfaction.rate766),
  },
  {
    key: 'satisfiedShareWithPaper',
    header: 'Tỷ lệ đánh giá hài lòng kể cả phiếu giấy (%)',
    unit: 'share',
    get: (r) => (r.paper ? r.paper.withPaper.satisfiedShare : r.figures.satisfaction.satisfiedShare),
  },
];

/** Counter and staff time, in hours. */
export const TIME_COLUMNS: Column[] = [
  {
    key: 'present',
    header: 'Có mặt tại quầy (giờ)',
    unit: 'hours',
    get: (r) => hours(r.time?.presentSeconds),
  },
  { key: 'serving', header: 'Đang phục vụ (giờ)', unit: 'hours', get: (r) => hours(r.time?.servingSeconds) },
  { key: 'idle', header: 'Chờ việc (giờ)', unit: 'hours', get: (r) => hours(r.time?.idleSeconds) },
  ...PAUSE_LABELS.map(
    ([reason, label]): Column => ({
      key: `paused-${reason}`,
      header: `Tạm dừng – ${label} (giờ)`,
      unit: 'hours',
      get: (r) => hours(r.time?.pausedSeconds[reason]),
    }),
  ),
];

/** Dossiers against the pro-rated yearly target. */
export const PRODUCTIVITY_COLUMNS: Column[] = [
  { key: 'dossiers', header: 'Hồ sơ tiếp nhận', unit: 'count', get: (r) => r.productivity?.dossiers ?? null },
  {
    key: 'dossierTarget',
    header: 'Chỉ tiêu trong kỳ',
    unit: 'number',
    get: (r) => r.productivity?.target ?? null,
  },
  {
    key: 'dossierShare',
    header: 'Tỷ lệ đạt chỉ tiêu (%)',
    unit: 'share',
    get: (r) => r.productivity?.share ?? null,
  },
];

export function allColumns(targetMinutes: number): Column[] {
  return [...figureColumns(targetMinutes), ...TIME_COLUMNS, ...PRODUCTIVITY_COLUMNS];
}

/** The report's rows, section by section. The centre's productivity is per staff member. */
export function reportSections(report: PeriodReport): Record<Scope, TableRow[]> {
  const t = report.total;
  const centre: TableRow = {
    scope: 'centre',
    id: report.centre.id,
    name: report.centre.name,
    figures: t.figures,
    paper: t.paper,
    time: t.time,
    productivity: {
      dossiers: t.figures.served,
      target: t.productivity.targetPerStaff * t.staff.count,
      share: t.productivity.share,
    },
  };
  return {
    centre: [centre],
    service: report.services.map((s) => ({
      scope: 'service',
      id: s.id,
      name: s.name,
      figures: s.figures,
      paper: s.paper,
    })),
    counter: report.counters.map((c) => ({
      scope: 'counter',
      id: c.id,
      name: c.name,
      figures: c.figures,
      paper: c.paper,
      time: c.time,
    })),
    staff: report.staff.map((s) => ({
      scope: 'staff',
      id: s.staffId ?? s.pseudonym,
      name: s.name,
      figures: s.figures,
      paper: s.paper,
      time: s.time,
      productivity: s.productivity,
    })),
    day:
      report.period.kind === 'month'
        ? report.days.map((d) => ({
            scope: 'day',
            id: d.id,
            name: d.name,
            figures: d.figures,
            paper: d.paper,
          }))
        : [],
  };
}

/** Decimal places a unit is written with. */
export const DECIMALS: Record<Unit, number> = { count: 0, minutes: 1, hours: 2, share: 1, number: 1 };

/** A value as written in a table: shares as percent, rounded to the unit's decimals ('.' decimals). */
export function tableValue(column: Column, row: TableRow): number | null {
  const v = column.get(row);
  if (v === null || !Number.isFinite(v)) return null;
  const scaled = column.unit === 'share' ? v * 100 : v;
  const f = 10 ** DECIMALS[column.unit];
  return Math.round(scaled * f) / f;
}

/** The period in words: "ngày 23/11/2026" or "tháng 11/2026". */
export function periodLabel(period: PeriodReport['period']): string {
  const [y, m, d] = period.id.split('-');
  return period.kind === 'day' ? `ngày ${d}/${m}/${y}` : `tháng ${m}/${y}`;
}
