/**
 * Guessing a PIN by trying them all, without letting a stranger lock anyone out.
 *
 * - Per (user name, address): after 5 wrong passwords in a row that name is locked *for that
 *   address* for a minute, doubling with each further failure up to an hour. The manager at their
 *   own desk is not locked out by someone else's guesses from another machine.
 * - Per address: after 20 failures (any names) the address is locked likewise, so one machine
 *   cannot spray guesses across all the staff ids (which are public).
 * - Everywhere: while more than 30 failures happened in the last minute (many machines), every
 *   attempt waits a little first (up to 2 s), which slows a distributed guess without refusing
 *   the right password to anyone.
 * - Bounded memory: at most `maxKeys` names×addresses and addresses are remembered; past that
 *   the least recently seen are forgotten.
 *
 * Kept in memory: a restart forgives. Pure: time is passed in through the clock.
 */

import { elapsedMs } from '../elapsed-clock.ts';

const FREE_FAILURES = 5;
const FREE_ADDRESS_FAILURES = 20;
const FIRST_LOCK_MS = 60_000;
const MAX_LOCK_MS = 3_600_000;
const GLOBAL_WINDOW_MS = 60_000;
const GLOBAL_FREE = 30;
const MAX_DELAY_MS = 2_000;

interface Failures {
  count: number;
  lockedUntil: number;
}

export interface Attempt {
  /** > 0: refused, this many milliseconds until this name may try again from this address. */
  retryAfterMs: number;
  /** Wait this long before checking the password (global slow-down). */
  delayMs: number;
}

export class LoginThrottle {
  readonly #byNameAndAddress = new Map<string, Failures>();
  readonly #byAddress = new Map<string, Failures>();
  /** Times of recent failures anywhere (at most GLOBAL_FREE * 4 kept). */
  readonly #recent: number[] = [];
  readonly #maxKeys: number;

  constructor(
    readonly clock: () => number = elapsedMs,
    options: { maxKeys?: number } = {},
  ) {
    this.#maxKeys = options.maxKeys ?? 10_000;
  }

  /**
   * Starts an attempt — counted as a failure already, until succeeded() — so guesses sent all at
   * once are held to the same limits as guesses sent one by one.
   */
  attempt(username: string, address: string): Attempt {
    const now = this.clock();
    const pairKey = `${address}\u0000${username}`;
    const pair = this.#get(this.#byNameAndAddress, pairKey);
    const addr = this.#get(this.#byAddress, address);
    const locked = Math.max(pair.lockedUntil, addr.lockedUntil) - now;
    if (locked > 0) return { retryAfterMs: locked, delayMs: 0 };
    count(pair, FREE_FAILURES, now);
    count(addr, FREE_ADDRESS_FAILURES, now);
    this.#recent.push(now);
    while (this.#recent.length > 0 && (this.#recent[0] ?? now) <= now - GLOBAL_WINDOW_MS)
      this.#recent.shift();
    if (this.#recent.length > GLOBAL_FREE * 4) this.#recent.splice(0, this.#recent.length - GLOBAL_FREE * 4);
    const excess = this.#recent.length - GLOBAL_FREE;
    const delayMs = excess > 0 ? Math.min(MAX_DELAY_MS, excess * 50) : 0;
    return { retryAfterMs: 0, delayMs };
  }

  /** The password was right: this name from this address starts afresh, and the address is forgiven one. */
  succeeded(username: string, address: string): void {
    this.#byNameAndAddress.delete(`${address}\u0000${username}`);
    const addr = this.#byAddress.get(address);
    if (addr) {
      addr.count = Math.max(0, addr.count - 1);
      if (addr.count === 0 && addr.lockedUntil <= this.clock()) this.#byAddress.delete(address);
    }
    this.#recent.pop();
  }

  /** How many names×addresses and addresses are remembered (bounded by maxKeys each). */
  get size(): { pairs: number; addresses: number } {
    return { pairs: this.#byNameAndAddress.size, addresses: this.#byAddress.size };
  }

  #get(map: Map<string, Failures>, key: string): Failures {
    const found = map.get(key);
    if (found) {
      map.delete(key); // moved to the end: the most recently seen
      map.set(key, found);
      return found;
    }
    const fresh = { count: 0, lockedUntil: 0 };
    map.set(key, fresh);
    if (map.size > this.#maxKeys) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    return fresh;
  }
}

function count(f: Failures, free: number, now: number): void {
  f.count += 1;
  if (f.count >= free) {
    f.lockedUntil = now + Math.min(MAX_LOCK_MS, FIRST_LOCK_MS * 2 ** Math.min(20, f.count - free));
  }
}
