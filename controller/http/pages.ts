/**
 * The screens: pages built by Vite into display/dist (`npm run build`, run by `npm start`), served
 * with a strict content policy — everything from the controller itself, nothing from the internet.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type RequestHandler, type Router } from 'express';

export const DIST_DIR = fileURLToPath(new URL('../../display/dist/', import.meta.url));

/**
 * Path → built page. `/t/<ticket id>/<key>` is the citizen page behind the ticket's QR code;
 * `/t/<ticket id>` (links printed before the key) shows the public place in line only.
 */
export const PAGE_ROUTES: Record<string, string> = {
  '/': 'index',
  '/hall': 'hall',
  '/kiosk': 'kiosk',
  '/staff': 'staff',
  '/manager': 'manager',
  '/reports': 'reports',
  '/t/:ticketId': 'ticket',
  '/t/:ticketId/:linkKey': 'ticket',
};

const CONTENT_POLICY = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: data:",
  "connect-src 'self' ws: wss:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
].join('; ');

export function createPagesRouter(distDir = DIST_DIR): Router {
  const router = express.Router();
  const secure: RequestHandler = (_req, res, next) => {
    res.set('content-security-policy', CONTENT_POLICY);
    res.set('x-content-type-options', 'nosniff');
    res.set('referrer-policy', 'no-referrer');
    next();
  };
  // Hashed file names: cached for good; pages themselves are always checked again.
  router.use('/assets', secure, express.static(join(distDir, 'assets'), { immutable: true, maxAge: '365d' }));
  // Browsers ask for it on every page; the screens have none (answering 204 keeps their consoles clean).
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  for (const [path, page] of Object.entries(PAGE_ROUTES)) {
    const file = join(distDir, `${page}.html`);
    router.get(path, secure, (_req, res) => {
      if (!existsSync(file)) {
        res
          .status(503)
          .type('text/plain')
          .send('The screens are not built yet: run "npm run build" (npm start does it).\n');
        return;
      }
      res.set('cache-control', 'no-cache');
      res.sendFile(file);
    });
  }
  return router;
}
