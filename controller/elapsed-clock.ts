/**
 * The clock for durations kept in memory: rate limits, lockouts, slow-downs, windows. Monotonic
 * (milliseconds since the process started), so a wall clock set back or forward — NTP correcting a
 * mini PC that booted with a flat RTC battery, an operator's `date -s` — neither cuts devices off
 * for hours nor lifts a lockout early. (Found by the soak run: after the clock was set back 2 h,
 * every device message was refused as over its rate until the restart.) Times that are stored, shown
 * or compared with other machines stay on the wall clock (`Date.now()`).
 */
export function elapsedMs(): number {
  return performance.now();
}
