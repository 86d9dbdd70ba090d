/**
 * Durations kept in memory follow a monotonic clock (controller/elapsed-clock.ts): a wall clock set
 * back by NTP must not cut devices off for hours, nor keep a lockout for hours (found by the soak
 * run: after the clock was set back 2 h, every device message was refused as over its rate).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LoginThrottle } from '../../controller/accounts/login-throttle.ts';
import { RateLimiter } from '../../controller/transports/mqtt/rate-limiter.ts';

const TWO_HOURS = 2 * 3600_000;
/** The wall clock, which the test sets back; in force before anything reads Date.now. */
let offset = 0;
beforeEach(() => {
  offset = 0;
  const real = Date.now.bind(Date);
  vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
});
afterEach(() => vi.restoreAllMocks());

describe('a wall clock stepped back', () => {
  it('leaves a device its message rate', () => {
    const limiter = new RateLimiter(10, 20);
    for (let i = 0; i < 5; i++) expect(limiter.take('c1-pad')).toBe(true);
    offset = -TWO_HOURS; // NTP sets the clock right
    for (let i = 0; i < 5; i++) expect(limiter.take('c1-pad'), `message ${i} after the step`).toBe(true);
  });

  it('leaves a lockout its own length', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 30; i++) throttle.attempt('quanly', '10.0.0.9'); // locked out
    expect(throttle.attempt('quanly', '10.0.0.9').retryAfterMs).toBeGreaterThan(0);
    offset = -TWO_HOURS;
    // Still locked for at most the longest lock (an hour), not two hours more.
    expect(throttle.attempt('quanly', '10.0.0.9').retryAfterMs).toBeLessThanOrEqual(3600_000);
  });
});
