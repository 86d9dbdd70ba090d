/**
 * Guessing a PIN by trying them all: after 5 wrong passwords in a row an account is locked for a
 * minute, doubling with each further failure up to an hour. Kept in memory: a restart forgives.
 */
const FREE_FAILURES = 5;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 3_600_000;

export class LoginThrottle {
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(readonly clock: () => number = Date.now) {}

  /** Milliseconds until this name may try again; 0 when it may now. */
  lockedFor(username: string): number {
    const f = this.#failures.get(username);
    return f ? Math.max(0, f.lockedUntil - this.clock()) : 0;
  }

  failed(username: string): void {
    const f = this.#failures.get(username) ?? { count: 0, lockedUntil: 0 };
    f.count += 1;
    if (f.count >= FREE_FAILURES) {
      const lock = Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (f.count - FREE_FAILURES));
      f.lockedUntil = this.clock() + lock;
    }
    this.#failures.set(username, f);
  }

  succeeded(username: string): void {
    this.#failures.delete(username);
  }
}
