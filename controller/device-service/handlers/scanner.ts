/**
 * Scanner: what a scan does depends on what was read and where the scanner is.
 * - chip ID card at a kiosk (zone): remembered for the zone's next button press (priority by age,
 *   one active ticket per person); at a counter: linked to the visit there;
 * - appointment QR: checks the booking in (printed on the zone's dispenser when at a kiosk);
 * - dossier code at a counter: linked to the visit there.
 * The ID number is hashed at once; name, address and the rest of the card are never kept.
 */

import { ageOn } from '../../../devices/scan/cccd.ts';
import { classifyScan } from '../../../devices/scan/classify.ts';
import { serviceDay } from '../../core/service-day.ts';
import { ACTIVE_STATUSES } from '../../core/types.ts';
import { type Answer, type DeviceContext, type HandledEvent, ok, refused, run } from './context.ts';
import { printTicket } from './dispenser.ts';

/**
 * A code typed into a kiosk page by a keyboard-mode scanner rather than read by a scanner device:
 * an appointment ticket is printed on the page's own dispenser, and a repeated request (the page
 * retrying) prints nothing more.
 */
export interface KioskPageScan {
  printAt: string;
}

export async function onScan(
  ctx: DeviceContext,
  handled: HandledEvent,
  event: { data: string },
  kioskPage?: KioskPageScan,
): Promise<Answer> {
  const { device, requestId } = handled;
  const code = classifyScan(event.data);
  const atCounter = device.counterId !== undefined;
  switch (code.kind) {
    case 'citizenId': {
      const citizenKey = ctx.citizens.keyOf(code.card.idNumber);
      if (atCounter) {
        const { answer } = await run(ctx, {
          type: 'linkVisit',
          counterId: device.counterId as string,
          citizenKey,
          requestId,
          by: device.id,
        });
        return answer;
      }
      const config = ctx.config();
      const today = serviceDay(ctx.clock(), config.centre.timezone);
      const age = code.card.birthDate ? ageOn(code.card.birthDate, today) : null;
      // An impossible date (31/02), none, or one giving no plausible age: the card still counts for
      // one ticket per person, but the age priority cannot be decided — the citizen chooses it.
      const ageKnown = age !== null && age >= 0 && age <= MAX_PLAUSIBLE_AGE;
      const elderly =
        ageKnown && (age as number) >= config.citizens.elderlyAge
          ? config.citizens.elderlyPriorityClassId
          : undefined;
      // Refuse early, at the scan, rather than after the citizen picked a service.
      return (
        activeTicketRefusal(ctx, citizenKey) ??
        holdIdentity(ctx, device.zoneId, citizenKey, elderly, ageKnown)
      );
    }
    case 'appointment': {
      const identity = atCounter ? undefined : ctx.kiosk.peek(device.zoneId);
      const { answer, ticket, outcome } = await run(ctx, {
        type: 'checkIn',
        bookingId: code.bookingId,
        citizenKey: identity?.citizenKey,
        requestId,
        by: device.id,
      });
      if (ticket && kioskPage) {
        if (outcome?.events.some((e) => e.type === 'ticketIssued')) {
          // The page shows the ticket whatever happens; paper only from a printer that can print.
          if (ctx.registry.canPrint(kioskPage.printAt)) printTicket(ctx, kioskPage.printAt, ticket);
          else
            ctx.prints.set(ticket.id, { status: 'notPrinted', deviceId: kioskPage.printAt, at: ctx.clock() });
          ctx.kiosk.clear(device.zoneId);
        }
      } else if (ticket && !atCounter) {
        // Printed where the citizen stands, on a dispenser of the zone that can print; else the number is on the answer.
        const dispenser = ctx
          .config()
          .devices.find(
            (d) =>
              d.type === 'dispenser' &&
              d.zoneId === device.zoneId &&
              d.transport !== 'hid' &&
              ctx.registry.canPrint(d.id),
          );
        if (dispenser) printTicket(ctx, dispenser.id, ticket);
        ctx.kiosk.clear(device.zoneId);
      }
      return answer;
    }
    case 'dossier': {
      if (!atCounter) return refused('notHere', 'dossier codes are read at a counter');
      const { answer } = await run(ctx, {
        type: 'linkVisit',
        counterId: device.counterId as string,
        dossierCode: code.dossierCode,
        requestId,
        by: device.id,
      });
      return answer;
    }
    case 'unknown':
      return refused('unknownCode', 'not a chip ID card, appointment or dossier code');
  }
}

/** Older than this, a birth date read from a card is taken as misread. */
const MAX_PLAUSIBLE_AGE = 130;

function holdIdentity(
  ctx: DeviceContext,
  zoneId: string | undefined,
  citizenKey: string,
  priorityClassId: string | undefined,
  ageKnown: boolean,
): Answer {
  ctx.kiosk.hold(zoneId, { citizenKey, ageKnown, ...(priorityClassId ? { priorityClassId } : {}) });
  const priority = ctx.config().queue.priorityClasses.find((p) => p.id === priorityClassId);
  if (!ageKnown)
    return ok({
      identified: true,
      priority: null,
      ageKnown: false,
      message: 'Không đọc được ngày sinh trên thẻ. Mời Ông/Bà chọn đối tượng ưu tiên (nếu có) và dịch vụ',
    });
  return ok({ identified: true, priority: priority?.name ?? null, message: 'Mời Ông/Bà chọn dịch vụ' });
}

/** The refusal a kiosk scan gets when this citizen already has a ticket waiting, if any. */
function activeTicketRefusal(ctx: DeviceContext, citizenKey: string): Answer | null {
  if (!ctx.config().citizens.oneActiveTicketPerCitizen) return null;
  for (const t of ctx.tickets()) {
    if (t.citizenKey === citizenKey && ACTIVE_STATUSES.includes(t.status)) {
      return refused('alreadyHasTicket', `this citizen already has ticket ${t.label}`);
    }
  }
  return null;
}
