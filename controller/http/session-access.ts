/**
 * The access policy of the running controller: the session cookie says who is calling; failing
 * that, a registered kiosk's credential (`Authorization: Bearer <token>`, or the kiosk cookie set
 * when the kiosk was paired); failing that, the caller is the public, who may only read.
 */
import type { IncomingMessage } from 'node:http';
import type { Sessions } from '../accounts/sessions.ts';
import { bearerToken, type KioskCredentials } from '../security/kiosk-credentials.ts';
import type { AccessPolicy, Principal } from './access.ts';

export const SESSION_COOKIE = 'qms_session';
export const KIOSK_COOKIE = 'qms_kiosk';

const ANONYMOUS: Principal = { id: 'public', roles: ['public'], anonymous: true };

export class SessionAccess implements AccessPolicy {
  constructor(
    readonly sessions: Sessions,
    readonly nameOf: (username: string) => string | undefined,
    readonly kiosks: KioskCredentials | null = null,
  ) {}

  identify(req: IncomingMessage): Principal {
    const session = this.sessions.get(sessionToken(req));
    // An account removed while one of its sign-ins was still being checked leaves no way in.
    const name = session ? this.nameOf(session.username) : undefined;
    if (!session || name === undefined) return this.#kiosk(req) ?? ANONYMOUS;
    return {
      id: session.username,
      name,
      roles: session.role === 'manager' ? ['manager', 'staff'] : ['staff'],
      staffId: session.staffId,
      counterId: session.counterId,
    };
  }

  #kiosk(req: IncomingMessage): Principal | null {
    if (!this.kiosks) return null;
    const token = bearerToken(req.headers.authorization) ?? cookie(req, KIOSK_COOKIE);
    const kiosk = this.kiosks.identify(token);
    if (!kiosk) return null;
    return {
      id: `kiosk:${kiosk.dispenserId}:${kiosk.id}`,
      name: kiosk.dispenserId,
      roles: ['public', 'kiosk'],
      dispenserId: kiosk.dispenserId,
    };
  }
}

export function sessionToken(req: IncomingMessage): string | undefined {
  return cookie(req, SESSION_COOKIE);
}

export function cookie(req: IncomingMessage, wanted: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== wanted) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined; // a malformed cookie is no credential
    }
  }
  return undefined;
}
