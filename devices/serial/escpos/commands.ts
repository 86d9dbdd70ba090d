/**
 * ESC/POS command builders (Epson ESC/POS command reference). Each returns fresh bytes; concatenate
 * them with the encoded text and write the result to the printer.
 */

export const LF = 0x0a;
export const DLE = 0x10;
export const EOT = 0x04;
export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;

export type Alignment = 'left' | 'center' | 'right';
export type CutMode = 'partial' | 'full';
export type QrErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrOptions {
  /** Module size in dots, 1–16 (default 6). */
  size?: number;
  /** Error correction level (default 'M', 15 %). */
  errorCorrection?: QrErrorCorrection;
}

/** Most data GS ( k <Function 180> accepts (pL pH ≤ 7092, minus 3 bytes of header). */
export const QR_MAX_DATA_BYTES = 7089;

function byteParam(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** ESC @ — initialise: clears the print buffer and resets every mode to its power-on default. */
export function init(): Buffer {
  return Buffer.from([ESC, 0x40]);
}

/** LF — prints the buffer and feeds one line. */
export function lineFeed(): Buffer {
  return Buffer.from([LF]);
}

/** ESC t n — selects character code table n (the numbering is the printer maker's). */
export function codePage(n: number): Buffer {
  return Buffer.from([ESC, 0x74, byteParam('code page', n, 0, 255)]);
}

const ALIGNMENT: Record<Alignment, number> = { left: 0, center: 1, right: 2 };

/** ESC a n — justification of the lines that follow. */
export function align(alignment: Alignment): Buffer {
  return Buffer.from([ESC, 0x61, ALIGNMENT[alignment]]);
}

/** ESC E n — emphasized (bold) on or off. */
export function bold(on: boolean): Buffer {
  return Buffer.from([ESC, 0x45, on ? 1 : 0]);
}

/** GS ! n — character width and height multipliers, each 1–8 (1, 1 = normal). */
export function size(width: number, height: number): Buffer {
  const w = byteParam('width', width, 1, 8) - 1;
  const h = byteParam('height', height, 1, 8) - 1;
  return Buffer.from([GS, 0x21, (w << 4) | h]);
}

/** ESC d n — prints the buffer and feeds n lines (0–255). */
export function feed(lines: number): Buffer {
  return Buffer.from([ESC, 0x64, byteParam('lines', lines, 0, 255)]);
}

/**
 * GS V m n (function B) — feeds the paper to the cutting position plus `feedDots` dots, then cuts:
 * m = 66 partial (one point left uncut), m = 65 full.
 */
export function cut(mode: CutMode = 'partial', feedDots = 0): Buffer {
  return Buffer.from([GS, 0x56, mode === 'partial' ? 66 : 65, byteParam('feed dots', feedDots, 0, 255)]);
}

const QR_ERROR_CORRECTION: Record<QrErrorCorrection, number> = { L: 48, M: 49, Q: 50, H: 51 };

/** GS ( k, cn = 49 (QR Code): pL pH = the bytes after them. */
function qrFunction(fn: number, params: Uint8Array): Buffer {
  const length = params.length + 2;
  return Buffer.concat([Buffer.from([GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, fn]), params]);
}

/**
 * A QR code, model 2: GS ( k functions 165 (model), 167 (module size), 169 (error correction),
 * 180 (store the data, UTF-8 when given as a string) and 181 (print the stored symbol).
 */
export function qrCode(data: string | Uint8Array, options: QrOptions = {}): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length === 0 || bytes.length > QR_MAX_DATA_BYTES) {
    throw new RangeError(`QR data must be 1 to ${QR_MAX_DATA_BYTES} bytes, got ${bytes.length}`);
  }
  const moduleSize = byteParam('QR module size', options.size ?? 6, 1, 16);
  const level = QR_ERROR_CORRECTION[options.errorCorrection ?? 'M'];
  return Buffer.concat([
    qrFunction(0x41, Uint8Array.of(0x32, 0x00)), // 165: model 2
    qrFunction(0x43, Uint8Array.of(moduleSize)), // 167: module size
    qrFunction(0x45, Uint8Array.of(level)), // 169: error correction level
    qrFunction(0x50, Buffer.concat([Uint8Array.of(0x30), bytes])), // 180: store (m = 48)
    qrFunction(0x51, Uint8Array.of(0x30)), // 181: print (m = 48)
  ]);
}

/**
 * DLE EOT n — real-time status requests; the printer answers each with one byte, even while it is
 * offline (parse it with `parseStatusByte(n, byte)`). Do not modify these buffers.
 */
export const STATUS_REQUEST = Object.freeze({
  /** n = 1: printer status (online / offline). */
  printer: Buffer.from([DLE, EOT, 1]),
  /** n = 2: offline cause (cover, feed button, paper end stop, error). */
  offline: Buffer.from([DLE, EOT, 2]),
  /** n = 3: error cause (cutter, unrecoverable, auto-recoverable). */
  error: Buffer.from([DLE, EOT, 3]),
  /** n = 4: roll paper sensor (near end, end). */
  paper: Buffer.from([DLE, EOT, 4]),
});
