/**
 * The QR code on a Vietnamese chip citizen ID card (CCCD):
 *   id|old id|full name|date of birth ddmmyyyy|gender|address|issue date ddmmyyyy
 * Card generations differ, so 6 to 8 fields are accepted. Only the id (to be hashed at once) and
 * the date of birth (for the age-based priority) are kept; name, address and the rest are dropped
 * here and never leave this function (Decree 13/2023/NĐ-CP: keep only what is needed).
 */
export interface CitizenIdCard {
  /** 12-digit personal identification number. Hash it; never store or send it. */
  idNumber: string;
  birthDate: { year: number; month: number; day: number } | null;
}

export function parseCccdQr(data: string): CitizenIdCard | null {
  const fields = data.trim().split('|');
  if (fields.length < 6 || fields.length > 8) return null;
  const idNumber = fields[0] ?? '';
  if (!/^\d{12}$/.test(idNumber)) return null;
  // The date of birth is the first ddmmyyyy field after the id (the old id, when present, has 9 or 12 digits).
  const birth =
    fields
      .slice(1, 5)
      .map(parseDdMmYyyy)
      .find((d) => d !== null) ?? null;
  return { idNumber, birthDate: birth };
}

function parseDdMmYyyy(text: string | undefined): CitizenIdCard['birthDate'] {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text ?? '');
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

/** Age in whole years on the local date `today` (YYYY-MM-DD). */
export function ageOn(birth: NonNullable<CitizenIdCard['birthDate']>, today: string): number {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const hadBirthday = m > birth.month || (m === birth.month && d >= birth.day);
  return y - birth.year - (hadBirthday ? 0 : 1);
}
