/**
 * A report's period: one local service day `YYYY-MM-DD` or one month `YYYY-MM` of the centre's
 * calendar. Pure; a malformed or impossible period is a `PeriodError` with a message a manager can
 * act on (the API turns it into a 400).
 */

export class PeriodError extends Error {}

/** The period begins before the oldest day the journal still keeps (retention). */
export class PrunedPeriodError extends PeriodError {}

export interface ReportPeriod {
  kind: 'day' | 'month';
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  id: string;
  firstDay: string;
  lastDay: string;
  /** Every day of the period, in order. */
  days: string[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

export function dayPeriod(text: string): ReportPeriod {
  const m = DAY.exec(text);
  if (!m) throw new PeriodError(`day must be a date YYYY-MM-DD, e.g. 2026-11-23 (got "${clip(text)}")`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  checkYearMonth(year, month, text);
  if (day < 1 || day > daysInMonth(year, month))
    throw new PeriodError(`${text} is not a date: ${m[1]}-${m[2]} has ${daysInMonth(year, month)} days`);
  return { kind: 'day', id: text, firstDay: text, lastDay: text, days: [text] };
}

export function monthPeriod(text: string): ReportPeriod {
  const m = MONTH.exec(text);
  if (!m) throw new PeriodError(`month must be YYYY-MM, e.g. 2026-11 (got "${clip(text)}")`);
  const [year, month] = [Number(m[1]), Number(m[2])];
  checkYearMonth(year, month, text);
  const days = Array.from({ length: daysInMonth(year, month) }, (_, i) => `${text}-${pad(i + 1)}`);
  return { kind: 'month', id: text, firstDay: days[0] as string, lastDay: days.at(-1) as string, days };
}

/**
 * The days of the period that have begun by `today` (a period in progress counts up to today).
 * A period that has not begun is an error: there is nothing to report yet.
 */
export function daysSoFar(period: ReportPeriod, today: string): string[] {
  if (period.firstDay > today)
    throw new PeriodError(`${period.id} has not begun yet (today is ${today} at the centre)`);
  return period.days.filter((d) => d <= today);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkYearMonth(year: number, month: number, text: string): void {
  if (year < MIN_YEAR || year > MAX_YEAR)
    throw new PeriodError(`${text}: the year must be between ${MIN_YEAR} and ${MAX_YEAR}`);
  if (month < 1 || month > 12) throw new PeriodError(`${text}: the month must be 01 to 12`);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
