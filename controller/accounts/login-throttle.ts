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

  /**
   * Starts an attempt: 0 when it may go ahead — counted as a failure already, until succeeded() —
   * else the milliseconds until this name may try again. Counting before the (slow) password check
   * means guesses sent all at once are held to the same five as guesses sent one by one.
   */
  attempt(username: string): number {
    const now = this.clock();
    const f = this.#failures.get(username) ?? { count: 0, lockedUntil: 0 };
    if (f.lockedUntil > now) return f.lockedUntil - now;
    f.count += 1;
    if (f.count >= FREE_FAILURES) {
      f.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** (f.count - FREE_FAILURES));
    }
    this.#failures.set(username, f);
    return 0;
  }

  succeeded(username: string): void {
    this.#failures.delete(username);
  }
}
