/**
 * A real time scale for the day's charts without a date adapter: the x axis is linear in
 * milliseconds, with ticks on round clock times (every 5, 10, 15, 30 min, 1 or 2 h, whichever gives
 * at most `maxTicks`) labelled HH:mm. A point 30 s after another sits 30 s to its right. Pure.
 */

const MIN = 60_000;
const STEPS = [5, 10, 15, 30, 60, 120, 180, 240].map((m) => m * MIN);

export interface TimeAxis {
  min: number;
  max: number;
  stepMs: number;
  /** Tick positions (ms), on round clock times within [min, max]. */
  ticks: number[];
}

/** `offsetMs`: the centre's offset from UTC, so ticks fall on its own round hours. */
export function timeAxis(times: readonly number[], offsetMs: number, maxTicks = 10): TimeAxis | null {
  if (times.length === 0) return null;
  let min = Math.min(...times);
  let max = Math.max(...times);
  if (max - min < 15 * MIN) max = min + 15 * MIN; // one point: still a readable quarter hour
  const stepMs = STEPS.find((s) => (max - min) / s <= maxTicks) ?? (STEPS.at(-1) as number);
  const first = Math.ceil((min + offsetMs) / stepMs) * stepMs - offsetMs;
  const ticks: number[] = [];
  for (let t = first; t <= max; t += stepMs) ticks.push(t);
  min = Math.min(min, ticks[0] ?? min);
  return { min, max, stepMs, ticks };
}
