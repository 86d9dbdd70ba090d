/**
 * API errors: JSON `{ error: { code, reason?, message, text, details? } }` with the status that
 * fits. `message` is English, for logs and developers; `text` is Vietnamese, for the people at a
 * screen, from the one table devices use too (peopleText in controller/devices/device-texts.ts).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { CommandError } from '../core/errors.ts';
import { peopleText } from '../devices/device-texts.ts';
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

export const notFoundRoute: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'notFound', `no such endpoint: ${req.method} ${req.path}`));
};

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
