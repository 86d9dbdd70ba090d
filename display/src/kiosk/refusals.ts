/**
 * What the kiosk says when a request is refused. The Vietnamese texts are the ones the hardware
 * devices show (devices/texts.ts, the shared vocabulary and the only code outside display/ this
 * page bundles), so a refusal reads the same on a dispenser's own screen and on the kiosk page;
 * English is for the language switch.
 */
import { type DeviceRefusal, refusalText } from '../../../devices/texts.ts';
import type { ApiError } from '../shared/api.ts';

const ENGLISH: Record<DeviceRefusal, string> = {
  unknownService: 'This service is not offered at the centre',
  alreadyHasTicket: 'You already have a ticket waiting',
  noStaff: 'Nobody is signed in at the counter',
  counterNotOpen: 'The counter is closed or on a break',
  counterBusy: 'The counter is serving; finish or transfer first',
  noCurrentTicket: 'Nobody has been called yet',
  wrongTicketState: 'This does not fit the current visit',
  nothingToRate: 'There is no visit to rate',
  alreadyRated: 'This visit has already been rated. Thank you!',
  bookingNotFound: 'Appointment not found',
  bookingCancelled: 'This appointment was cancelled',
  bookingUsed: 'This appointment has already been checked in',
  bookingNotToday: 'This appointment is not for today',
  transferTarget: 'Cannot transfer to the chosen place',
  printerUnavailable: 'The printer is out of service, please ask at the information desk',
  unknownCode: 'The scanned code was not recognised',
  notHere: 'This code cannot be used here',
  invalid: 'The request is not valid',
  unavailable: 'The system is briefly unavailable, please wait',
  internal: 'Something went wrong, please ask at the information desk',
};

export interface Said {
  vi: string;
  en: string;
}

export function refusalMessage(error: ApiError): Said {
  if (Object.hasOwn(ENGLISH, error.code)) {
    const reason = error.code as DeviceRefusal;
    return { vi: refusalText(reason), en: ENGLISH[reason] };
  }
  if (error.status === 0)
    return {
      vi: 'Mất kết nối với máy chủ, vui lòng thử lại',
      en: 'No connection to the controller, please try again',
    };
  return { vi: refusalText('internal'), en: `${ENGLISH.internal} (${error.message})` };
}
