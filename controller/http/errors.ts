/**
 * API errors: JSON `{ error: { code, reason?, message, text, details? } }` with the status that
 * fits. `message` is English, for logs and developers; `text` is Vietnamese, for the people at a
 * screen, from the one table devices use too (peopleText in devices/texts.ts).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { peopleText } from '../../devices/texts.ts';
import { CommandError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';
import { QueueUnavailableError } from '../queue/queue-service.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Why, more precisely than `code` (a refusal reason of the engine). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

const COMMAND_STATUS = { notFound: 404, conflict: 409, invalid: 422 } as const;

export function validationError(error: z.ZodError): HttpError {
  const details = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
  return new HttpError(400, 'invalidRequest', `invalid request: ${summary}`, details);
}

/**
 * An unknown address. A browser asking for a page (`/nothing`, `/t/`) gets a Vietnamese page with a
 * way back; API clients (anything under /api, or not asking for HTML) get the JSON error.
 */
export const notFoundRoute: RequestHandler = (req, res, next) => {
  const wantsPage =
    (req.method === 'GET' || req.method === 'HEAD') &&
    !req.path.startsWith('/api/') &&
    req.accepts(['json', 'html']) === 'html';
  if (!wantsPage) {
    next(new HttpError(404, 'notFound', `no such endpoint: ${req.method} ${req.path}`));
    return;
  }
  res
    .status(404)
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .set('cache-control', 'no-cache')
    .type('html')
    .send(notFoundPage(req.path));
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a browser gets for an unknown address: Vietnamese first, self-contained. */
export function notFoundPage(path: string): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Không tìm thấy trang</title>
<style>
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #eef1f6;
    color: #14213d; font-family: system-ui, sans-serif; }
  main { max-width: 36rem; margin: 1.5rem; padding: 2rem 2.5rem; border-radius: 12px; background: #fff;
    border-top: 6px solid #b3261e; box-shadow: 0 2px 8px rgb(20 33 61 / 12%); }
  h1 { margin: 0 0 0.75rem; font-size: 1.75rem; color: #b3261e; }
  p { margin: 0.5rem 0; line-height: 1.5; font-size: 1.1rem; }
  code { overflow-wrap: anywhere; }
  .en { color: #5b6577; font-size: 0.95rem; }
  a { display: inline-block; margin-top: 1rem; padding: 0.6rem 1.2rem; border-radius: 8px; background: #14213d;
    color: #fff; text-decoration: none; font-weight: 600; }
</style>
</head>
<body>
<main>
<h1>Không tìm thấy trang</h1>
<p>Địa chỉ <code>${escapeHtml(path)}</code> không có trên hệ thống xếp hàng này. Vui lòng kiểm tra lại đường dẫn, hoặc quét lại mã QR trên vé.</p>
<p class="en">Page not found: there is no such page on this queue system.</p>
<a href="/">Về trang chủ</a>
</main>
</body>
</html>
`;
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    let http: HttpError;
    if (error instanceof HttpError) http = error;
    else if (error instanceof CommandError)
      http = new HttpError(COMMAND_STATUS[error.code], error.code, error.message, undefined, error.reason);
    else if (error instanceof QueueUnavailableError) http = new HttpError(503, 'unavailable', error.message);
    else if (error?.type === 'entity.parse.failed')
      http = new HttpError(400, 'invalidJson', `request body is not valid JSON: ${error.message}`);
    else if (error instanceof URIError)
      http = new HttpError(400, 'invalidRequest', `the address is not valid: ${error.message}`);
    else if (error?.type === 'entity.too.large')
      http = new HttpError(413, 'tooLarge', 'request body is too large');
    else {
      logger.error({ err: error, method: req.method, path: req.path }, 'unexpected error in HTTP request');
      http = new HttpError(500, 'internal', 'internal error; see the controller log');
    }
    const body = {
      code: http.code,
      ...(http.reason !== undefined ? { reason: http.reason } : {}),
      message: http.message,
      text: peopleText(http.code, http.reason),
      details: http.details,
    };
    res.status(http.status).json({ error: body });
  };
}
