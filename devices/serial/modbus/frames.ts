/**
 * Modbus RTU framing for the display bus: building and reading "write multiple registers" (0x10)
 * frames, exception answers, and cutting a serial byte stream into frames.
 *
 * A frame is `address, function, data…, CRC lo, CRC hi`. Register values are big-endian.
 */
import { crc16Modbus } from './crc16.ts';

export const FN_WRITE_MULTIPLE_REGISTERS = 0x10;
/** Set in the function byte of an exception answer. */
export const EXCEPTION_BIT = 0x80;
/** Largest quantity of registers one 0x10 request may write (Modbus spec). */
export const MAX_WRITE_REGISTERS = 123;
/** Unit addresses a request may name (0 is broadcast, which gets no answer). */
export const MIN_ADDRESS = 1;
export const MAX_ADDRESS = 247;

export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  1: 'illegal function',
  2: 'illegal data address',
  3: 'illegal data value',
  4: 'server device failure',
  5: 'acknowledge',
  6: 'server device busy',
  8: 'memory parity error',
  10: 'gateway path unavailable',
  11: 'gateway target device failed to respond',
};

/** `0x02 (illegal data address)`. */
export function exceptionName(code: number): string {
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return `${hex} (${EXCEPTION_NAMES[code] ?? 'unknown exception'})`;
}

/** A frame as spaced hex, `01 10 00 00 …`, for logs and docs. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes)
    .toString('hex')
    .replace(/(..)(?!$)/g, '$1 ')
    .toUpperCase();
}

/** `body` followed by its CRC, low byte first. */
export function withCrc(body: Uint8Array): Buffer {
  const crc = crc16Modbus(body);
  return Buffer.concat([body, Buffer.from([crc & 0xff, crc >>> 8])]);
}

/** True when the last two bytes of `frame` are the CRC of the rest. */
export function hasValidCrc(frame: Uint8Array): boolean {
  if (frame.length < 4) return false;
  const crc = crc16Modbus(frame.subarray(0, frame.length - 2));
  return frame[frame.length - 2] === (crc & 0xff) && frame[frame.length - 1] === crc >>> 8;
}

function checkAddress(address: number, allowBroadcast = false): void {
  const min = allowBroadcast ? 0 : MIN_ADDRESS;
  if (!Number.isInteger(address) || address < min || address > MAX_ADDRESS) {
    throw new RangeError(`Modbus address must be ${min}–${MAX_ADDRESS}, got ${address}`);
  }
}

function checkWord(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
    throw new RangeError(`${what} must be an integer 0–65535, got ${value}`);
  }
}

/** Function 0x10: write `values` into consecutive holding registers from `startRegister`. */
export function writeRegistersRequest(address: number, startRegister: number, values: number[]): Buffer {
  checkAddress(address, true);
  checkWord(startRegister, 'start register');
  if (values.length < 1 || values.length > MAX_WRITE_REGISTERS) {
    throw new RangeError(`a write carries 1–${MAX_WRITE_REGISTERS} registers, got ${values.length}`);
  }
  if (startRegister + values.length > 0x10000) throw new RangeError('registers run past 65535');
  const body = Buffer.alloc(7 + values.length * 2);
  body[0] = address;
  body[1] = FN_WRITE_MULTIPLE_REGISTERS;
  body.writeUInt16BE(startRegister, 2);
  body.writeUInt16BE(values.length, 4);
  body[6] = values.length * 2;
  values.forEach((value, i) => {
    checkWord(value, `register ${startRegister + i}`);
    body.writeUInt16BE(value, 7 + i * 2);
  });
  return withCrc(body);
}

/** The normal answer to a 0x10 request: address, 0x10, start, quantity (8 bytes). */
export function writeRegistersResponse(address: number, startRegister: number, quantity: number): Buffer {
  checkAddress(address);
  const body = Buffer.alloc(6);
  body[0] = address;
  body[1] = FN_WRITE_MULTIPLE_REGISTERS;
  body.writeUInt16BE(startRegister, 2);
  body.writeUInt16BE(quantity, 4);
  return withCrc(body);
}

/** An exception answer: address, function | 0x80, exception code (5 bytes). */
export function exceptionResponse(address: number, functionCode: number, exceptionCode: number): Buffer {
  checkAddress(address);
  return withCrc(Buffer.from([address, (functionCode | EXCEPTION_BIT) & 0xff, exceptionCode]));
}

export type WriteResponse =
  | { address: number; function: number; ok: true; start: number; quantity: number }
  /** `function` is the requested function (without the 0x80 bit). */
  | { address: number; function: number; ok: false; exceptionCode: number };

/**
 * Reads one answer to a write (0x10 or 0x0F) or any exception answer. Null when the frame is too
 * short, its CRC is wrong, or it is not such an answer.
 */
export function parseResponse(frame: Buffer): WriteResponse | null {
  if (frame.length < 5 || !hasValidCrc(frame)) return null;
  const address = frame[0] as number;
  const fn = frame[1] as number;
  if (fn & EXCEPTION_BIT) {
    if (frame.length !== 5) return null;
    return { address, function: fn & ~EXCEPTION_BIT, ok: false, exceptionCode: frame[2] as number };
  }
  if ((fn === 0x10 || fn === 0x0f) && frame.length === 8) {
    return { address, function: fn, ok: true, start: frame.readUInt16BE(2), quantity: frame.readUInt16BE(4) };
  }
  return null;
}

export interface WriteRequest {
  address: number;
  start: number;
  quantity: number;
  /** As many values as the byte count carries (a sound request has `quantity` of them). */
  values: number[];
}

/** Reads a 0x10 request (for display firmware and the simulator). Null on a bad CRC or another function. */
export function parseWriteRequest(frame: Buffer): WriteRequest | null {
  if (frame.length < 9 || !hasValidCrc(frame) || frame[1] !== FN_WRITE_MULTIPLE_REGISTERS) return null;
  const byteCount = frame[6] as number;
  if (frame.length !== 9 + byteCount) return null;
  const values: number[] = [];
  for (let i = 0; i + 1 < byteCount; i += 2) values.push(frame.readUInt16BE(7 + i));
  return {
    address: frame[0] as number,
    start: frame.readUInt16BE(2),
    quantity: frame.readUInt16BE(4),
    values,
  };
}

/** Returned by the frame-length functions when more bytes are needed to tell the length. */
export const NEED_MORE = 0;
/** Returned by the frame-length functions when the bytes cannot start a frame. */
export const NOT_A_FRAME = -1;

/**
 * Length of the request that starts `bytes` (the master's frames, as a display hears them):
 * `NEED_MORE`, `NOT_A_FRAME` or the length including CRC.
 */
export function requestFrameLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return NEED_MORE;
  if ((bytes[0] as number) > MAX_ADDRESS) return NOT_A_FRAME;
  const fn = bytes[1] as number;
  if (fn >= 0x01 && fn <= 0x06) return 8; // reads, single writes: address, fn, 4 bytes, CRC
  if (fn === 0x0f || fn === 0x10) return bytes.length < 7 ? NEED_MORE : 9 + (bytes[6] as number);
  return NOT_A_FRAME;
}

/**
 * Length of the answer that starts `bytes` (a display's frames, as the master hears them):
 * `NEED_MORE`, `NOT_A_FRAME` or the length including CRC.
 */
export function responseFrameLength(bytes: Uint8Array): number {
  if (bytes.length < 2) return NEED_MORE;
  const address = bytes[0] as number;
  if (address < MIN_ADDRESS || address > MAX_ADDRESS) return NOT_A_FRAME;
  const fn = bytes[1] as number;
  if (fn & EXCEPTION_BIT) return 5;
  if (fn === 0x05 || fn === 0x06 || fn === 0x0f || fn === 0x10) return 8;
  if (fn >= 0x01 && fn <= 0x04) return bytes.length < 3 ? NEED_MORE : 5 + (bytes[2] as number);
  return NOT_A_FRAME;
}

export interface SplitterOptions {
  /** Which side's frames to expect: 'responses' (the controller) or 'requests' (a display). */
  expect?: 'responses' | 'requests';
  /**
   * Silence, in ms, after which an unfinished frame is thrown away (Modbus's t3.5 rule, made
   * generous for USB adapters). Leave unset to keep partial frames until `reset()`.
   */
  gapMs?: number;
}

/**
 * Cuts a serial byte stream into whole frames with a good CRC. Chunks may split or join frames
 * anyhow; bytes that do not make a frame (line noise, a corrupted answer) are dropped one at a time
 * until a frame with a good CRC lines up again.
 */
export class RtuFrameSplitter {
  /** Bytes thrown away so far while resynchronising. */
  dropped = 0;
  #buffer = Buffer.alloc(0);
  #lastAt = 0;
  readonly #frameLength: (bytes: Uint8Array) => number;
  readonly #gapMs: number | undefined;

  constructor(options: SplitterOptions = {}) {
    this.#frameLength = options.expect === 'requests' ? requestFrameLength : responseFrameLength;
    this.#gapMs = options.gapMs;
  }

  /** Adds received bytes; returns the frames they complete, in order. */
  push(bytes: Uint8Array, now = Date.now()): Buffer[] {
    if (this.#gapMs !== undefined && this.#buffer.length > 0 && now - this.#lastAt > this.#gapMs)
      this.reset();
    this.#lastAt = now;
    this.#buffer = Buffer.concat([this.#buffer, bytes]);
    const frames: Buffer[] = [];
    for (;;) {
      const length = this.#frameLength(this.#buffer);
      if (length === NEED_MORE || this.#buffer.length < length) {
        // Waiting for the rest, unless a whole good frame already lies further on: then the
        // bytes before it were noise that only looked like the start of a long frame.
        const next = this.#nextWholeFrame();
        if (next < 0) break;
        this.#drop(next);
      } else if (length !== NOT_A_FRAME && hasValidCrc(this.#buffer.subarray(0, length))) {
        frames.push(Buffer.from(this.#buffer.subarray(0, length)));
        this.#buffer = this.#buffer.subarray(length);
      } else {
        this.#drop(1);
      }
    }
    return frames;
  }

  #drop(count: number): void {
    this.#buffer = this.#buffer.subarray(count);
    this.dropped += count;
  }

  /** Offset (after 0) of the first complete frame with a good CRC in the buffer, or -1. */
  #nextWholeFrame(): number {
    for (let offset = 1; offset + 4 <= this.#buffer.length; offset++) {
      const rest = this.#buffer.subarray(offset);
      const length = this.#frameLength(rest);
      if (length > 0 && length <= rest.length && hasValidCrc(rest.subarray(0, length))) return offset;
    }
    return -1;
  }

  /** Bytes held back waiting for the rest of a frame. */
  get pending(): number {
    return this.#buffer.length;
  }

  /** Forgets any partial frame (the master does this before each request). */
  reset(): void {
    this.dropped += this.#buffer.length;
    this.#buffer = Buffer.alloc(0);
  }
}
