/**
 * Request budgets per key (an address, a name): at most `max` in each `windowMs`, counted in fixed
 * windows. Memory is bounded: past `maxKeys` the key seen least recently is forgotten (a Map keeps
 * insertion order; a key is moved to the end when it is used). Pure: time is passed in.
 */
export interface RateLimitOptions {
  windowMs: number;
  max: number;
  maxKeys?: number;
}

export class RateLimit {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions) {
    this.#options = { maxKeys: 10_000, ...options };
  }

  /** Counts one request: 0 when it may go ahead, else the milliseconds until the key may try again. */
  take(key: string, now: number): number {
    const { windowMs, max, maxKeys } = this.#options;
    let w = this.#windows.get(key);
    if (w) this.#windows.delete(key);
    if (!w || now - w.start >= windowMs) w = { start: now, count: 0 };
    this.#windows.set(key, w);
    if (this.#windows.size > maxKeys) {
      const oldest = this.#windows.keys().next().value;
      if (oldest !== undefined) this.#windows.delete(oldest);
    }
    if (w.count >= max) return w.start + windowMs - now;
    w.count += 1;
    return 0;
  }

  get size(): number {
    return this.#windows.size;
  }
}
