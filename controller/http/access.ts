/**
 * Who may do what. Every API route names the roles allowed to use it; the policy decides who the
 * caller is. Until staff and manager accounts arrive with the screens, the policy in force lets
 * every caller act as any role (the controller runs on the centre's own network) — changing that
 * means supplying another AccessPolicy, not editing routes.
 */
import type { Request } from 'express';

export const ROLES = ['public', 'kiosk', 'device', 'staff', 'manager'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** Recorded as `by` on the events this caller causes. */
  id: string;
  roles: readonly Role[];
}

export interface AccessPolicy {
  /** The caller, or null when it could not be identified (→ 401). */
  identify(req: Request): Principal | null;
}

export const openAccess: AccessPolicy = {
  identify: () => ({ id: 'http', roles: ROLES }),
};

export function allows(principal: Principal, roles: readonly Role[]): boolean {
  return roles.some((r) => principal.roles.includes(r));
}
