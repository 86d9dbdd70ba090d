/**
 * Kiosk pages: scans typed in by keyboard-mode scanners, and tickets taken on the touch screen.
 * A page belongs to a dispenser (`/kiosk?dispenser=kiosk-a`) and acts as that dispenser: its taps
 * and scans go through the same handlers as the dispenser's buttons and a kiosk scanner (held
 * identity for the zone, one active ticket per citizen, printing, paper check). Answers carry the
 * ticket as printed and never the citizen's key, name or ID number.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { DEVICE_LIMITS } from '../../devices/limits.ts';
import type { DeviceRefusal } from '../../devices/texts.ts';
import type { Device } from '../centre/schema.ts';
import { own } from '../core/own.ts';
import type { Ticket } from '../core/types.ts';
import type { DeviceService } from '../device-service/device-service.ts';
import type { Answer } from '../device-service/handlers/context.ts';
import type { PrintStatus } from '../device-service/print-outcomes.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { kioskOnly, type Principal, type Role } from './access.ts';
import type { Guard } from './api.ts';
import { HttpError, validationError } from './errors.ts';

export interface KioskRouterOptions {
  queue: QueueService;
  /** The device service, once started (the kiosk page's dispenser and scanner go through it). */
  deviceService: () => DeviceService | null;
  guard: Guard;
  clock?: () => number;
}

const ROLES: readonly Role[] = ['kiosk', 'staff', 'manager', 'device'];

// The page's own id for a request; namespaced per dispenser below, so it can only ever repeat
// that kiosk's requests (never fetch the ticket of a device's or another page's request).
const requestId = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');
const ref = z.string().min(1).max(80);

export const kioskScanBody = z.strictObject({ code: z.string().min(1).max(1000), requestId });
export const kioskTicketBody = z.strictObject({
  serviceId: ref,
  priorityClassId: ref.optional(),
  requestId,
});

/** HTTP status of a refusal the device handlers answer with. */
export function refusalStatus(reason: string): number {
  const status: Partial<Record<DeviceRefusal, number>> = {
    unknownService: 404,
    bookingNotFound: 404,
    unknownCode: 422,
    notHere: 422,
    invalid: 422,
    unavailable: 503,
    internal: 500,
  };
  return status[reason as DeviceRefusal] ?? 409;
}

/** A refused answer as the API's error: code = the reason, details.text = what the citizen reads. */
function refusal(answer: Extract<Answer, { status: 'error' }>): HttpError {
  const { code, message, text } = answer.error;
  return new HttpError(refusalStatus(code), code, message, { text });
}

/**
 * The ticket as the citizen holds it: the printed figures, the link of the QR code, and what became
 * of its paper (`printing`, `printed`, `failed`, `notPrinted`), which the page shows the citizen.
 */
function kioskTicket(ticket: Ticket, link: string, print: PrintStatus) {
  return {
    id: ticket.id,
    label: ticket.label,
    serviceId: ticket.serviceId,
    source: ticket.source,
    priorityClassId: ticket.priorityClassId ?? null,
    appointment: ticket.appointment ?? null,
    peopleAhead: ticket.peopleAheadAtIssue,
    estimatedWaitMinutes: ticket.estimatedWaitMinutesAtIssue,
    /** The range given at issue (wait-estimate.ts), null when no open counter served the service. */
    estimatedWait:
      ticket.estimatedWaitMinutesAtIssue !== null && ticket.estimatedWaitRangeAtIssue
        ? {
            minutes: ticket.estimatedWaitMinutesAtIssue,
            low: ticket.estimatedWaitRangeAtIssue[0],
            high: ticket.estimatedWaitRangeAtIssue[1],
          }
        : null,
    issuedAt: ticket.issuedAt,
    link,
    print,
  };
}

export type KioskTicket = ReturnType<typeof kioskTicket>;

export function createKioskRouter({ queue, deviceService, guard }: KioskRouterOptions): Router {
  const router = express.Router();
  type Params = Request<{ dispenserId: string }>;

  const dispenserOf = (req: Params, principal: Principal): { dispenser: Device; devices: DeviceService } => {
    const { dispenserId } = req.params;
    // A registered kiosk acts as its own dispenser only (a stolen kiosk's credential reaches no other).
    if (
      kioskOnly(principal) &&
      principal.dispenserId !== undefined &&
      principal.dispenserId !== dispenserId
    ) {
      throw new HttpError(
        403,
        'forbidden',
        `this kiosk is registered for dispenser "${principal.dispenserId}"`,
      );
    }
    const dispenser = queue.config.devices.find((d) => d.id === dispenserId && d.type === 'dispenser');
    if (!dispenser) throw new HttpError(404, 'notFound', `dispenser "${dispenserId}" not found`);
    const devices = deviceService();
    if (!devices) throw new HttpError(503, 'unavailable', 'the devices are not running yet');
    return { dispenser, devices };
  };

  const parse = <T>(schema: z.ZodType<T>, body: unknown): T => {
    const parsed = schema.safeParse(body ?? {});
    if (!parsed.success) throw validationError(parsed.error);
    return parsed.data;
  };

  const ticketAnswer = (devices: DeviceService, ticketId: unknown) => {
    const ticket = own(queue.state.tickets, String(ticketId));
    if (!ticket) throw new HttpError(500, 'internal', 'the new ticket is not in the queue');
    // No outcome: printed too long ago to be remembered, or never sent (a ticket from elsewhere).
    const print = devices.printOutcome(ticket.id)?.status ?? 'notPrinted';
    return kioskTicket(ticket, devices.ticketLink(ticket), print);
  };

  router.get('/kiosks/:dispenserId', guard(ROLES), (req: Params, res) => {
    const { dispenser, devices } = dispenserOf(req, res.locals.principal);
    const config = queue.config;
    res.json({
      dispenserId: dispenser.id,
      zoneId: dispenser.zoneId ?? null,
      zoneName: config.zones.find((z) => z.id === dispenser.zoneId)?.name ?? null,
      // As on the dispenser's own buttons: the services of its zone, or all of them.
      serviceIds: config.services
        .filter((s) => !dispenser.zoneId || !s.zoneId || s.zoneId === dispenser.zoneId)
        .map((s) => s.id),
      canPrint: devices.canPrint(dispenser.id),
      holdSeconds: DEVICE_LIMITS.kioskHoldMs / 1000,
    });
  });

  router.post('/kiosks/:dispenserId/scan', guard(ROLES), async (req: Params, res) => {
    const { dispenser, devices } = dispenserOf(req, res.locals.principal);
    const body = parse(kioskScanBody, req.body);
    const answer = await devices.kioskScan(dispenser, body.code, `kiosk:${dispenser.id}:${body.requestId}`);
    if (answer.status === 'error') throw refusal(answer);
    if (answer.data?.ticketId !== undefined) {
      res.json({ result: 'ticket', ticket: ticketAnswer(devices, answer.data.ticketId) });
      return;
    }
    const held = devices.heldIdentity(dispenser.zoneId);
    res.json({
      result: 'identified',
      priorityClassId: held?.priorityClassId ?? null,
      ageKnown: held?.ageKnown ?? true,
      // Seconds rather than a time: the kiosk's clock need not agree with the controller's.
      holdSeconds: held ? Math.max(0, Math.round((held.expiresAt - Date.now()) / 1000)) : 0,
    });
  });

  router.post('/kiosks/:dispenserId/tickets', guard(ROLES), async (req: Params, res) => {
    const { dispenser, devices } = dispenserOf(req, res.locals.principal);
    const body = parse(kioskTicketBody, req.body);
    if (
      body.priorityClassId &&
      !queue.config.queue.priorityClasses.some((p) => p.id === body.priorityClassId)
    )
      throw new HttpError(404, 'notFound', `priority class "${body.priorityClassId}" not found`);
    const pressed = await devices.kioskPress(
      dispenser,
      {
        serviceId: body.serviceId,
        ...(body.priorityClassId ? { priorityClassId: body.priorityClassId } : {}),
      },
      `kiosk:${dispenser.id}:${body.requestId}`,
    );
    if (pressed.answer.status === 'error') throw refusal(pressed.answer);
    res.status(pressed.repeated ? 200 : 201).json({ ticket: ticketAnswer(devices, pressed.ticket?.id) });
  });

  // The page asks again while the paper is being printed, to tell the citizen at once if it fails.
  router.get(
    '/kiosks/:dispenserId/tickets/:ticketId',
    guard(ROLES),
    (req: Request<{ dispenserId: string; ticketId: string }>, res) => {
      const { dispenser, devices } = dispenserOf(req, res.locals.principal);
      const ticket = own(queue.state.tickets, req.params.ticketId);
      // Only the tickets this kiosk issued (or checked in): nobody reads another kiosk's tickets.
      if (!ticket || ticket.issuedBy !== dispenser.id)
        throw new HttpError(404, 'notFound', `ticket "${req.params.ticketId}" was not issued here`);
      res.json({ ticket: ticketAnswer(devices, ticket.id) });
    },
  );

  router.delete('/kiosks/:dispenserId/identity', guard(ROLES), (req: Params, res) => {
    const { dispenser, devices } = dispenserOf(req, res.locals.principal);
    devices.releaseIdentity(dispenser.zoneId);
    res.status(204).end();
  });

  return router;
}
