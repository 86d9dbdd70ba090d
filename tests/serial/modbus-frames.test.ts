import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CounterDisplay } from '../../devices/protocol/messages.ts';
import { crc16Modbus } from '../../devices/serial/modbus/crc16.ts';
import {
  DISPLAY_REGISTER_COUNT,
  displayMode,
  displayRegisters,
  readDisplayRegisters,
} from '../../devices/serial/modbus/display-registers.ts';
import {
  exceptionName,
  exceptionResponse,
  hasValidCrc,
  NEED_MORE,
  NOT_A_FRAME,
  parseResponse,
  parseWriteRequest,
  RtuFrameSplitter,
  requestFrameLength,
  responseFrameLength,
  toHex,
  withCrc,
  writeRegistersRequest,
  writeRegistersResponse,
} from '../../devices/serial/modbus/frames.ts';
import { DisplayBusSim } from '../../firmware-sim/serial/display-bus-sim.ts';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
/** Counter 3 called for ticket 1023, as in docs/rs485-displays.md. */
const CALL_1023 = hex('03 10 00 00 00 06 0C 00 03 00 03 31 30 32 33 20 20 20 20 88 04');
const CALL_1023_OK = hex('03 10 00 00 00 06 41 E9');

describe('CRC-16/MODBUS', () => {
  it('matches the well-known vectors, low byte first on the wire', () => {
    expect(crc16Modbus(hex('01 03 00 00 00 0A'))).toBe(0xcdc5);
    expect(toHex(withCrc(hex('01 03 00 00 00 0A')))).toBe('01 03 00 00 00 0A C5 CD');
    expect(toHex(withCrc(hex('11 03 00 6B 00 03')))).toBe('11 03 00 6B 00 03 76 87');
    expect(crc16Modbus(Buffer.from('123456789'))).toBe(0x4b37); // the CRC catalogue check value
  });

  it('checks the CRC at the end of a frame', () => {
    expect(hasValidCrc(hex('01 03 00 00 00 0A C5 CD'))).toBe(true);
    expect(hasValidCrc(hex('01 03 00 00 00 0A CD C5'))).toBe(false);
    expect(hasValidCrc(hex('01 03 00 00 00 0B C5 CD'))).toBe(false);
    expect(hasValidCrc(hex('C5'))).toBe(false);
  });
});

describe('0x10 frames', () => {
  it('builds a write-multiple-registers request: header, byte count, big-endian values, CRC', () => {
    const frame = writeRegistersRequest(3, 0, [3, 3, 0x3130, 0x3233, 0x2020, 0x2020]);
    expect(frame).toEqual(CALL_1023);
    expect(toHex(writeRegistersRequest(0x11, 0x0001, [0x000a, 0x0102]))).toBe(
      '11 10 00 01 00 02 04 00 0A 01 02 C6 F0',
    );
  });

  it('refuses what cannot be on the wire', () => {
    expect(() => writeRegistersRequest(248, 0, [1])).toThrow(RangeError);
    expect(() => writeRegistersRequest(1, 0, [])).toThrow(RangeError);
    expect(() => writeRegistersRequest(1, 0, new Array(124).fill(0))).toThrow(RangeError);
    expect(() => writeRegistersRequest(1, 0, [0x10000])).toThrow(/register 0/);
    expect(() => writeRegistersRequest(1, 0, [1.5])).toThrow(RangeError);
  });

  it('reads normal and exception answers', () => {
    expect(parseResponse(CALL_1023_OK)).toEqual({
      address: 3,
      function: 0x10,
      ok: true,
      start: 0,
      quantity: 6,
    });
    expect(writeRegistersResponse(3, 0, 6)).toEqual(CALL_1023_OK);
    const refused = exceptionResponse(3, 0x10, 0x02);
    expect(toHex(refused)).toBe('03 90 02 6C 01');
    expect(parseResponse(refused)).toEqual({ address: 3, function: 0x10, ok: false, exceptionCode: 2 });
    expect(exceptionName(2)).toBe('0x02 (illegal data address)');
    expect(exceptionName(0x42)).toBe('0x42 (unknown exception)');
  });

  it('gives null for a bad CRC, a short frame or something that is not a write answer', () => {
    const broken = Buffer.from(CALL_1023_OK);
    broken[7] = (broken[7] as number) ^ 1;
    expect(parseResponse(broken)).toBeNull();
    expect(parseResponse(hex('03 90 02 6C'))).toBeNull();
    expect(parseResponse(Buffer.alloc(0))).toBeNull();
    expect(parseResponse(withCrc(hex('03 03 02 00 01')))).toBeNull();
  });

  it('reads a request back (display side)', () => {
    expect(parseWriteRequest(CALL_1023)).toEqual({
      address: 3,
      start: 0,
      quantity: 6,
      values: [3, 3, 0x3130, 0x3233, 0x2020, 0x2020],
    });
    expect(parseWriteRequest(CALL_1023_OK)).toBeNull();
    expect(parseWriteRequest(Buffer.concat([CALL_1023.subarray(0, 20), hex('00')]))).toBeNull();
  });

  it('tells frame lengths from their first bytes', () => {
    expect(requestFrameLength(hex('03'))).toBe(NEED_MORE);
    expect(requestFrameLength(hex('03 10 00 00 00 06'))).toBe(NEED_MORE);
    expect(requestFrameLength(CALL_1023)).toBe(21);
    expect(requestFrameLength(hex('01 03'))).toBe(8);
    expect(requestFrameLength(hex('01 2B'))).toBe(NOT_A_FRAME);
    expect(requestFrameLength(hex('F8 10'))).toBe(NOT_A_FRAME);
    expect(responseFrameLength(CALL_1023_OK)).toBe(8);
    expect(responseFrameLength(hex('03 90'))).toBe(5);
    expect(responseFrameLength(hex('03 03 04'))).toBe(9);
    expect(responseFrameLength(hex('00 10'))).toBe(NOT_A_FRAME);
    expect(responseFrameLength(hex('03 2B'))).toBe(NOT_A_FRAME);
  });
});

describe('RtuFrameSplitter', () => {
  const refused = exceptionResponse(4, 0x10, 0x02);

  it('puts frames split over many chunks back together', () => {
    const splitter = new RtuFrameSplitter();
    const stream = Buffer.concat([CALL_1023_OK, refused, CALL_1023_OK]);
    const frames = [...stream].flatMap((byte) => splitter.push(Buffer.from([byte])));
    expect(frames).toEqual([CALL_1023_OK, refused, CALL_1023_OK]);
    expect(splitter.pending).toBe(0);
    expect(splitter.dropped).toBe(0);
  });

  it('cuts several frames out of one chunk and keeps a partial one for later', () => {
    const splitter = new RtuFrameSplitter();
    expect(splitter.push(Buffer.concat([refused, CALL_1023_OK, CALL_1023_OK.subarray(0, 3)]))).toEqual([
      refused,
      CALL_1023_OK,
    ]);
    expect(splitter.pending).toBe(3);
    expect(splitter.push(CALL_1023_OK.subarray(3))).toEqual([CALL_1023_OK]);
  });

  it('resynchronises after line noise and after a corrupted frame', () => {
    const splitter = new RtuFrameSplitter();
    const corrupted = Buffer.from(CALL_1023_OK);
    corrupted[5] = 0x07;
    const noise = hex('FF 00 03 10 13 37');
    const frames = splitter.push(Buffer.concat([noise, corrupted, refused, hex('02'), CALL_1023_OK]));
    expect(frames).toEqual([refused, CALL_1023_OK]);
    expect(splitter.dropped).toBe(noise.length + corrupted.length + 1);
  });

  it('finds requests on the display side, garbage included', () => {
    const splitter = new RtuFrameSplitter({ expect: 'requests' });
    const chunks = [
      hex('AA 55'),
      CALL_1023.subarray(0, 10),
      CALL_1023.subarray(10),
      hex('01 03 00 00 00 0A C5 CD'),
    ];
    expect(chunks.flatMap((chunk) => splitter.push(chunk))).toEqual([
      CALL_1023,
      hex('01 03 00 00 00 0A C5 CD'),
    ]);
  });

  it('throws a partial frame away after a silence longer than gapMs (Modbus t3.5)', () => {
    const splitter = new RtuFrameSplitter({ gapMs: 20 });
    expect(splitter.push(CALL_1023_OK.subarray(0, 4), 1000)).toEqual([]);
    expect(splitter.push(refused, 1100)).toEqual([refused]);
    expect(splitter.dropped).toBe(4);
    expect(splitter.push(CALL_1023_OK.subarray(0, 4), 1200)).toEqual([]);
    expect(splitter.push(CALL_1023_OK.subarray(4), 1210)).toEqual([CALL_1023_OK]);
  });
});

describe('display registers', () => {
  it('maps a counter display state to registers 0–5', () => {
    const serving: CounterDisplay = {
      counterNumber: 12,
      label: 'A1023B45',
      state: 'serving',
      blink: false,
      at: 1,
      version: 7,
    };
    expect(displayRegisters({ counterNumber: 3, label: '1023', state: 'called', blink: true })).toEqual([
      3, 3, 0x3130, 0x3233, 0x2020, 0x2020,
    ]);
    expect(displayRegisters(serving)).toEqual([4, 12, 0x4131, 0x3032, 0x3342, 0x3435]);
    expect(displayRegisters({ counterNumber: 1, label: null, state: 'paused', blink: false })).toEqual([
      2, 1, 0x2020, 0x2020, 0x2020, 0x2020,
    ]);
    expect(displayRegisters({ counterNumber: 1, label: null, state: 'open', blink: false })[0]).toBe(1);
    expect(displayRegisters({ counterNumber: 1, label: null, state: 'closed', blink: false })[0]).toBe(0);
  });

  it('chimes only for a call with blink; a called state sent again shows steady', () => {
    expect(displayMode({ counterNumber: 1, label: '7', state: 'called', blink: true })).toBe('called');
    expect(displayMode({ counterNumber: 1, label: '7', state: 'called', blink: false })).toBe('serving');
  });

  it('reads registers back', () => {
    const values = displayRegisters({ counterNumber: 3, label: 'B017', state: 'called', blink: true });
    expect(readDisplayRegisters(values)).toEqual({ mode: 'called', counterNumber: 3, label: 'B017' });
    expect(readDisplayRegisters([0, 5, 0x2020, 0x2020, 0x2020, 0x2020])).toEqual({
      mode: 'blank',
      counterNumber: 5,
      label: null,
    });
    expect(() => readDisplayRegisters([9, 5, 0x2020, 0x2020, 0x2020, 0x2020])).toThrow(/mode 9/);
    expect(() => readDisplayRegisters([1, 5])).toThrow(RangeError);
  });

  it('refuses labels the display cannot show', () => {
    const state = { counterNumber: 1, state: 'called', blink: true } as const;
    expect(() => displayRegisters({ ...state, label: '123456789' })).toThrow(/8 printable ASCII/);
    expect(() => displayRegisters({ ...state, label: 'Đ12' })).toThrow(RangeError);
    expect(() => displayRegisters({ ...state, counterNumber: -1, label: '1' })).toThrow(/counter number/);
  });
});

describe('DisplayBusSim on its own', () => {
  it('answers writes to its addresses and shows them', () => {
    const sim = new DisplayBusSim([1, 3]);
    const shown: unknown[] = [];
    sim.on('shown', (address, state) => shown.push([address, state]));
    expect(sim.receive(CALL_1023)).toEqual([CALL_1023_OK]);
    expect(sim.shown(3)).toEqual({ mode: 'called', counterNumber: 3, label: '1023' });
    expect(sim.shown(1)).toEqual({ mode: 'blank', counterNumber: 0, label: null });
    expect(shown).toEqual([[3, { mode: 'called', counterNumber: 3, label: '1023' }]]);
  });

  it('ignores other addresses and bad CRCs, like a real slave', () => {
    const sim = new DisplayBusSim([1]);
    expect(sim.receive(CALL_1023)).toEqual([]);
    const broken = writeRegistersRequest(1, 0, [1, 1, 0x2020, 0x2020, 0x2020, 0x2020]);
    broken[8] = 0x09;
    expect(sim.receive(broken)).toEqual([]);
    expect(sim.requests).toEqual([]);
    // and finds the next good frame straight after the bad one
    expect(sim.receive(writeRegistersRequest(1, 0, [1, 1]))).toEqual([writeRegistersResponse(1, 0, 2)]);
  });

  it('answers exception 0x02 for registers it does not have, 0x03 for a bad mode, 0x01 for other functions', () => {
    const sim = new DisplayBusSim([5]);
    expect(sim.receive(writeRegistersRequest(5, 4, [1, 2, 3]))).toEqual([exceptionResponse(5, 0x10, 0x02)]);
    expect(sim.receive(writeRegistersRequest(5, 0, [7]))).toEqual([exceptionResponse(5, 0x10, 0x03)]);
    expect(sim.receive(withCrc(hex('05 03 00 00 00 06')))).toEqual([exceptionResponse(5, 0x03, 0x01)]);
    expect(sim.shown(5).mode).toBe('blank');
    // a partial write of the mode register alone is fine
    expect(sim.receive(writeRegistersRequest(5, 0, [2]))).toEqual([writeRegistersResponse(5, 0, 1)]);
    expect(sim.shown(5).mode).toBe('paused');
    expect(new DisplayBusSim([5], { registers: 4 }).receive(CALL_1023)).toEqual([]);
    expect(new DisplayBusSim([3], { registers: 4 }).receive(CALL_1023)).toEqual([
      exceptionResponse(3, 0x10, 2),
    ]);
    expect(DISPLAY_REGISTER_COUNT).toBe(6);
  });

  it('stays quiet when silenced, and can send broken answers', () => {
    const sim = new DisplayBusSim([3]);
    sim.silence(3);
    expect(sim.receive(CALL_1023)).toEqual([]);
    sim.silence(3, false);
    sim.corruptAnswers(3);
    const [answer] = sim.receive(CALL_1023);
    expect(answer && parseResponse(answer)).toBeNull();
    expect(sim.receive(CALL_1023)).toEqual([CALL_1023_OK]);
    expect(sim.writesTo(3)).toBe(2);
    expect(() => sim.shown(9)).toThrow(/no display at address 9/);
  });
});

describe('docs/rs485-displays.md', () => {
  const doc = readFileSync(new URL('../../docs/rs485-displays.md', import.meta.url), 'utf8');
  const frames = [...doc.matchAll(/^([→←]) ([0-9A-F]{2}(?: [0-9A-F]{2})+)$/gm)].map(([, way, bytes]) => ({
    way,
    frame: hex(bytes as string),
  }));

  it('shows example frames that the code builds and reads', () => {
    expect(frames.length).toBeGreaterThanOrEqual(9);
    for (const { way, frame } of frames) {
      expect(hasValidCrc(frame), toHex(frame)).toBe(true);
      if (way === '→') expect(parseWriteRequest(frame), toHex(frame)).not.toBeNull();
      else expect(parseResponse(frame), toHex(frame)).not.toBeNull();
    }
    expect(frames[0]?.frame).toEqual(
      writeRegistersRequest(
        3,
        0,
        displayRegisters({ counterNumber: 3, label: '1023', state: 'called', blink: true }),
      ),
    );
  });
});
