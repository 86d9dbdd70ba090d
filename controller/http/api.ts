/** The HTTP API: command endpoints from the route table, and read endpoints over the live views. */
import express, { type Request, type RequestHandler, type Router } from 'express';
import { commandSchemas } from '../core/commands.ts';
import { own } from '../core/own.ts';
import { ratingsBySource, satisfaction } from '../core/satisfaction.ts';
import type { Ticket } from '../core/types.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { centreView, counterQueueView, paperRateableVisits, queueView, ticketView } from '../queue/views.ts';
import { type AccessPolicy, allows, type Principal, type Role } from './access.ts';
import { checkCallerScope } from './caller-scope.ts';
import { COMMAND_ROUTES } from './command-routes.ts';
import { HttpError, validationError } from './errors.ts';

export interface ApiOptions {
  queue: QueueService;
  access: AccessPolicy;
  /** Prints a ticket on a dispenser (MQTT or serial); absent where no devices run. */
  print?: (deviceId: string, ticket: Ticket) => void;
  /** Whether a dispenser's printer can print now (paper, cover, online). */
  canPrint?: (deviceId: string) => boolean;
  clock?: () => number;
}

const READ: readonly Role[] = ['public', 'kiosk', 'device', 'staff', 'manager'];

export type Guard = (roles: readonly Role[]) => RequestHandler;

/** The check in front of every route: who is calling, and may they. */
export function guardWith(access: AccessPolicy): Guard {
  return (roles) => (req, res, next) => {
    const principal = access.identify(req);
    if (!principal || (principal.anonymous && !allows(principal, roles))) {
      return next(new HttpError(401, 'unauthenticated', 'sign in first'));
    }
    if (!allows(principal, roles)) {
      return next(new HttpError(403, 'forbidden', `this needs one of the roles: ${roles.join(', ')}`));
    }
    res.locals.principal = principal;
    next();
  };
}

export function createApiRouter({ queue, access, print, canPrint, clock = Date.now }: ApiOptions): Router {
  const router = express.Router();
  const guard = guardWith(access);

  for (const route of COMMAND_ROUTES) {
    router.post(route.path, guard(route.roles), async (req, res) => {
      const schema = commandSchemas[route.command];
      const body = req.body === undefined ? {} : req.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        throw new HttpError(400, 'invalidRequest', 'request body must be a JSON object');
      }
      const principal: Principal = res.locals.principal;
      checkCallerScope(principal, route.command, req.params, body as Record<string, unknown>, queue.state);
      // A kiosk page names the dispenser whose printer should print the new ticket (not an engine matter).
      const { printAt, ...fields } = body as { printAt?: unknown };
      if (
        printAt !== undefined &&
        (route.command !== 'issueTicket' || typeof printAt !== 'string' || !print)
      ) {
        throw new HttpError(
          400,
          'invalidRequest',
          'invalid request: printAt: only a dispenser id, when issuing a ticket',
        );
      }
      const printer =
        typeof printAt === 'string' ? queue.config.devices.find((d) => d.id === printAt) : undefined;
      if (typeof printAt === 'string' && printer?.type !== 'dispenser') {
        throw new HttpError(404, 'notFound', `dispenser "${printAt}" not found`);
      }
      // Refused before the ticket exists, as the dispenser's own button is: no number without paper.
      if (printer && canPrint && !canPrint(printer.id)) {
        throw new HttpError(
          409,
          'printerUnavailable',
          `the printer of dispenser "${printer.id}" cannot print now (out of paper, cover open or offline)`,
        );
      }
      const parsed = schema.safeParse({
        ...fields,
        ...(printer ? { printAt: printer.id } : {}),
        ...req.params,
        type: route.command,
        by: principal.id,
      });
      if (!parsed.success) throw validationError(parsed.error);
      // Each caller's request ids are its own: nobody can pre-empt a device's or another caller's.
      const command = parsed.data.requestId
        ? { ...parsed.data, requestId: `http:${principal.id}:${parsed.data.requestId}` }
        : parsed.data;
      const outcome = await queue.submit(command);
      if (outcome.error) throw outcome.error;
      // 201 when something was created now; a repeated requestId gets 200 and the first answer.
      const created = route.status === 201 && outcome.events.some((e) => e.type !== 'dayStarted');
      if (printer && outcome.ticket && created) print?.(printer.id, outcome.ticket);
      res.status(created ? 201 : 200).json({
        ticket: outcome.ticket ? ticketView(queue.config, queue.state, outcome.ticket, clock()) : null,
        events: outcome.events,
      });
    });
  }

  router.get('/queue', guard(READ), (_req, res) => {
    res.json(queueView(queue.config, queue.state, clock()));
  });

  router.get('/tickets/:ticketId', guard(READ), (req: Request<{ ticketId: string }>, res) => {
    const t = own(queue.state.tickets, req.params.ticketId);
    if (!t)
      throw new HttpError(
        404,
        'notFound',
        `ticket "${req.params.ticketId}" not found (today's tickets only)`,
      );
    res.json(ticketView(queue.config, queue.state, t, clock()));
  });

  router.get('/counters/:counterId/queue', guard(READ), (req: Request<{ counterId: string }>, res) => {
    const { counterId } = req.params;
    if (!queue.config.counters.some((c) => c.id === counterId)) {
      throw new HttpError(404, 'notFound', `counter "${counterId}" not found`);
    }
    res.json({ counterId, tickets: counterQueueView(queue.config, queue.state, counterId, clock()) });
  });

  // What the staff console offers for a paper rating form: this counter's unrated visits of today.
  router.get(
    '/counters/:counterId/paper-rating',
    guard(['staff', 'manager']),
    (req: Request<{ counterId: string }>, res) => {
      const { counterId } = req.params;
      if (!queue.config.counters.some((c) => c.id === counterId)) {
        throw new HttpError(404, 'notFound', `counter "${counterId}" not found`);
      }
      checkCallerScope(res.locals.principal, 'recordPaperRating', { counterId }, {}, queue.state);
      res.json({ counterId, visits: paperRateableVisits(queue.config, queue.state, counterId) });
    },
  );

  router.get('/satisfaction', guard(['staff', 'manager']), (_req, res) => {
    const scale = queue.config.ratings.scale;
    res.json({
      day: queue.state.day,
      scale: scale.map((l) => l.label),
      targetRate: 0.95,
      ...satisfaction(Object.values(queue.state.tickets), scale.length),
      bySource: ratingsBySource(Object.values(queue.state.tickets)),
      withPaper: satisfaction(Object.values(queue.state.tickets), scale.length, 'withPaper'),
    });
  });

  router.get('/follow-ups', guard(['manager']), (_req, res) => {
    res.json({ followUps: Object.values(queue.state.followUps) });
  });

  router.get('/appointments', guard(['staff', 'manager']), (_req, res) => {
    res.json({ appointments: Object.values(queue.state.appointments) });
  });

  router.get('/centre', guard(READ), (_req, res) => {
    res.json(centreView(queue.config));
  });

  return router;
}
