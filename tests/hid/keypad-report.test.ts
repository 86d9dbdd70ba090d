import { describe, expect, it } from 'vitest';
import { KeypadDecoder, parseKeypadReport } from '../../devices/hid/keypad-report.ts';
import { keyReport } from './reports.ts';

function keypad(keys: number[], debounceMs = 500) {
  let now = 1_000_000;
  const rejected: string[] = [];
  const d = new KeypadDecoder(keys, {
    debounceMs,
    clock: () => now,
    onReject: (_, detail) => rejected.push(detail),
  });
  return {
    press: (report: unknown) => d.push(report),
    wait: (ms: number) => {
      now += ms;
    },
    rejected,
  };
}

describe('parseKeypadReport', () => {
  it('takes the first non-zero byte after the report id as the key', () => {
    expect(parseKeypadReport(keyReport(3))).toEqual({ key: 3 });
    expect(parseKeypadReport([0x05, 0, 0, 0x1f, 0x20])).toEqual({ key: 0x1f }); // keyboard-style: byte 0 skipped
    expect(parseKeypadReport(keyReport(0))).toEqual({ key: null });
  });

  it('refuses what is not a report', () => {
    for (const garbage of [undefined, null, 'key', {}, [], [0x01], Buffer.alloc(0)])
      expect(parseKeypadReport(garbage)).toBeNull();
  });
});

describe('KeypadDecoder', () => {
  it('maps key codes to levels, best first, and ignores releases', () => {
    const k = keypad([0x0a, 0x0b, 0x0c, 0x0d]);
    expect(k.press(keyReport(0x0a))).toBe(1);
    expect(k.press(keyReport(0))).toBeNull();
    expect(k.press(keyReport(0x0d))).toBe(4);
    expect(k.press(keyReport(0x0b))).toBe(2);
    expect(k.rejected).toEqual([]);
  });

  it('counts identical reports within the debounce window once, a held key once, a new key at once', () => {
    const k = keypad([1, 2, 3, 4]);
    expect(k.press(keyReport(2))).toBe(2);
    k.wait(30);
    expect(k.press(keyReport(2))).toBeNull(); // bounce
    k.press(keyReport(0));
    k.wait(30);
    expect(k.press(keyReport(2))).toBeNull(); // bounce across a release
    for (let i = 0; i < 20; i++) {
      k.wait(100);
      expect(k.press(keyReport(2))).toBeNull(); // held: the repeats keep the window open
    }
    expect(k.press(keyReport(3))).toBe(3); // another key counts at once
    k.wait(600);
    expect(k.press(keyReport(3))).toBe(3); // the same key again, later
    k.wait(600);
    expect(k.press(keyReport(2))).toBe(2);
  });

  it('refuses unmapped keys and garbage, and says why', () => {
    const k = keypad([1, 2, 3]);
    expect(k.press(keyReport(9))).toBeNull();
    expect(k.press('9')).toBeNull();
    expect(k.rejected).toEqual([
      'key code 0x09 is not one of hid.keys [1, 2, 3]',
      'not a keypad report: nothing after the report id',
    ]);
  });
});
