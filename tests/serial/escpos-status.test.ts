import { describe, expect, it } from 'vitest';
import {
  align,
  bold,
  codePage,
  cut,
  feed,
  init,
  QR_MAX_DATA_BYTES,
  qrCode,
  STATUS_REQUEST,
  size,
} from '../../devices/serial/escpos/commands.ts';
import { isStatusByte, parseStatusByte, toPrinterState } from '../../devices/serial/escpos/status.ts';

const hex = (bytes: Buffer) => bytes.toString('hex').replace(/(..)/g, '$1 ').trim();

describe('commands', () => {
  it('builds the Epson byte sequences', () => {
    expect(hex(init())).toBe('1b 40');
    expect(hex(codePage(52))).toBe('1b 74 34');
    expect([align('left'), align('center'), align('right')].map(hex)).toEqual([
      '1b 61 00',
      '1b 61 01',
      '1b 61 02',
    ]);
    expect([bold(true), bold(false)].map(hex)).toEqual(['1b 45 01', '1b 45 00']);
    expect([size(1, 1), size(2, 1), size(3, 3), size(4, 4), size(8, 8)].map(hex)).toEqual([
      '1d 21 00',
      '1d 21 10',
      '1d 21 22',
      '1d 21 33',
      '1d 21 77',
    ]);
    expect(hex(feed(4))).toBe('1b 64 04');
    expect(hex(cut('partial'))).toBe('1d 56 42 00');
    expect(hex(cut('full'))).toBe('1d 56 41 00');
    expect(hex(cut('partial', 16))).toBe('1d 56 42 10');
    expect(STATUS_REQUEST).toEqual({
      printer: Buffer.from([0x10, 0x04, 1]),
      offline: Buffer.from([0x10, 0x04, 2]),
      error: Buffer.from([0x10, 0x04, 3]),
      paper: Buffer.from([0x10, 0x04, 4]),
    });
  });

  it('builds a QR code: model 2, module size, error correction, store, print', () => {
    expect(hex(qrCode('ABC', { size: 6, errorCorrection: 'M' }))).toBe(
      [
        '1d 28 6b 04 00 31 41 32 00',
        '1d 28 6b 03 00 31 43 06',
        '1d 28 6b 03 00 31 45 31',
        '1d 28 6b 06 00 31 50 30 41 42 43',
        '1d 28 6b 03 00 31 51 30',
      ].join(' '),
    );
    expect(hex(qrCode('x', { errorCorrection: 'L' })).slice(51, 74)).toBe('1d 28 6b 03 00 31 45 30');
    expect(hex(qrCode('x', { errorCorrection: 'H', size: 16 })).slice(27, 74)).toBe(
      '1d 28 6b 03 00 31 43 10 1d 28 6b 03 00 31 45 33',
    );
    const long = qrCode('u'.repeat(300));
    const store = long.indexOf(Buffer.from([0x31, 0x50, 0x30])) - 2;
    expect([long[store], long[store + 1]]).toEqual([0x2f, 0x01]); // 303 = 0x012F
    expect(qrCode('Hộ tịch').includes(Buffer.from('Hộ tịch', 'utf8'))).toBe(true);
  });

  it('refuses parameters out of range', () => {
    expect(() => size(0, 1)).toThrow(RangeError);
    expect(() => size(1, 9)).toThrow(RangeError);
    expect(() => feed(256)).toThrow(RangeError);
    expect(() => codePage(-1)).toThrow(RangeError);
    expect(() => qrCode('x', { size: 17 })).toThrow(RangeError);
    expect(() => qrCode('')).toThrow(RangeError);
    expect(() => qrCode('x'.repeat(QR_MAX_DATA_BYTES + 1))).toThrow(RangeError);
  });
});

describe('parseStatusByte', () => {
  it('DLE EOT 1: bit 3 offline, bit 2 drawer pin 3', () => {
    expect(parseStatusByte(1, 0x12)).toEqual({ online: true, drawerPin3High: false });
    expect(parseStatusByte(1, 0x1a)).toEqual({ online: false, drawerPin3High: false });
    expect(parseStatusByte(1, 0x16)).toEqual({ online: true, drawerPin3High: true });
  });

  it('DLE EOT 2: cover open, feed button, paper end stop, error', () => {
    const none = { coverOpen: false, feedButton: false, paperEndStop: false, errorOccurred: false };
    expect(parseStatusByte(2, 0x12)).toEqual(none);
    expect(parseStatusByte(2, 0x16)).toEqual({ ...none, coverOpen: true });
    expect(parseStatusByte(2, 0x1a)).toEqual({ ...none, feedButton: true });
    expect(parseStatusByte(2, 0x32)).toEqual({ ...none, paperEndStop: true });
    expect(parseStatusByte(2, 0x52)).toEqual({ ...none, errorOccurred: true });
    expect(parseStatusByte(2, 0x76)).toEqual({
      coverOpen: true,
      feedButton: false,
      paperEndStop: true,
      errorOccurred: true,
    });
  });

  it('DLE EOT 3: recoverable, autocutter, unrecoverable, auto-recoverable errors', () => {
    const none = {
      recoverableError: false,
      autocutterError: false,
      unrecoverableError: false,
      autoRecoverableError: false,
    };
    expect(parseStatusByte(3, 0x12)).toEqual(none);
    expect(parseStatusByte(3, 0x16)).toEqual({ ...none, recoverableError: true });
    expect(parseStatusByte(3, 0x1a)).toEqual({ ...none, autocutterError: true });
    expect(parseStatusByte(3, 0x32)).toEqual({ ...none, unrecoverableError: true });
    expect(parseStatusByte(3, 0x52)).toEqual({ ...none, autoRecoverableError: true });
  });

  it('DLE EOT 4: bits 2–3 near end, bits 5–6 paper end', () => {
    expect(parseStatusByte(4, 0x12)).toEqual({ paperNearEnd: false, paperEnd: false });
    expect(parseStatusByte(4, 0x1e)).toEqual({ paperNearEnd: true, paperEnd: false });
    expect(parseStatusByte(4, 0x72)).toEqual({ paperNearEnd: false, paperEnd: true });
    expect(parseStatusByte(4, 0x7e)).toEqual({ paperNearEnd: true, paperEnd: true });
    // Either bit of a pair counts (some compatible printers set only one).
    expect(parseStatusByte(4, 0x16)).toEqual({ paperNearEnd: true, paperEnd: false });
    expect(parseStatusByte(4, 0x52)).toEqual({ paperNearEnd: false, paperEnd: true });
  });

  it('rejects bytes without the fixed bits (1, 4 set; 0, 7 clear)', () => {
    for (const garbage of [0x00, 0xff, 0x10, 0x02, 0x13, 0x92, 0x3f, 0x0a, -1, 256, 1.5, Number.NaN]) {
      expect(isStatusByte(garbage), String(garbage)).toBe(false);
      for (const query of [1, 2, 3, 4] as const) expect(parseStatusByte(query, garbage)).toBeNull();
    }
    let valid = 0;
    for (let byte = 0; byte < 256; byte++) if (isStatusByte(byte)) valid++;
    expect(valid).toBe(16); // 4 free bits
  });
});

describe('toPrinterState', () => {
  const base = { online: true, coverOpen: false, paperNearEnd: false, paperEnd: false };

  it('maps the sensors to the dispenser state', () => {
    expect(toPrinterState(base)).toEqual({ paper: 'ok', cover: 'closed', online: true });
    expect(toPrinterState({ ...base, paperNearEnd: true })).toEqual({
      paper: 'low',
      cover: 'closed',
      online: true,
    });
    expect(toPrinterState({ ...base, paperNearEnd: true, paperEnd: true, online: false })).toEqual({
      paper: 'out',
      cover: 'closed',
      online: false,
    });
    expect(toPrinterState({ ...base, coverOpen: true, online: false })).toEqual({
      paper: 'ok',
      cover: 'open',
      online: false,
    });
  });
});
