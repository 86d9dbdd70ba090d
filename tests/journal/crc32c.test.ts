import { describe, expect, it } from 'vitest';
import { crc32c, crc32cHex } from '../../controller/journal/crc32c.ts';

describe('CRC-32C', () => {
  it('gives the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283); // RFC 3720 / the standard check value
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43); // RFC 3720 B.4: 32 bytes of ones
    expect(crc32cHex(Buffer.from(''))).toBe('00000000');
  });

  it('changes with any single flipped bit', () => {
    const line = Buffer.from('{"type":"ticketIssued","ticket":{"id":"2026-11-23:dat-dai:1009"},"seq":12}');
    const sum = crc32c(line);
    for (let i = 0; i < line.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const flipped = Buffer.from(line);
        flipped[i] = (flipped[i] as number) ^ (1 << bit);
        expect(crc32c(flipped)).not.toBe(sum);
      }
    }
  });

  it('reads long inputs a word at a time with the same result, at any alignment and length', () => {
    // The bitwise definition (RFC 3720), one bit at a time: slow, plainly right.
    const reference = (bytes: Uint8Array) => {
      let crc = 0xffffffff;
      for (const byte of bytes) {
        crc ^= byte;
        for (let k = 0; k < 8; k++) crc = crc & 1 ? 0x82f63b78 ^ (crc >>> 1) : crc >>> 1;
      }
      return (crc ^ 0xffffffff) >>> 0;
    };
    const data = Buffer.from(
      Array.from({ length: 700 }, (_, i) => `Đ${i}ư`)
        .join('')
        .slice(0, 700),
      'utf8',
    );
    for (let offset = 0; offset < 8; offset++) {
      for (const length of [63, 64, 65, 71, 72, 73, 100, 257, 511]) {
        const slice = data.subarray(offset, offset + length);
        expect(crc32c(slice), `offset ${offset}, length ${length}`).toBe(reference(slice));
      }
    }
  });
});
