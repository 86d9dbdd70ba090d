/**
 * A centre's state as the province page shows it (pure): offline after its death message (the
 * MQTT last will), "signal lost" when it said nothing fresh for 90 s, online otherwise.
 */
export const STALE_AFTER_MS = 90_000;

export type CentreState = 'online' | 'offline' | 'lost';

export function centreState(
  status: 'online' | 'offline' | null,
  freshAt: number | null,
  now: number,
): CentreState {
  if (status === 'offline') return 'offline';
  if (freshAt === null || now - freshAt > STALE_AFTER_MS) return 'lost';
  return 'online';
}

/** The day `YYYY-MM-DD` of `at` in the province's time zone. */
export function localDay(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
