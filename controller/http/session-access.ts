/** The access policy of the running controller: the session cookie says who is calling. */
import type { IncomingMessage } from 'node:http';
import type { Sessions } from '../accounts/sessions.ts';
import type { AccessPolicy, Principal } from './access.ts';

export const SESSION_COOKIE = 'qms_session';

const ANONYMOUS: Principal = { id: 'public', roles: ['public', 'kiosk'], anonymous: true };

export class SessionAccess implements AccessPolicy {
  constructor(
    readonly sessions: Sessions,
    readonly nameOf: (username: string) => string | undefined,
  ) {}

  identify(req: IncomingMessage): Principal {
    const session = this.sessions.get(sessionToken(req));
    // An account removed while one of its sign-ins was still being checked leaves no way in.
    const name = session ? this.nameOf(session.username) : undefined;
    if (!session || name === undefined) return ANONYMOUS;
    return {
      id: session.username,
      name,
      roles: session.role === 'manager' ? ['manager', 'staff'] : ['staff'],
      staffId: session.staffId,
      counterId: session.counterId,
    };
  }
}

export function sessionToken(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}
