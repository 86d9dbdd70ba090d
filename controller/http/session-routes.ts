/**
 * Signing in and out (the staff console and the manager dashboard), and managers' care of accounts.
 *
 *   POST   /api/session            {username, password, counterId?} → sets the session cookie
 *   GET    /api/session            the signed-in user (null when nobody is)
 *   DELETE /api/session            signs out (and leaves the counter)
 *   POST   /api/session/activity   the page saw the user act (a key, a tap): the idle time restarts
 *   GET    /api/accounts           manager: every account, without hashes
 *   PUT    /api/accounts/:username manager: create or replace {name, role, staffId?, password}
 *   DELETE /api/accounts/:username manager
 *   GET    /api/audit              manager: the latest audit entries
 */
import type { IncomingMessage } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  ACCOUNT_ROLES,
  type AccountStore,
  passwordProblem,
  usernameSchema,
} from '../accounts/account-store.ts';
import type { AuditLog } from '../accounts/audit-log.ts';
import type { LoginThrottle } from '../accounts/login-throttle.ts';
import { SESSION_HOURS, type Session, type Sessions } from '../accounts/sessions.ts';
import type { SignInFailures } from '../accounts/sign-in-failures.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { AccessPolicy, Principal } from './access.ts';
import type { Guard } from './api.ts';
import { auditedForEveryone } from './command-routes.ts';
import { HttpError, validationError } from './errors.ts';
import { SESSION_COOKIE, sessionToken } from './session-access.ts';

export interface SessionRouterOptions {
  access: AccessPolicy;
  guard: Guard;
  queue: QueueService;
  accounts: AccountStore;
  sessions: Sessions;
  throttle: LoginThrottle;
  /** Failed sign-ins, written to the audit log as periodic summaries (not one line per guess). */
  failures: SignInFailures;
  audit: AuditLog;
}

const signInSchema = z.strictObject({
  username: z.string().min(1).max(40),
  password: z.string().min(1).max(128),
  counterId: z.string().min(1).max(40).optional(),
});

const accountSchema = z.strictObject({
  name: z.string().trim().min(1).max(80),
  role: z.enum(ACCOUNT_ROLES),
  staffId: z.string().min(1).optional(),
  password: z.string(),
});

/** The user as the pages see it (session.ts in display/src/shared). */
export function userOf(principal: Principal) {
  return {
    username: principal.id,
    name: principal.name ?? principal.id,
    role: principal.roles.includes('manager') ? ('manager' as const) : ('staff' as const),
    staffId: principal.staffId ?? null,
    counterId: principal.counterId ?? null,
  };
}

export function createSessionRouter(options: SessionRouterOptions): Router {
  const { accounts, sessions, throttle, failures, audit, queue, guard } = options;
  const router = express.Router();

  // What restarts a session's idle time is the user acting: a command (any method but GET), or the
  // page reporting a key or a tap (POST /session/activity). Reading, polling and the live socket do
  // not, so a dashboard left open on a screen still signs itself out.
  router.use((req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') sessions.touch(sessionToken(req));
    next();
  });

  router.post('/session/activity', (req, res) => {
    const session = sessions.get(sessionToken(req));
    if (session) {
      res.json({ endsAt: sessions.endsAt(session) });
      return;
    }
    // A caller known otherwise (open access in tests, a kiosk) has no session to keep alive.
    const principal = options.access.identify(req);
    if (!principal || principal.anonymous)
      throw new HttpError(401, 'unauthenticated', 'signed out: sign in again');
    res.json({ endsAt: null });
  });

  router.post('/session', async (req, res) => {
    const parsed = signInSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const { username, password, counterId } = parsed.data;
    // The address the connection comes from (no proxy is trusted: the controller is reached directly).
    const address = req.socket.remoteAddress ?? 'unknown';
    const { retryAfterMs, delayMs } = throttle.attempt(username, address);
    if (retryAfterMs > 0) {
      failures.record(username, address, Date.now());
      res.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
      throw new HttpError(
        429,
        'tooManyAttempts',
        `too many wrong passwords: try again in ${Math.ceil(retryAfterMs / 1000)} s`,
      );
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const account = await accounts.verify(username, password);
    if (!account) {
      failures.record(username, address, Date.now());
      throw new HttpError(401, 'badCredentials', 'wrong user name or password');
    }
    throttle.succeeded(username, address);
    let counter: string | null = null;
    if (counterId) {
      if (!account.staffId) {
        throw new HttpError(422, 'invalid', 'this account is not a staff member and cannot take a counter');
      }
      // Taking the counter is an engine command like any other: journaled, seen by devices and screens.
      const outcome = await queue.submit({
        type: 'login',
        counterId,
        staffId: account.staffId,
        by: account.username,
      });
      if (outcome.error) throw outcome.error;
      counter = counterId;
    } else if (account.role === 'staff') {
      throw new HttpError(400, 'invalidRequest', 'invalid request: counterId: choose the counter you sit at');
    }
    const { token, session } = await sessions.create({
      username: account.username,
      role: account.role,
      staffId: account.staffId ?? null,
      counterId: counter,
    });
    await audit.append({
      at: new Date().toISOString(),
      by: account.username,
      action: 'sign in',
      status: 200,
      ...(counter ? { details: { counterId: counter } } : {}),
    });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: SESSION_HOURS * 3_600_000,
    });
    res.json({
      user: {
        username: account.username,
        name: account.name,
        role: account.role,
        staffId: session.staffId,
        counterId: session.counterId,
      },
    });
  });

  // Anonymous screens ask too: they get `user: null`, not an error.
  router.get('/session', (req, res) => {
    const principal = options.access.identify(req);
    if (!principal || principal.anonymous) {
      res.json({ user: null });
      return;
    }
    // When the session ends unless the user acts (reading this does not count as acting).
    const session = sessions.get(sessionToken(req));
    res.json({ user: userOf(principal), ...(session ? { endsAt: sessions.endsAt(session) } : {}) });
  });

  router.delete('/session', async (req, res) => {
    const token = sessionToken(req);
    const session = token ? await sessions.end(token) : null;
    if (session?.counterId && session.staffId) {
      // Leave the counter only if this person still holds it (a manager may have closed it meanwhile).
      const live = queue.state.counters[session.counterId];
      if (live?.staffId === session.staffId && !live.currentTicketId) {
        const outcome = await queue.submit({
          type: 'logout',
          counterId: session.counterId,
          by: session.username,
        });
        if (outcome.error) throw outcome.error;
      }
    }
    if (session) {
      await audit.append({
        at: new Date().toISOString(),
        by: session.username,
        action: 'sign out',
        status: 200,
      });
    }
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.json({ ok: true });
  });

  router.get('/accounts', guard(['manager']), (_req, res) => {
    res.json({ accounts: accounts.list() });
  });

  router.put('/accounts/:username', guard(['manager']), async (req: Request<{ username: string }>, res) => {
    const name = usernameSchema.safeParse(req.params.username);
    if (!name.success) throw validationError(name.error);
    const parsed = accountSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const input = parsed.data;
    const problem = passwordProblem(input.role, input.password);
    if (problem) throw new HttpError(400, 'invalidRequest', `invalid request: password: ${problem}`);
    if (input.role === 'staff' && !input.staffId) {
      throw new HttpError(
        400,
        'invalidRequest',
        'invalid request: staffId: a staff account names its staff member',
      );
    }
    if (input.staffId && !queue.config.staff.some((s) => s.id === input.staffId)) {
      throw new HttpError(404, 'notFound', `staff member "${input.staffId}" not found`);
    }
    const existed = accounts.find(name.data) !== undefined;
    const account = await accounts.put({ ...input, username: name.data });
    // A new password ends the sessions made with the old one.
    if (existed) await sessions.endAllOf(name.data, 'passwordChanged');
    res.status(existed ? 200 : 201).json({ account });
  });

  router.delete(
    '/accounts/:username',
    guard(['manager']),
    async (req: Request<{ username: string }>, res) => {
      if (req.params.username === res.locals.principal.id) {
        throw new HttpError(409, 'conflict', 'you cannot remove your own account');
      }
      if (!(await accounts.remove(req.params.username))) {
        throw new HttpError(404, 'notFound', `account "${req.params.username}" not found`);
      }
      await sessions.endAllOf(req.params.username, 'removed');
      res.json({ ok: true });
    },
  );

  router.get('/audit', guard(['manager']), async (req, res) => {
    const limit = z.coerce.number().int().min(1).max(1000).default(200).safeParse(req.query.limit);
    if (!limit.success) throw validationError(limit.error);
    res.json({ entries: await audit.latest(limit.data) });
  });

  return router;
}

/**
 * Records every change a manager makes through the API (any method but GET), with its outcome,
 * once the answer is known (or the caller has gone); and the commands audited for everyone (a paper
 * rating: who entered it, for which visit, and whether it was taken). Sign-ins and sign-outs are recorded by the session routes themselves.
 */
export function auditManagerActions(audit: AuditLog, logFailure: (error: unknown) => void) {
  return (req: IncomingMessage & Request, res: Response, next: () => void) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.path.startsWith('/session')) return next();
    const everyone = auditedForEveryone(req.path);
    // 'close' comes after the answer, and also when the client went away first: the action counts.
    res.once('close', () => {
      const principal = res.locals.principal as Principal | undefined;
      if (!principal || (!principal.roles.includes('manager') && !everyone)) return;
      const body =
        req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? req.body : undefined;
      audit
        .append({
          at: new Date().toISOString(),
          by: principal.id,
          action: `${req.method} ${req.originalUrl}`,
          status: res.statusCode,
          ...(body && Object.keys(body).length ? { details: body as Record<string, unknown> } : {}),
        })
        .catch(logFailure);
    });
    next();
  };
}

/**
 * A staff member whose session ended without signing out (idle, or the account removed) leaves the
 * counter they signed in to, as signing out does: unless a citizen is at it (the visit stays theirs to
 * finish, and a manager can see it), or another session of theirs still holds it. Otherwise the
 * counter would stay open and staffed on every screen, in every wait estimate, and refuse the next
 * person who signs in there.
 */
export async function leaveCountersOf(
  queue: QueueService,
  sessions: Sessions,
  ended: readonly Session[],
): Promise<void> {
  for (const s of ended) {
    if (!s.counterId || !s.staffId) continue;
    const live = queue.state.counters[s.counterId];
    if (live?.staffId !== s.staffId || live.currentTicketId) continue;
    if (sessions.liveOf(s.username).some((o) => o.counterId === s.counterId)) continue;
    const outcome = await queue.submit({ type: 'logout', counterId: s.counterId, by: 'system' });
    if (outcome.error) throw outcome.error;
  }
}
