import { describe, expect, it } from 'vitest';
import { ageOn, parseCccdQr } from '../../devices/scan/cccd.ts';
import { classifyScan } from '../../devices/scan/classify.ts';

const ID = '001099012345';
const NAME = 'Nguyễn Văn An';
const ADDRESS = 'Số 1 Trần Phú, Hội An, Quảng Nam';
/** The QR on a chip CCCD: id|old id|name|birth ddmmyyyy|gender|address|issue date ddmmyyyy. */
const CCCD_QR = `${ID}|012345678|${NAME}|15081960|Nam|${ADDRESS}|01052021`;

describe('parseCccdQr', () => {
  it('keeps only the id number and the date of birth of a chip ID card', () => {
    const card = parseCccdQr(CCCD_QR);
    expect(card).toEqual({ idNumber: ID, birthDate: { year: 1960, month: 8, day: 15 } });
    expect(Object.keys(card ?? {}).sort()).toEqual(['birthDate', 'idNumber']);
    const text = JSON.stringify(card);
    for (const personal of [NAME, 'Trần Phú', '012345678', 'Nam', '01052021']) {
      expect(text).not.toContain(personal);
    }
  });

  it('accepts the 6- and 8-field layouts of other card generations', () => {
    const six = CCCD_QR.split('|').slice(0, 6).join('|');
    const eight = `${CCCD_QR}|extra`;
    expect(parseCccdQr(six)).toEqual({ idNumber: ID, birthDate: { year: 1960, month: 8, day: 15 } });
    expect(parseCccdQr(eight)).toEqual({ idNumber: ID, birthDate: { year: 1960, month: 8, day: 15 } });
  });

  it('accepts an empty old id and the line end a scanner adds', () => {
    expect(parseCccdQr(`${ID}||${NAME}|01011950|Nữ|${ADDRESS}|01052021\r\n`)).toEqual({
      idNumber: ID,
      birthDate: { year: 1950, month: 1, day: 1 },
    });
  });

  it('refuses too few or too many fields', () => {
    expect(parseCccdQr(CCCD_QR.split('|').slice(0, 5).join('|'))).toBeNull();
    expect(parseCccdQr(`${CCCD_QR}|a|b`)).toBeNull();
    expect(parseCccdQr('')).toBeNull();
  });

  it('refuses an id that is not 12 digits', () => {
    const withId = (id: string) => CCCD_QR.replace(ID, id);
    expect(parseCccdQr(withId('00109901234'))).toBeNull();
    expect(parseCccdQr(withId('0010990123456'))).toBeNull();
    expect(parseCccdQr(withId('00109901234A'))).toBeNull();
    expect(parseCccdQr(withId(''))).toBeNull();
  });

  it('keeps the card but no birth date when the date is not a real one', () => {
    const withBirth = (birth: string) => CCCD_QR.replace('15081960', birth);
    for (const bad of ['31021960', '15131960', '00081960', '1508196', '15-08-1960', '']) {
      expect(parseCccdQr(withBirth(bad))).toEqual({ idNumber: ID, birthDate: null });
    }
    expect(parseCccdQr(withBirth('29022000'))?.birthDate).toEqual({ year: 2000, month: 2, day: 29 });
  });
});

describe('ageOn', () => {
  const birth = { year: 1960, month: 8, day: 15 };

  it('adds the year on the birthday, not the day before', () => {
    expect(ageOn(birth, '2020-08-14')).toBe(59);
    expect(ageOn(birth, '2020-08-15')).toBe(60);
    expect(ageOn(birth, '2020-08-16')).toBe(60);
    expect(ageOn(birth, '2020-07-31')).toBe(59);
    expect(ageOn(birth, '2020-12-31')).toBe(60);
    expect(ageOn(birth, '2026-11-23')).toBe(66);
  });
});

describe('classifyScan', () => {
  it('recognises a chip ID card', () => {
    expect(classifyScan(CCCD_QR)).toEqual({
      kind: 'citizenId',
      card: { idNumber: ID, birthDate: { year: 1960, month: 8, day: 15 } },
    });
  });

  it('recognises an appointment code and its booking id', () => {
    expect(classifyScan('QMS-APPT:BK-2026-0042')).toEqual({ kind: 'appointment', bookingId: 'BK-2026-0042' });
    expect(classifyScan(' QMS-APPT:BK-2026-0042\n')).toEqual({
      kind: 'appointment',
      bookingId: 'BK-2026-0042',
    });
  });

  it('does not take a malformed appointment code for anything else', () => {
    for (const bad of ['QMS-APPT:', 'QMS-APPT:BK 42', 'QMS-APPT:BK/42', `QMS-APPT:${'B'.repeat(81)}`]) {
      expect(classifyScan(bad)).toEqual({ kind: 'unknown' });
    }
  });

  it('recognises a dossier code', () => {
    expect(classifyScan('000.00.12.H42-261123-0001')).toEqual({
      kind: 'dossier',
      dossierCode: '000.00.12.H42-261123-0001',
    });
  });

  it('calls anything else unknown', () => {
    for (const text of ['hello', 'https://example.com', '', '   ', 'abc-def', 'Nguyễn Văn An']) {
      expect(classifyScan(text)).toEqual({ kind: 'unknown' });
    }
  });
});
