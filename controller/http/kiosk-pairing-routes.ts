/**
 * Registering kiosks (issue 13): a kiosk screen asks to be paired and shows a code; a manager
 * confirms the code on the dashboard; the kiosk then receives its own credential as an HttpOnly
 * cookie. Managers list and revoke kiosks.
 *
 *   POST   /api/kiosk-pairings                 anyone {dispenserId} → {pairingId, code, secret, expiresInSeconds}
 *   POST   /api/kiosk-pairings/claim           the kiosk {pairingId, secret} → 202 pending | 200 paired (+ cookie)
 *   GET    /api/kiosk-pairings                 manager: pairings waiting for confirmation
 *   POST   /api/kiosk-pairings/confirm         manager {code} → 201 {kiosk}
 *   GET    /api/kiosk-credentials              manager: every kiosk, revoked ones too (never a token)
 *   DELETE /api/kiosk-credentials/:id          manager: revoke at once
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { QueueService } from '../queue/queue-service.ts';
import type { KioskCredentials } from '../security/kiosk-credentials.ts';
import type { KioskPairing } from '../security/kiosk-pairing.ts';
import type { RateLimit } from '../security/rate-limit.ts';
import type { Principal } from './access.ts';
import type { Guard } from './api.ts';
import { HttpError, validationError } from './errors.ts';
import { KIOSK_COOKIE } from './session-access.ts';

export interface KioskPairingRouterOptions {
  queue: QueueService;
  kiosks: KioskCredentials;
  pairing: KioskPairing;
  guard: Guard;
  /** New pairing requests per address. */
  requests: RateLimit;
  clock?: () => number;
  /** Called when a kiosk's credential is revoked (its live connections are closed). */
  onRevoked?: (kioskId: string) => void;
}

/** Browsers keep a cookie at most 400 days; a kiosk is paired again after that. */
const KIOSK_COOKIE_MS = 400 * 24 * 3_600_000;

const requestBody = z.strictObject({ dispenserId: z.string().min(1).max(80) });
const claimBody = z.strictObject({ pairingId: z.string().min(1).max(40), secret: z.string().min(1).max(64) });
const confirmBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'must be the 6 digits shown on the kiosk'),
});

const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
};

export function createKioskPairingRouter(options: KioskPairingRouterOptions): Router {
  const { queue, kiosks, pairing, guard, requests } = options;
  const clock = options.clock ?? Date.now;
  const router = express.Router();

  router.post('/kiosk-pairings', (req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    const wait = requests.take(address, clock());
    if (wait > 0) {
      res.set('retry-after', String(Math.ceil(wait / 1000)));
      throw new HttpError(
        429,
        'tooManyRequests',
        'too many pairing requests from this address: wait a little',
      );
    }
    const { dispenserId } = parse(requestBody, req.body);
    if (!queue.config.devices.some((d) => d.id === dispenserId && d.type === 'dispenser')) {
      throw new HttpError(404, 'notFound', `dispenser "${dispenserId}" not found`);
    }
    const made = pairing.request(dispenserId, address, clock());
    if (!made)
      throw new HttpError(
        429,
        'tooManyRequests',
        'too many kiosks are waiting to be paired: try again later',
      );
    res.status(201).json({
      pairingId: made.id,
      code: made.code,
      secret: made.secret,
      dispenserId,
      expiresInSeconds: Math.round((made.expiresAt - clock()) / 1000),
    });
  });

  router.post('/kiosk-pairings/claim', (req, res) => {
    const { pairingId, secret } = parse(claimBody, req.body);
    const claimed = pairing.claim(pairingId, secret, clock());
    if (claimed.status === 'unknown') {
      throw new HttpError(
        404,
        'notFound',
        'no such pairing (expired, or claimed already): ask for a new code',
      );
    }
    if (claimed.status === 'pending') {
      res
        .status(202)
        .json({ status: 'pending', expiresInSeconds: Math.round((claimed.expiresAt - clock()) / 1000) });
      return;
    }
    res.cookie(KIOSK_COOKIE, claimed.token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: req.secure,
      path: '/',
      maxAge: KIOSK_COOKIE_MS,
    });
    res.json({ status: 'paired', dispenserId: claimed.dispenserId });
  });

  router.get('/kiosk-pairings', guard(['manager']), (_req, res) => {
    res.json({
      pairings: pairing.waiting(clock()).map((p) => ({
        code: p.code,
        dispenserId: p.dispenserId,
        address: p.address,
        requestedAt: new Date(p.requestedAt).toISOString(),
      })),
    });
  });

  router.post('/kiosk-pairings/confirm', guard(['manager']), async (req, res) => {
    const { code } = parse(confirmBody, req.body);
    const principal: Principal = res.locals.principal;
    const waiting = pairing.byCode(code, clock());
    if (!waiting) throw new HttpError(404, 'notFound', `no kiosk is waiting with code ${code}`);
    const { token, kiosk } = await kiosks.issue(waiting.dispenserId, principal.id);
    pairing.confirm(waiting.id, token, clock());
    res.status(201).json({ kiosk });
  });

  router.get('/kiosk-credentials', guard(['manager']), (_req, res) => {
    res.json({ kiosks: kiosks.list() });
  });

  router.delete('/kiosk-credentials/:id', guard(['manager']), async (req: Request<{ id: string }>, res) => {
    const principal: Principal = res.locals.principal;
    const revoked = await kiosks.revoke(req.params.id, principal.id);
    if (!revoked) throw new HttpError(404, 'notFound', `no active kiosk "${req.params.id}"`);
    options.onRevoked?.(revoked.id);
    res.json({ kiosk: revoked });
  });

  return router;
}
