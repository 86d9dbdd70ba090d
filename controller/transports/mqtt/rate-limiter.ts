import { elapsedMs } from '../../elapsed-clock.ts';

/** A token bucket per device: a chatty or broken device is cut off before its messages cost anything. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly clock: () => number = elapsedMs,
  ) {}

  take(key: string): boolean {
    const now = this.clock();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.#buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
