/**
 * The service day: tickets are numbered per local calendar day of the centre, so "today" is
 * computed in the centre's time zone (Asia/Ho_Chi_Minh by default), never in UTC.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local date `YYYY-MM-DD` at instant `now` (ms since epoch) in `timeZone`. */
export function serviceDay(now: number, timeZone: string): string {
  return formatterFor(timeZone).format(new Date(now));
}

/**
 * The first instant (ms) after `now` at which the local date changes. Found by search rather
 * than by adding 24 h so that zones with daylight saving would also be right.
 */
export function nextDayStart(now: number, timeZone: string): number {
  const today = serviceDay(now, timeZone);
  let lo = now;
  let hi = now + 26 * 3_600_000;
  while (serviceDay(hi, timeZone) === today) hi += 3_600_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (serviceDay(mid, timeZone) === today) lo = mid;
    else hi = mid;
  }
  return hi;
}
