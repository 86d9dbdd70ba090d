/**
 * The citizen's own ticket, reached through the unguessable link printed in its QR code
 * (`/t/<ticket id>/<link key>`): the ticket's full view with its rating, and the rating itself.
 *
 * Anyone may call these (the citizen has no account); the link key is what authorises. A guessed id
 * without its key gets 403 whether or not the ticket exists. `GET /api/tickets/:ticketId` (api.ts)
 * stays the public place in line, which the queue screens show anyway, so old printed links
 * (`/t/<id>`) keep showing where the ticket stands, and nothing more.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { own } from '../core/own.ts';
import type { DeviceService } from '../device-service/device-service.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { ticketHolderView } from '../queue/views.ts';
import type { Guard } from './api.ts';
import { HttpError, validationError } from './errors.ts';

export interface TicketLinkRouterOptions {
  queue: QueueService;
  deviceService: () => DeviceService | null;
  guard: Guard;
  clock?: () => number;
}

const ANYONE = ['public', 'kiosk', 'device', 'staff', 'manager'] as const;
/** 22 base64url characters: 128 bits. */
const linkKey = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'not a ticket link key');
const holderBody = z.strictObject({ key: linkKey });
const ratingBody = z.strictObject({
  key: linkKey,
  level: z.number().int().min(1).max(5),
  requestId: z.string().min(1).max(120).optional(),
});

export function createTicketLinkRouter({
  queue,
  deviceService,
  guard,
  clock = Date.now,
}: TicketLinkRouterOptions): Router {
  const router = express.Router();

  /** The body, checked; then the key against the ticket id (403 for any wrong key, existing ticket or not). */
  function authorised<T extends z.ZodType<{ key: string }>>(
    req: Request<{ ticketId: string }>,
    schema: T,
  ): z.infer<T> {
    const parsed = schema.safeParse(req.body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    const devices = deviceService();
    if (!devices) throw new HttpError(503, 'unavailable', 'the controller is starting');
    if (!devices.ticketLinkKeyMatches(req.params.ticketId, parsed.data.key)) {
      throw new HttpError(403, 'badTicketLink', 'this link does not belong to that ticket');
    }
    return parsed.data;
  }

  function holderView(ticketId: string) {
    const t = own(queue.state.tickets, ticketId);
    if (!t) throw new HttpError(404, 'notFound', `ticket "${ticketId}" not found (today's tickets only)`);
    return ticketHolderView(queue.config, queue.state, t, clock());
  }

  router.post('/tickets/:ticketId/holder', guard(ANYONE), (req: Request<{ ticketId: string }>, res) => {
    authorised(req, holderBody);
    res.json(holderView(req.params.ticketId));
  });

  router.post('/tickets/:ticketId/rating', guard(ANYONE), async (req: Request<{ ticketId: string }>, res) => {
    const { level, requestId } = authorised(req, ratingBody);
    const outcome = await queue.submit({
      type: 'rateTicket',
      ticketId: req.params.ticketId,
      level,
      ...(requestId ? { requestId: `ticket:${req.params.ticketId}:${requestId}` } : {}),
    });
    if (outcome.error) throw outcome.error;
    res.json(holderView(req.params.ticketId));
  });

  return router;
}
