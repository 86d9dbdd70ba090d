/**
 * A thermal ticket printer that speaks ESC/POS, for tests and the simulator: feed it the bytes the
 * host writes (`write`, in chunks of any size — a command split across chunks waits for the rest),
 * read the tickets it cuts (`tickets`, event 'ticket') and the bytes it answers (event 'data' and the
 * `answer` callback).
 *
 * Understood:
 *   LF; HT (a space); CR and other control bytes are ignored.
 *   ESC @ (init), ESC t n (code page), ESC a n (align), ESC E n (bold), ESC ! n (print mode),
 *   ESC d n (feed lines), ESC J n (print and feed), ESC i / ESC m (obsolete full / partial cut).
 *   GS ! n (size), GS V m [n] (cut, functions A and B; C and D cut too), GS ( k cn = 49 (QR Code:
 *   functions 165, 167, 169, 180 store, 181 print).
 *   DLE EOT n: n = 1–4 answered with a status byte; n = 7, 8 (with their parameter) unanswered.
 * Skipped whole, with their parameters, without effect:
 *   ESC SP % - 2 3 < = ? G K M R T U V c3 c4 c5 e r u v { $ \ p D * & W; GS ( x (any function,
 *   by pL pH), GS 8 L, GS k, GS v 0, GS *, GS / B H I L P W a b f h j r w T ^ :; FS & . ! - C W S
 *   2 p ( x; DLE ENQ n, DLE DC4 fn (fn = 1, 2, 7, 8).
 * Any other ESC/GS/FS x is skipped as those two bytes: should it have parameters, they print as text.
 *
 * Text is decoded with the selected table: Windows-1258 when ESC t selected `wpc1258CodePage`,
 * otherwise ASCII (a byte above 0x7F prints as U+FFFD, the garbage a wrong table gives).
 *
 * Paper: `paper` tickets; each cut uses one. Near end at `nearEndAt` tickets or fewer. With no paper,
 * the cover open or offline, the printer stops: it drops what it receives (a real printer may keep it
 * in its buffer and print it once paper is loaded) but still answers DLE EOT.
 */
import { EventEmitter } from 'node:events';
import iconv from 'iconv-lite';
import type { Alignment, CutMode } from '../../devices/serial/escpos/commands.ts';
import { DEFAULT_WPC1258_CODE_PAGE } from '../../devices/serial/escpos/ticket.ts';

export interface PrintedLine {
  text: string;
  align: Alignment;
  bold: boolean;
  /** Largest character width / height multiplier on the line. */
  width: number;
  height: number;
}

export interface SimTicket {
  /** Text of each printed line, NFC ('' for a blank line). */
  lines: string[];
  /** The same lines with their layout. */
  printed: PrintedLine[];
  /** Data of the last QR code printed on the ticket. */
  qr: string | null;
  cut: CutMode;
}

export interface EscPosPrinterSimOptions {
  /** ESC t number this printer gives WPC1258 (default DEFAULT_WPC1258_CODE_PAGE). */
  wpc1258CodePage?: number;
  /** Tickets' worth of paper loaded (default 500). */
  paper?: number;
  /** Paper near end at this many tickets or fewer (default 20). */
  nearEndAt?: number;
  /** Called with every answer (status bytes), as the host would read it from the port. */
  answer?: (bytes: Buffer) => void;
}

export interface EscPosPrinterSimEvents {
  ticket: [SimTicket];
  data: [Buffer];
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const DLE = 0x10;

const WINDOWS_1258: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  iconv.decode(Buffer.of(byte), 'windows1258'),
);
const ASCII: readonly string[] = Array.from({ length: 256 }, (_, byte) =>
  byte < 0x80 ? String.fromCharCode(byte) : '\uFFFD',
);

/** Parameter bytes of ESC x commands skipped without effect. */
const ESC_SKIPPED: Readonly<Record<number, number>> = {
  32: 1, // SP: right-side character spacing
  37: 1, // %: user-defined character set
  45: 1, // -: underline
  50: 0, // 2: default line spacing
  51: 1, // 3: line spacing
  60: 0, // <: return home
  61: 1, // =: select peripheral device
  63: 1, // ?: cancel user-defined character
  71: 1, // G: double-strike
  75: 1, // K: reverse feed
  77: 1, // M: font
  82: 1, // R: international character set
  84: 1, // T: print direction (page mode)
  85: 1, // U: unidirectional printing
  86: 1, // V: 90° rotation
  99: 2, // c 3 n, c 4 n, c 5 n: paper sensors, panel buttons
  101: 1, // e: reverse feed lines
  114: 1, // r: print colour
  117: 1, // u: peripheral status (not answered)
  118: 0, // v: paper sensor status (not answered)
  123: 1, // {: upside-down
  36: 2, // $: absolute print position
  92: 2, // \: relative print position
  112: 3, // p: drawer kick pulse
  87: 8, // W: print area in page mode
};

/** Parameter bytes of GS x commands skipped without effect. */
const GS_SKIPPED: Readonly<Record<number, number>> = {
  47: 1, // /: print downloaded bit image
  66: 1, // B: reverse printing
  72: 1, // H: HRI position
  73: 1, // I: printer ID (not answered)
  76: 2, // L: left margin
  80: 2, // P: motion units
  87: 2, // W: print area width
  97: 1, // a: automatic status back (not sent)
  98: 1, // b: smoothing
  102: 1, // f: HRI font
  104: 1, // h: barcode height
  106: 1, // j: automatic status back for ink
  114: 1, // r: status (not answered)
  119: 1, // w: barcode module width
  84: 1, // T: print position to line start
  94: 3, // ^: execute macro
  58: 0, // :: macro definition start / end
};

/** Parameter bytes of FS x commands skipped without effect (Kanji mode and the like). */
const FS_SKIPPED: Readonly<Record<number, number>> = {
  38: 0, // &: Kanji mode on
  46: 0, // .: Kanji mode off
  33: 1, // !: Kanji print mode
  45: 1, // -: Kanji underline
  67: 1, // C: Kanji code system
  87: 1, // W: Kanji quadruple size
  83: 2, // S: Kanji spacing
  50: 74, // 2 c1 c2 + 72 bytes: user-defined Kanji
  112: 2, // p n m: print NV bit image
};

/** What a handler returns when the command has not fully arrived. */
const INCOMPLETE = 0;

const u16 = (buf: Buffer, at: number): number => (buf[at] as number) + (buf[at + 1] as number) * 256;

/** A command of `length` bytes. */
function fixed(buf: Buffer, pos: number, length: number): number {
  return buf.length < pos + length ? INCOMPLETE : length;
}

/** A command of `header` bytes, then data of `dataLength()` bytes; `act` runs once it is all in. */
function sized(buf: Buffer, pos: number, header: number, dataLength: () => number, act?: () => void): number {
  if (buf.length < pos + header) return INCOMPLETE;
  const length = header + dataLength();
  if (buf.length < pos + length) return INCOMPLETE;
  act?.();
  return length;
}

/** A command whose data ends with NUL, from `from` bytes after `pos`. */
function untilNul(buf: Buffer, pos: number, from: number): number {
  const end = buf.indexOf(0, pos + from);
  return end < 0 ? INCOMPLETE : end + 1 - pos;
}

/** ESC & y c1 c2 [x d1 … d(y × x)] × (c2 − c1 + 1): user-defined characters. */
function userDefinedCharacters(buf: Buffer, pos: number): number {
  if (buf.length < pos + 5) return INCOMPLETE;
  const y = buf[pos + 2] as number;
  const count = (buf[pos + 4] as number) - (buf[pos + 3] as number) + 1;
  let at = pos + 5;
  for (let i = 0; i < count; i++) {
    const x = buf[at];
    if (x === undefined) return INCOMPLETE;
    at += 1 + y * x;
  }
  return at > buf.length ? INCOMPLETE : at - pos;
}

export class EscPosPrinterSim extends EventEmitter<EscPosPrinterSimEvents> {
  readonly tickets: SimTicket[] = [];
  readonly wpc1258CodePage: number;
  readonly nearEndAt: number;
  /** Characters, line feeds, QR codes and cuts dropped while the printer was stopped. */
  dropped = 0;

  #paper: number;
  #coverOpen = false;
  #online = true;
  #answer: ((bytes: Buffer) => void) | undefined;
  #pending: Buffer = Buffer.alloc(0);

  // Modes (reset by ESC @).
  #codePage = 0;
  #align: Alignment = 'left';
  #bold = false;
  #width = 1;
  #height = 1;
  #qrStored: Buffer | null = null;

  // Paper since the last cut.
  #line: { text: string; align: Alignment; bold: boolean; width: number; height: number } | null = null;
  #printed: PrintedLine[] = [];
  #qrPrinted: string | null = null;

  constructor(options: EscPosPrinterSimOptions = {}) {
    super();
    this.wpc1258CodePage = options.wpc1258CodePage ?? DEFAULT_WPC1258_CODE_PAGE;
    this.#paper = options.paper ?? 500;
    this.nearEndAt = options.nearEndAt ?? 20;
    this.#answer = options.answer;
  }

  get paper(): number {
    return this.#paper;
  }
  get paperEnd(): boolean {
    return this.#paper <= 0;
  }
  get paperNearEnd(): boolean {
    return this.#paper <= this.nearEndAt;
  }
  get coverOpen(): boolean {
    return this.#coverOpen;
  }
  /** Online as the printer reports it (DLE EOT 1): not with the cover open or the paper out. */
  get online(): boolean {
    return this.#online && !this.#coverOpen && !this.paperEnd;
  }
  /** Lines printed since the last cut. */
  get currentLines(): string[] {
    return this.#printed.map((line) => line.text);
  }

  openCover(open: boolean): void {
    this.#coverOpen = open;
  }
  /** Loads paper for `tickets` tickets. */
  refill(tickets: number): void {
    this.#paper = tickets;
  }
  setOnline(online: boolean): void {
    this.#online = online;
  }

  /** The answer to DLE EOT n (n = 1–4). */
  statusByte(query: 1 | 2 | 3 | 4): number {
    let byte = 0x12;
    if (query === 1 && !this.online) byte |= 0x08;
    if (query === 2) {
      if (this.#coverOpen) byte |= 0x04;
      if (this.paperEnd) byte |= 0x20;
    }
    if (query === 4) {
      if (this.paperNearEnd) byte |= 0x0c;
      if (this.paperEnd) byte |= 0x60;
    }
    return byte;
  }

  /** Bytes from the host. */
  write(bytes: Uint8Array): void {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pending = this.#pending.length === 0 ? Buffer.from(data) : Buffer.concat([this.#pending, data]);
    let pos = 0;
    while (pos < this.#pending.length) {
      const used = this.#step(this.#pending, pos);
      if (used === INCOMPLETE) break;
      pos += used;
    }
    this.#pending = this.#pending.subarray(pos);
  }

  get #printing(): boolean {
    return this.online;
  }

  #send(bytes: Buffer): void {
    this.#answer?.(bytes);
    this.emit('data', bytes);
  }

  /** Handles the command or character at `pos`; returns the bytes it took, 0 if incomplete. */
  #step(buf: Buffer, pos: number): number {
    const byte = buf[pos] as number;
    switch (byte) {
      case 0x0a:
        this.#lineFeed();
        return 1;
      case 0x09:
        this.#char(' ');
        return 1;
      case DLE:
        return this.#dle(buf, pos);
      case ESC:
        return this.#esc(buf, pos);
      case GS:
        return this.#gs(buf, pos);
      case FS:
        return this.#fs(buf, pos);
    }
    if (byte < 0x20 || byte === 0x7f) return 1;
    const table = this.#codePage === this.wpc1258CodePage ? WINDOWS_1258 : ASCII;
    this.#char(table[byte] as string);
    return 1;
  }

  #dle(buf: Buffer, pos: number): number {
    const command = buf[pos + 1];
    if (command === undefined) return INCOMPLETE;
    if (command !== 0x04 && command !== 0x05 && command !== 0x14) return 1; // a lone DLE
    const n = buf[pos + 2];
    if (n === undefined) return INCOMPLETE;
    if (command === 0x04) {
      if (n >= 1 && n <= 4) this.#send(Buffer.of(this.statusByte(n as 1 | 2 | 3 | 4)));
      return n === 7 || n === 8 ? fixed(buf, pos, 4) : 3;
    }
    if (command === 0x05) return 3; // DLE ENQ n
    return fixed(buf, pos, { 1: 5, 2: 5, 7: 4, 8: 10 }[n] ?? 3); // DLE DC4 fn …
  }

  #esc(buf: Buffer, pos: number): number {
    const command = buf[pos + 1];
    if (command === undefined) return INCOMPLETE;
    switch (command) {
      case 0x40: // @
        this.#init();
        return 2;
      case 0x69: // i
        this.#cut('full');
        return 2;
      case 0x6d: // m
        this.#cut('partial');
        return 2;
      case 0x2a: // * m nL nH d…: bit image
        return sized(buf, pos, 5, () => {
          const columns = u16(buf, pos + 3);
          return (buf[pos + 2] as number) >= 32 ? columns * 3 : columns;
        });
      case 0x44: // D n1 … nk NUL: tab positions
        return untilNul(buf, pos, 2);
      case 0x26: // & y c1 c2 …: user-defined characters
        return userDefinedCharacters(buf, pos);
    }
    const skipped = ESC_SKIPPED[command];
    if (skipped !== undefined) return fixed(buf, pos, 2 + skipped);
    const param = buf[pos + 2];
    const known = [0x74, 0x61, 0x45, 0x21, 0x64, 0x4a].includes(command);
    if (!known) return 2;
    if (param === undefined) return INCOMPLETE;
    switch (command) {
      case 0x74: // t n
        this.#codePage = param;
        break;
      case 0x61: // a n (0–2 or '0'–'2')
        this.#align = param % 48 === 2 ? 'right' : param % 48 === 1 ? 'center' : 'left';
        break;
      case 0x45: // E n
        this.#bold = (param & 1) === 1;
        break;
      case 0x21: // ! n: bit 3 bold, bit 4 double height, bit 5 double width
        this.#bold = (param & 0x08) !== 0;
        this.#height = param & 0x10 ? 2 : 1;
        this.#width = param & 0x20 ? 2 : 1;
        break;
      case 0x64: // d n
        this.#feedLines(param);
        break;
      case 0x4a: // J n: print the buffer and feed n dots
        if (this.#line) this.#lineFeed();
        break;
    }
    return 3;
  }

  #gs(buf: Buffer, pos: number): number {
    const command = buf[pos + 1];
    if (command === undefined) return INCOMPLETE;
    switch (command) {
      case 0x28: // ( x pL pH …: GS ( k is the 2D symbols, QR Code among them
        return sized(
          buf,
          pos,
          5,
          () => u16(buf, pos + 3),
          () => {
            if (buf[pos + 2] === 0x6b) this.#symbol(buf.subarray(pos + 5, pos + 5 + u16(buf, pos + 3)));
          },
        );
      case 0x38: // 8 L p1 p2 p3 p4 …
        if (buf[pos + 2] === undefined) return INCOMPLETE;
        return buf[pos + 2] === 0x4c ? sized(buf, pos, 7, () => buf.readUInt32LE(pos + 3)) : 2;
      case 0x6b: {
        // k m …: barcode
        const m = buf[pos + 2];
        if (m === undefined) return INCOMPLETE;
        return m <= 6 ? untilNul(buf, pos, 3) : sized(buf, pos, 4, () => buf[pos + 3] as number);
      }
      case 0x76: // v 0 m xL xH yL yH d…: raster bit image
        return sized(buf, pos, 8, () => u16(buf, pos + 4) * u16(buf, pos + 6));
      case 0x2a: // * x y d…: define downloaded bit image
        return sized(buf, pos, 4, () => (buf[pos + 2] as number) * (buf[pos + 3] as number) * 8);
    }
    const skipped = GS_SKIPPED[command];
    if (skipped !== undefined) return fixed(buf, pos, 2 + skipped);
    if (command !== 0x21 && command !== 0x56) return 2;
    const param = buf[pos + 2];
    if (param === undefined) return INCOMPLETE;
    if (command === 0x21) {
      // ! n: bits 4–6 width − 1, bits 0–2 height − 1
      this.#width = ((param >> 4) & 7) + 1;
      this.#height = (param & 7) + 1;
      return 3;
    }
    // V m [n]: m = 0/48 full, 1/49 partial; 65/66 (B), 97/98 (C), 103/104 (D) take n
    const length = [65, 66, 97, 98, 103, 104].includes(param) ? 4 : 3;
    if (buf.length < pos + length) return INCOMPLETE;
    this.#cut([0, 48, 65, 97, 103].includes(param) ? 'full' : 'partial');
    return length;
  }

  #fs(buf: Buffer, pos: number): number {
    const command = buf[pos + 1];
    if (command === undefined) return INCOMPLETE;
    if (command === 0x28) return sized(buf, pos, 5, () => u16(buf, pos + 3)); // ( x pL pH …
    const skipped = FS_SKIPPED[command];
    return skipped === undefined ? 2 : fixed(buf, pos, 2 + skipped);
  }

  /** GS ( k body (cn fn …): only QR Code (cn = 49) acts. */
  #symbol(body: Buffer): void {
    if (body[0] !== 0x31) return;
    const fn = body[1];
    if (fn === 0x50 && body.length >= 3) {
      this.#qrStored = Buffer.from(body.subarray(3)); // 180: cn fn m d…
    } else if (fn === 0x51 && this.#qrStored) {
      // 181: print
      if (this.#printing) this.#qrPrinted = this.#qrStored.toString('utf8');
      else this.dropped++;
    }
  }

  #init(): void {
    this.#codePage = 0;
    this.#align = 'left';
    this.#bold = false;
    this.#width = 1;
    this.#height = 1;
    this.#qrStored = null;
    this.#line = null;
  }

  #char(char: string): void {
    if (!this.#printing) {
      this.dropped++;
      return;
    }
    if (!this.#line) this.#line = { text: '', align: this.#align, bold: false, width: 1, height: 1 };
    this.#line.text += char;
    this.#line.bold ||= this.#bold;
    this.#line.width = Math.max(this.#line.width, this.#width);
    this.#line.height = Math.max(this.#line.height, this.#height);
  }

  #lineFeed(): void {
    if (!this.#printing) {
      this.dropped++;
      this.#line = null;
      return;
    }
    const line = this.#line ?? { text: '', align: this.#align, bold: false, width: 1, height: 1 };
    this.#printed.push({ ...line, text: line.text.normalize('NFC') });
    this.#line = null;
  }

  /** ESC d n: prints the buffer and feeds n lines in all. */
  #feedLines(n: number): void {
    let lines = n;
    if (this.#line) {
      this.#lineFeed();
      lines = Math.max(lines - 1, 0);
    }
    for (let i = 0; i < lines; i++) this.#lineFeed();
  }

  #cut(mode: CutMode): void {
    if (this.#line) this.#lineFeed();
    if (!this.#printing) {
      this.dropped++;
      return;
    }
    this.#paper--;
    const ticket: SimTicket = {
      lines: this.#printed.map((line) => line.text),
      printed: this.#printed,
      qr: this.#qrPrinted,
      cut: mode,
    };
    this.#printed = [];
    this.#qrPrinted = null;
    this.tickets.push(ticket);
    this.emit('ticket', ticket);
  }
}
