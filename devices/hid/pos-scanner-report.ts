/**
 * USB HID POS barcode scanners (HID Point of Sale Usage Tables 1.02, usage page 0x8C "Bar Code
 * Scanner"): the Scanned Data Report (usage 0x12) they send for every code read, and the codes
 * rebuilt from it.
 *
 * The spec names the report's fields (Symbology Identifier 1-3, Decoded Data, Decode Data
 * Continued) but leaves their layout to each device's report descriptor. The default layout here is
 * the 64-byte report that Honeywell declares in its descriptor and Access-IS documents byte by
 * byte; Datalogic and Zebra scanners in their "USB HID POS" mode are expected to send the same one
 * (an assumption: a scanner whose codes come out wrong can be checked with `usbhid-dump`, and a
 * different layout passed as `PosScannerLayout`):
 *
 *   byte 0       report id 0x02
 *   byte 1       how many decoded-data bytes this report carries (0-56)
 *   bytes 2-4    symbology identifier: the AIM id, "]" + code character + modifier ("]Q1": QR code)
 *   bytes 5-60   decoded data, zero padded
 *   bytes 61-62  vendor bytes (Honeywell: its own code id), ignored
 *   byte 63      bit 0 "Decode Data Continued": more reports of this code follow
 *
 * A code longer than 56 bytes (a chip ID card's QR is about 100) comes in several reports; every
 * one of them repeats the symbology identifier. The bytes are joined before they are decoded as
 * UTF-8, so a character split between two reports comes out whole. A CR/LF suffix, when the scanner
 * is set to add one, is removed.
 *
 * Nothing here throws: a report that does not fit the layout is refused (null), and the decoder
 * says why through `onReject`, so the controller can count it against the device. A code that is
 * cut off (garbage in the middle, its next report never coming) or too long is dropped whole, the
 * rest of its reports too: a fragment of a code is never handed on as a code.
 */

/** Where the fields are: only what differs between makers is configurable. */
export interface PosScannerLayout {
  /** Report id of the Scanned Data Report. */
  reportId: number;
  /** A byte after the report id counts the decoded-data bytes; without it, trailing zeros are padding. */
  lengthByte: boolean;
  /** Symbology identifier bytes before the data: 3 (the AIM id), or 0 for scanners that send none. */
  symbologyBytes: number;
  /** Size of the decoded-data field of one report. */
  dataBytes: number;
  /**
   * Offset (from the report id) of the byte whose bit 0 is "Decode Data Continued"; null for
   * scanners without that flag: a code then ends with a report that is not full, or with CR/LF.
   */
  continuedAt: number | null;
}

/** The Honeywell / Access-IS layout described above. */
export const HID_POS_LAYOUT: Readonly<PosScannerLayout> = {
  reportId: 0x02,
  lengthByte: true,
  symbologyBytes: 3,
  dataBytes: 56,
  continuedAt: 63,
};

/** One report's share of a code. */
export interface PosScannerReport {
  /** AIM symbology identifier (e.g. "]Q1"), or null when the scanner sends none. */
  symbology: string | null;
  data: Uint8Array;
  /** More reports of this code follow. */
  continued: boolean;
}

/** A complete code. */
export interface PosScan {
  data: string;
  symbology: string | null;
}

export type PosScannerRejection = 'malformed' | 'oversized';

export interface PosScannerDecoderOptions {
  layout?: PosScannerLayout;
  /** A code longer than this many bytes is refused (a CCCD QR is about 100; appointment codes less). */
  maxBytes?: number;
  /** A code whose next report does not come within this long is dropped (the scanner was unplugged mid-code). */
  partialTimeoutMs?: number;
  clock?: () => number;
  /** Why a report or a code was refused. */
  onReject?: (kind: PosScannerRejection, detail: string) => void;
}

const CR = 0x0d;
const LF = 0x0a;

/** Bytes from what node-hid hands over (a Buffer; number arrays from its sync reads), or null. */
export function reportBytes(report: unknown): Uint8Array | null {
  if (report instanceof Uint8Array) return report;
  if (Array.isArray(report) && report.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Uint8Array.from(report as number[]);
  }
  return null;
}

/** One Scanned Data Report, or null when it does not fit the layout. */
export function parsePosScannerReport(
  report: unknown,
  layout: PosScannerLayout = HID_POS_LAYOUT,
): PosScannerReport | null {
  const bytes = reportBytes(report);
  if (!bytes || bytes.length < 1 || bytes[0] !== layout.reportId) return null;
  const symbologyAt = layout.lengthByte ? 2 : 1;
  const dataAt = symbologyAt + layout.symbologyBytes;
  if (bytes.length < dataAt) return null;
  if (layout.continuedAt !== null && bytes.length <= layout.continuedAt) return null;

  let symbology: string | null = null;
  if (layout.symbologyBytes > 0) {
    const id = bytes.subarray(symbologyAt, dataAt);
    const printable = id.filter((b) => b !== 0);
    if (printable.some((b) => b < 0x21 || b > 0x7e)) return null;
    symbology = printable.length > 0 ? String.fromCharCode(...printable) : null;
  }

  let length: number;
  if (layout.lengthByte) {
    length = bytes[1] as number;
    if (length > layout.dataBytes || dataAt + length > bytes.length) return null;
  } else {
    const field = bytes.subarray(dataAt, Math.min(bytes.length, dataAt + layout.dataBytes));
    length = field.length;
    while (length > 0 && field[length - 1] === 0) length--;
  }
  const continued = layout.continuedAt !== null && ((bytes[layout.continuedAt] as number) & 0x01) === 1;
  return { symbology, data: bytes.slice(dataAt, dataAt + length), continued };
}

/** Joins the reports of one scanner into codes; one decoder per opened scanner. */
export class PosScannerDecoder {
  readonly #layout: PosScannerLayout;
  readonly #maxBytes: number;
  readonly #partialTimeoutMs: number;
  readonly #clock: () => number;
  readonly #onReject: (kind: PosScannerRejection, detail: string) => void;
  #parts: Uint8Array[] = [];
  #size = 0;
  #symbology: string | null = null;
  #lastAt = 0;
  /** After a code was cut off or refused: its remaining reports are passed over. */
  #skipping = false;

  constructor(options: PosScannerDecoderOptions = {}) {
    this.#layout = options.layout ?? HID_POS_LAYOUT;
    this.#maxBytes = options.maxBytes ?? 4096;
    this.#partialTimeoutMs = options.partialTimeoutMs ?? 1000;
    this.#clock = options.clock ?? Date.now;
    this.#onReject = options.onReject ?? (() => undefined);
  }

  /** Is a code half received? */
  get pending(): boolean {
    return this.#parts.length > 0;
  }

  /** The complete code this report ends, or null (more to come, or refused). Never throws. */
  push(report: unknown): PosScan | null {
    const now = this.#clock();
    if (now - this.#lastAt > this.#partialTimeoutMs) {
      if (this.pending) this.#drop('malformed', 'a code was cut off: its next report never came');
      this.#skipping = false;
    }
    this.#lastAt = now;
    const part = parsePosScannerReport(report, this.#layout);
    if (!part) {
      const cut = this.pending || this.#skipping;
      this.#reset();
      this.#skipping = cut; // the rest of an interrupted code is not a code of its own
      const lost = cut ? '; the code it interrupted is lost' : '';
      this.#onReject('malformed', `not a HID POS scanned data report (${describe(report)})${lost}`);
      return null;
    }
    if (this.#skipping) {
      if (this.#ended(part)) this.#skipping = false;
      return null;
    }
    if (this.pending && part.symbology !== this.#symbology) {
      // The end of the last code went missing: this report begins the next one.
      this.#drop('malformed', 'a code was cut off: the next report is of another symbology');
    }
    if (!this.pending) this.#symbology = part.symbology;
    this.#size += part.data.length;
    if (this.#size > this.#maxBytes) {
      this.#reset();
      this.#skipping = !this.#ended(part);
      this.#onReject('oversized', `a code longer than ${this.#maxBytes} bytes`);
      return null;
    }
    this.#parts.push(part.data);
    if (!this.#ended(part)) return null;

    const joined = Buffer.concat(this.#parts);
    const symbology = this.#symbology;
    this.#reset();
    let end = joined.length;
    while (end > 0 && (joined[end - 1] === CR || joined[end - 1] === LF)) end--;
    if (end === 0) return null; // an empty read: nothing to hand on, nothing wrong either
    return { data: joined.toString('utf8', 0, end), symbology };
  }

  #ended(part: PosScannerReport): boolean {
    if (this.#layout.continuedAt !== null) return !part.continued;
    const last = part.data[part.data.length - 1];
    return part.data.length < this.#layout.dataBytes || last === CR || last === LF;
  }

  #drop(kind: PosScannerRejection, detail: string): void {
    this.#reset();
    this.#onReject(kind, detail);
  }

  #reset(): void {
    this.#parts = [];
    this.#size = 0;
    this.#symbology = null;
  }
}

/** A refused report, described without its content (it may hold a citizen's ID number). */
function describe(report: unknown): string {
  const bytes = reportBytes(report);
  if (!bytes) return typeof report;
  if (bytes.length === 0) return 'empty';
  return `${bytes.length} bytes, report id 0x${(bytes[0] as number).toString(16).padStart(2, '0')}`;
}
