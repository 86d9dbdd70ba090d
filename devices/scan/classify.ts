/** What a scanned code is: a chip ID card, an appointment, a dossier, or nothing we know. */
import { type CitizenIdCard, parseCccdQr } from './cccd.ts';

/** Appointment QR codes carry `QMS-APPT:<booking id>` (docs/protocol.md). */
export const APPOINTMENT_QR_PREFIX = 'QMS-APPT:';

export type ScannedCode =
  | { kind: 'citizenId'; card: CitizenIdCard }
  | { kind: 'appointment'; bookingId: string }
  | { kind: 'dossier'; dossierCode: string }
  | { kind: 'unknown' };

export function classifyScan(data: string): ScannedCode {
  const text = data.trim();
  const card = parseCccdQr(text);
  if (card) return { kind: 'citizenId', card };
  if (text.startsWith(APPOINTMENT_QR_PREFIX)) {
    const bookingId = text.slice(APPOINTMENT_QR_PREFIX.length);
    if (/^[A-Za-z0-9._-]{1,80}$/.test(bookingId)) return { kind: 'appointment', bookingId };
    return { kind: 'unknown' };
  }
  if (/^[A-Za-z0-9.\-_/]{4,60}$/.test(text) && /\d/.test(text)) return { kind: 'dossier', dossierCode: text };
  return { kind: 'unknown' };
}
