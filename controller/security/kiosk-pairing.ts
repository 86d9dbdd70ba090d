/**
 * Pairing a kiosk screen from the manager dashboard. The kiosk (not yet registered) asks for a
 * pairing and shows its 6-digit code; the manager, standing at it, types the code on the dashboard
 * and confirms which dispenser it is; the kiosk, asking again with the pairing's secret (which only
 * it holds), then receives its own credential once. Codes live 10 minutes, are unique among the
 * pending ones, and at most MAX_PENDING wait at a time, so nobody fills memory with requests.
 * Pure and in memory (time passed in): a restart only makes the kiosk ask again.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const PAIRING_TTL_MS = 10 * 60_000;
export const MAX_PENDING = 32;

export interface PairingRequest {
  id: string;
  code: string;
  dispenserId: string;
  /** Where the request came from (shown to the manager who confirms). */
  address: string;
  requestedAt: number;
  expiresAt: number;
}

interface Pending extends PairingRequest {
  secret: string;
  /** Set once a manager confirmed: the credential waiting to be claimed. */
  token?: string;
}

export type ClaimResult =
  | { status: 'pending'; expiresAt: number }
  | { status: 'paired'; dispenserId: string; token: string }
  | { status: 'unknown' };

export class KioskPairing {
  readonly #pending = new Map<string, Pending>();

  /** A new pairing, or null when too many are waiting already. */
  request(dispenserId: string, address: string, now: number): (PairingRequest & { secret: string }) | null {
    this.#expire(now);
    if (this.#pending.size >= MAX_PENDING) return null;
    const taken = new Set([...this.#pending.values()].map((p) => p.code));
    let code: string;
    do code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    while (taken.has(code));
    const pending: Pending = {
      id: randomBytes(12).toString('base64url'),
      code,
      dispenserId,
      address,
      requestedAt: now,
      expiresAt: now + PAIRING_TTL_MS,
      secret: randomBytes(32).toString('base64url'),
    };
    this.#pending.set(pending.id, pending);
    const { token: _, ...shown } = pending;
    return shown;
  }

  /** Pairings waiting for a manager, oldest first (without their secrets). */
  waiting(now: number): PairingRequest[] {
    this.#expire(now);
    return [...this.#pending.values()]
      .filter((p) => p.token === undefined)
      .map(({ secret: _s, token: _t, ...p }) => p);
  }

  /** The waiting pairing with this code, if any. */
  byCode(code: string, now: number): PairingRequest | null {
    this.#expire(now);
    for (const p of this.#pending.values()) {
      if (p.code === code && p.token === undefined) {
        const { secret: _s, token: _t, ...shown } = p;
        return shown;
      }
    }
    return null;
  }

  /** A manager confirmed: the kiosk may now claim this token (once). */
  confirm(id: string, token: string, now: number): boolean {
    this.#expire(now);
    const p = this.#pending.get(id);
    if (!p || p.token !== undefined) return false;
    p.token = token;
    // Long enough for a kiosk that polls every few seconds to claim it.
    p.expiresAt = Math.max(p.expiresAt, now + 60_000);
    return true;
  }

  /** The kiosk asks with its pairing's secret: still pending, or its credential (then forgotten). */
  claim(id: string, secret: string, now: number): ClaimResult {
    this.#expire(now);
    const p = this.#pending.get(id);
    if (!p || !sameSecret(p.secret, secret)) return { status: 'unknown' };
    if (p.token === undefined) return { status: 'pending', expiresAt: p.expiresAt };
    this.#pending.delete(id);
    return { status: 'paired', dispenserId: p.dispenserId, token: p.token };
  }

  #expire(now: number): void {
    for (const [id, p] of this.#pending) if (p.expiresAt <= now) this.#pending.delete(id);
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
