/**
 * How many staff a pool needs: Erlang C (M/M/c), the textbook lower bound. With arrivals at `perHour`
 * an hour and visits of `meanMinutes` on average, the share of citizens called within `targetMinutes`
 * with c staff is 1 − C(c, a)·e^(−(c − a)·T/S), where a = λ·S is the offered load and C the
 * probability of having to wait. Real days are worse (peaks within the hour, shared skills, no-shows
 * holding a counter, backlogs carried from the hour before), so the simulator checks the bound and
 * adds staff where it falls short (simulation/staffing.ts). Pure arithmetic.
 */

/** Probability that an arrival waits, Erlang C, with c servers and offered load a (in Erlangs). */
export function erlangC(c: number, a: number): number {
  if (c <= a) return 1;
  // Erlang B by its stable recurrence, then C from B.
  let b = 1;
  for (let k = 1; k <= c; k++) b = (a * b) / (k + a * b);
  return b / (1 - (a / c) * (1 - b));
}

/** Share of arrivals called within the target, with c staff. */
export function serviceLevel(c: number, perHour: number, meanMinutes: number, targetMinutes: number): number {
  if (perHour <= 0) return 1;
  const a = (perHour * meanMinutes) / 60;
  if (c <= a) return 0;
  return 1 - erlangC(c, a) * Math.exp((-(c - a) * targetMinutes) / meanMinutes);
}

/** The fewest staff meeting the target share (0 when nobody comes). */
export function erlangStaff(
  perHour: number,
  meanMinutes: number,
  targetMinutes: number,
  targetShare: number,
): number {
  if (perHour <= 0) return 0;
  let c = Math.max(1, Math.floor((perHour * meanMinutes) / 60));
  while (serviceLevel(c, perHour, meanMinutes, targetMinutes) < targetShare) c++;
  return c;
}
