/**
 * Who may do what. Every API route names the roles allowed to use it; the policy decides who the
 * caller is. In the running controller that is SessionAccess (session-access.ts): anonymous callers
 * (hall TV, a citizen's phone) are 'public' only, a registered kiosk (its own credential, issued by
 * pairing or `npm run kiosk-token`) 'public' + 'kiosk' for its one dispenser, signed-in staff
 * 'staff', managers 'manager' + 'staff'. Tests of other parts use openAccess, where every caller may act as any role.
 */
import type { IncomingMessage } from 'node:http';

export const ROLES = ['public', 'kiosk', 'device', 'staff', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Recorded as `by` on the events this caller causes (an account's username). */
  id: string;
  roles: readonly Role[];
  /** Shown on screens. */
  name?: string;
  /** Not signed in: a refusal asks to sign in (401) rather than saying "not allowed" (403). */
  anonymous?: boolean;
  /** The staff member the account acts as, and the counter they signed in to. */
  staffId?: string | null;
  counterId?: string | null;
  /** A registered kiosk: the dispenser it acts as (it may act as no other). */
  dispenserId?: string;
}

/** A registered kiosk and nothing more (not staff, not a device, not open access). */
export function kioskOnly(principal: Principal): boolean {
  return (
    principal.roles.includes('kiosk') &&
    !principal.roles.some((r) => r === 'staff' || r === 'manager' || r === 'device')
  );
}

export interface AccessPolicy {
  /** The caller, or null when it could not be identified (→ 401). */
  identify(req: IncomingMessage): Principal | null;
}

export const openAccess: AccessPolicy = {
  identify: () => ({ id: 'http', name: 'Open access', roles: ROLES }),
};

export function allows(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((r) => principal.roles.includes(r));
}
