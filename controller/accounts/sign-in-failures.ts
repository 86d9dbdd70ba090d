/**
 * Failed sign-ins, summed up for the audit log: one line per (user name, address) per period
 * (`sign in failed`, with how many and between when) instead of one fsynced line per guess, so a
 * guessing script neither fills the disk nor costs a disk flush per try. Bounded: at most
 * `maxKeys` pairs are held between flushes; the rest are counted together as one "others" line.
 */
import type { AuditEntry } from './audit-log.ts';

export class SignInFailures {
  readonly #pending = new Map<
    string,
    { username: string; address: string; count: number; first: number; last: number }
  >();
  readonly #maxKeys: number;
  #others = { count: 0, first: 0, last: 0 };

  constructor(options: { maxKeys?: number } = {}) {
    this.#maxKeys = options.maxKeys ?? 1_000;
  }

  record(username: string, address: string, at: number): void {
    const key = `${address}\u0000${username}`;
    const found = this.#pending.get(key);
    if (found) {
      found.count += 1;
      found.last = at;
    } else if (this.#pending.size < this.#maxKeys) {
      this.#pending.set(key, { username, address, count: 1, first: at, last: at });
    } else {
      if (this.#others.count === 0) this.#others.first = at;
      this.#others.count += 1;
      this.#others.last = at;
    }
  }

  /** The audit lines for everything recorded since the last flush (and forgets it). */
  flush(): AuditEntry[] {
    const lines: AuditEntry[] = [...this.#pending.values()].map((f) => ({
      at: new Date(f.last).toISOString(),
      by: f.username,
      action: 'sign in failed',
      status: 401,
      details: {
        address: f.address,
        count: f.count,
        from: new Date(f.first).toISOString(),
        to: new Date(f.last).toISOString(),
      },
    }));
    if (this.#others.count > 0) {
      lines.push({
        at: new Date(this.#others.last).toISOString(),
        by: '(many names)',
        action: 'sign in failed',
        status: 401,
        details: {
          count: this.#others.count,
          from: new Date(this.#others.first).toISOString(),
          to: new Date(this.#others.last).toISOString(),
        },
      });
    }
    this.#pending.clear();
    this.#others = { count: 0, first: 0, last: 0 };
    return lines;
  }
}
