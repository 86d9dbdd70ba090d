/**
 * What a caller may do beyond the route's roles, which depends on who they are and on the live
 * state: a staff member works only the counter they hold, as themselves, and only on citizens at it;
 * a registered kiosk takes walk-in tickets only, printed on its own dispenser if anywhere.
 */
import type { CommandType } from '../core/commands.ts';
import { own } from '../core/own.ts';
import type { QueueState } from '../core/types.ts';
import { kioskOnly, type Principal } from './access.ts';
import { HttpError } from './errors.ts';

/** Signed in as staff, not as a manager (managers may act anywhere). */
function staffOnly(principal: Principal): boolean {
  return (
    principal.roles.includes('staff') &&
    !principal.roles.includes('manager') &&
    !principal.roles.includes('device')
  );
}

export function checkCallerScope(
  principal: Principal,
  command: CommandType,
  params: { counterId?: string; ticketId?: string },
  fields: Record<string, unknown>,
  state: Readonly<QueueState>,
): void {
  if (kioskOnly(principal) && command === 'issueTicket') {
    if (
      principal.dispenserId !== undefined &&
      fields.printAt !== undefined &&
      fields.printAt !== principal.dispenserId
    ) {
      throw new HttpError(
        403,
        'forbidden',
        `this kiosk prints on its own dispenser only ("${principal.dispenserId}")`,
      );
    }
    // A booking is honoured through its check-in, an ID card through the kiosk's scanner: never on the caller's word.
    if (
      fields.appointment !== undefined ||
      fields.citizenKey !== undefined ||
      (fields.source ?? 'kiosk') !== 'kiosk'
    ) {
      throw new HttpError(
        403,
        'forbidden',
        'a kiosk takes only walk-in tickets (source "kiosk", no appointment, no citizenKey) can be taken',
      );
    }
  }
  if (!staffOnly(principal)) return;
  const { counterId, ticketId } = params;
  if (counterId) {
    if (principal.counterId !== counterId) {
      throw new HttpError(403, 'forbidden', `you are signed in to another counter, not "${counterId}"`);
    }
    if (command === 'login') {
      if (fields.staffId !== principal.staffId) {
        throw new HttpError(403, 'forbidden', 'staff sign in to a counter as themselves only');
      }
    } else if (own(state.counters, counterId)?.staffId !== principal.staffId) {
      // Signed in here earlier, but someone else holds the counter now (or they moved to another).
      throw new HttpError(403, 'forbidden', `you no longer hold counter "${counterId}": sign in again`);
    }
  }
  const ticket = own(state.tickets, ticketId);
  if (ticket?.counterId && ticket.counterId !== principal.counterId) {
    throw new HttpError(403, 'forbidden', `ticket ${ticket.label} is at another counter`);
  }
}
