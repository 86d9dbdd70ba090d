/** Dispenser: a service button issues a ticket, which is then printed on that dispenser. */

import type { PrintJob } from '../../../devices/protocol/messages.ts';
import type { CentreConfig } from '../../centre/schema.ts';
import type { Ticket } from '../../core/types.ts';
import { NoAnswerError } from '../transport.ts';
import { type Answer, type DeviceContext, type HandledEvent, refused, run } from './context.ts';

export async function onButton(
  ctx: DeviceContext,
  handled: HandledEvent,
  event: { serviceId: string; priorityClassId?: string },
): Promise<Answer> {
  return (await pressButton(ctx, handled, event)).answer;
}

/** A button press and what came of it: `repeated` when the requestId had issued the ticket before. */
export interface Pressed {
  answer: Answer;
  ticket: Ticket | null;
  repeated: boolean;
}

/**
 * The dispenser's button, also pressed from a kiosk page on its touch screen (`fromKioskPage`): the
 * ticket's source is then "kiosk". A repeated request (a page retrying, a device resending after a
 * controller restart) prints nothing more, since the first one already came out of the printer.
 * A button is refused while the printer cannot print (the paper is all the citizen would get); a
 * kiosk page shows the ticket on its screen, so it is issued then, unprinted (`notPrinted`).
 */
export async function pressButton(
  ctx: DeviceContext,
  { device, requestId }: HandledEvent,
  event: { serviceId: string; priorityClassId?: string },
  fromKioskPage = false,
): Promise<Pressed> {
  const canPrint = ctx.registry.canPrint(device.id);
  if (!canPrint && !fromKioskPage)
    return {
      answer: refused('printerUnavailable', `printer of ${device.id} cannot print`),
      ticket: null,
      repeated: false,
    };
  const identity = ctx.kiosk.peek(device.zoneId);
  const { answer, ticket, outcome } = await run(ctx, {
    type: 'issueTicket',
    serviceId: event.serviceId,
    source: fromKioskPage ? 'kiosk' : 'dispenser',
    priorityClassId: event.priorityClassId ?? identity?.priorityClassId,
    citizenKey: identity?.citizenKey,
    requestId,
    by: device.id,
  });
  if (!ticket) return { answer, ticket: null, repeated: false };
  const repeated = !outcome?.events.some((e) => e.type === 'ticketIssued');
  // Paper comes out for the ticket issued now, never for a repeat (a retrying page, a QoS 1
  // redelivery after a restart): a repeat changes nothing. Reprints are their own request.
  if (!repeated) {
    if (identity) ctx.kiosk.clear(device.zoneId);
    if (canPrint) printTicket(ctx, device.id, ticket);
    else ctx.prints.set(ticket.id, { status: 'notPrinted', deviceId: device.id, at: ctx.clock() });
  }
  return { answer: { status: 'ok', data: { ticketId: ticket.id, label: ticket.label } }, ticket, repeated };
}

/**
 * Sends the print job to the dispenser, however it is attached (MQTT command, or ESC/POS on a serial
 * port), and records what became of it (ctx.prints). A printer that fails is counted against the
 * device; one that does not answer at all is not trusted to print until it speaks again.
 */
export function printTicket(ctx: DeviceContext, deviceId: string, ticket: Ticket): void {
  const job = printJob(ctx.config(), ticket, ctx.publicUrl(), ctx.citizens.ticketLinkKey(ticket.id));
  ctx.prints.set(ticket.id, { status: 'printing', deviceId, at: ctx.clock() });
  ctx.print(deviceId, job).then(
    () => ctx.prints.set(ticket.id, { status: 'printed', deviceId, at: ctx.clock() }),
    (error: Error) => {
      ctx.prints.set(ticket.id, { status: 'failed', deviceId, at: ctx.clock(), detail: error.message });
      if (error instanceof NoAnswerError) ctx.registry.noAnswer(deviceId);
      ctx.registry.countError(deviceId, 'commandFailed', `print ${ticket.label}: ${error.message}`);
    },
  );
}

/**
 * The paper ticket. Its QR code is the citizen's own link, `/t/<ticket id>/<link key>`: the key (see
 * CitizenKeys.ticketLinkKey) is what lets the holder rate the visit; the id alone shows only the public
 * place in line.
 */
export function printJob(config: CentreConfig, ticket: Ticket, publicUrl: string, linkKey: string): PrintJob {
  const service = config.services.find((s) => s.id === ticket.serviceId);
  const priority = config.queue.priorityClasses.find((p) => p.id === ticket.priorityClassId);
  return {
    centreName: config.centre.name,
    serviceName: service?.name ?? ticket.serviceId,
    label: ticket.label,
    priority: priority?.name ?? null,
    peopleAhead: ticket.peopleAheadAtIssue,
    estimatedWaitMinutes: ticket.estimatedWaitMinutesAtIssue,
    estimatedWaitRange: ticket.estimatedWaitRangeAtIssue ?? null,
    issuedAt: ticket.issuedAt,
    qrUrl: `${publicUrl.replace(/\/$/, '')}/t/${encodeURIComponent(ticket.id)}/${linkKey}`,
    footer: 'Vui lòng chờ đến lượt được gọi. Xin cảm ơn!',
  };
}
