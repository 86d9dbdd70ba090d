/**
 * CRC-32C (Castagnoli): the checksum of every journal record and of the snapshot. Chosen over CRC-32
 * for its better detection of the errors storage makes (it is what iSCSI, ext4 metadata and many logs
 * use). Node 20 has no built-in. Slicing-by-8 (eight tables, eight bytes a step, read as two 32-bit words): about 4× the
 * byte-at-a-time loop, which matters for a big day's snapshot (26 MB at 50,000 tickets) read at every
 * start and written at every stop.
 */
const TABLES = (() => {
  const t = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = t[0] as Uint32Array;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    const prev = t[k - 1] as Uint32Array;
    const cur = t[k] as Uint32Array;
    for (let n = 0; n < 256; n++)
      cur[n] = ((prev[n] as number) >>> 8) ^ (t0[(prev[n] as number) & 0xff] as number);
  }
  return t;
})();
const [T0, T1, T2, T3, T4, T5, T6, T7] = TABLES as [
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
  Uint32Array,
];

/** Words are read in the machine's byte order: the word loop below is written for little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  let i = 0;
  const n = bytes.length;
  if (LITTLE_ENDIAN && n >= 64) {
    // Bytes up to a 4-byte boundary, then two 32-bit words a step (two loads, not eight: about
    // 1.5–2× the byte loop on a 26 MB snapshot), then the last bytes.
    for (; (bytes.byteOffset + i) % 4 !== 0; i++)
      crc = (T0[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, ((n - i) >>> 3) << 1);
    for (let w = 0; w < words.length; w += 2) {
      const lo = crc ^ (words[w] as number);
      const hi = words[w + 1] as number;
      crc =
        (T7[lo & 0xff] as number) ^
        (T6[(lo >>> 8) & 0xff] as number) ^
        (T5[(lo >>> 16) & 0xff] as number) ^
        (T4[lo >>> 24] as number) ^
        (T3[hi & 0xff] as number) ^
        (T2[(hi >>> 8) & 0xff] as number) ^
        (T1[(hi >>> 16) & 0xff] as number) ^
        (T0[hi >>> 24] as number);
    }
    i += words.length * 4;
  } else {
    const end8 = n - (n % 8);
    for (; i < end8; i += 8) {
      const lo =
        crc ^
        ((bytes[i] as number) |
          ((bytes[i + 1] as number) << 8) |
          ((bytes[i + 2] as number) << 16) |
          ((bytes[i + 3] as number) << 24));
      crc =
        (T7[lo & 0xff] as number) ^
        (T6[(lo >>> 8) & 0xff] as number) ^
        (T5[(lo >>> 16) & 0xff] as number) ^
        (T4[lo >>> 24] as number) ^
        (T3[bytes[i + 4] as number] as number) ^
        (T2[bytes[i + 5] as number] as number) ^
        (T1[bytes[i + 6] as number] as number) ^
        (T0[bytes[i + 7] as number] as number);
    }
  }
  for (; i < n; i++) crc = (T0[(crc ^ (bytes[i] as number)) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** The checksum as written in files: 8 lowercase hex digits. */
export function crc32cHex(bytes: Uint8Array): string {
  return crc32c(bytes).toString(16).padStart(8, '0');
}
