/** Dispenser: a service button issues a ticket, which is then printed on that dispenser. */

import type { PrintJob } from '../../../devices/protocol/messages.ts';
import type { CentreConfig } from '../../centre/schema.ts';
import type { Ticket } from '../../core/types.ts';
import { type Answer, type DeviceContext, type HandledEvent, refused, run } from './context.ts';

export async function onButton(
  ctx: DeviceContext,
  { device, requestId }: HandledEvent,
  event: { serviceId: string; priorityClassId?: string },
): Promise<Answer> {
  if (!ctx.registry.canPrint(device.id))
    return refused('printerUnavailable', `printer of ${device.id} cannot print`);
  const identity = ctx.kiosk.peek(device.zoneId);
  const { answer, ticket } = await run(ctx, {
    type: 'issueTicket',
    serviceId: event.serviceId,
    source: 'dispenser',
    priorityClassId: event.priorityClassId ?? identity?.priorityClassId,
    citizenKey: identity?.citizenKey,
    requestId,
    by: device.id,
  });
  if (!ticket) return answer;
  if (identity) ctx.kiosk.clear(device.zoneId);
  printTicket(ctx, device.id, ticket);
  return { status: 'ok', data: { ticketId: ticket.id, label: ticket.label } };
}

/**
 * Sends the print job to the dispenser, however it is attached (MQTT command, or ESC/POS on a serial
 * port); a printer that fails or does not answer is counted against the device.
 */
export function printTicket(ctx: DeviceContext, deviceId: string, ticket: Ticket): void {
  const job = printJob(ctx.config(), ticket, ctx.publicUrl());
  const device = ctx.config().devices.find((d) => d.id === deviceId);
  const printed =
    device?.transport === 'serial'
      ? ctx.printSerial(deviceId, job)
      : ctx.link.command(deviceId, { type: 'print', ticket: job }).then((reply) => {
          if (reply.status === 'error') throw new Error(reply.error?.message ?? 'error');
        });
  printed.catch((error: Error) =>
    ctx.registry.countError(deviceId, 'commandFailed', `print ${ticket.label}: ${error.message}`),
  );
}

export function printJob(config: CentreConfig, ticket: Ticket, publicUrl: string): PrintJob {
  const service = config.services.find((s) => s.id === ticket.serviceId);
  const priority = config.queue.priorityClasses.find((p) => p.id === ticket.priorityClassId);
  return {
    centreName: config.centre.name,
    serviceName: service?.name ?? ticket.serviceId,
    label: ticket.label,
    priority: priority?.name ?? null,
    peopleAhead: ticket.peopleAheadAtIssue,
    estimatedWaitMinutes: ticket.estimatedWaitMinutesAtIssue,
    issuedAt: ticket.issuedAt,
    qrUrl: `${publicUrl.replace(/\/$/, '')}/t/${encodeURIComponent(ticket.id)}`,
    footer: 'Vui lòng chờ đến lượt được gọi. Xin cảm ơn!',
  };
}
