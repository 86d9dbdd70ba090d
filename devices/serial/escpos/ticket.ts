/**
 * A queue ticket as ESC/POS bytes for a thermal printer: the same wording as the simulated
 * dispenser's `renderTicket`, laid out for paper `columns` characters wide.
 */
import type { PrintJob } from '../../protocol/messages.ts';
import { DEFAULT_WPC1258_CODE_PAGE } from './code-page.ts';
import { align, bold, codePage, cut, feed, init, lineFeed, qrCode, size } from './commands.ts';
import { encodeVietnamese, type TextEncodingMode } from './vietnamese.ts';

export { DEFAULT_WPC1258_CODE_PAGE };

/** The centre's time zone: ticket times are printed in it. */
export const TICKET_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface TicketOptions {
  /** ESC t number of WPC1258 on this printer (sent only with encoding 'wpc1258'). */
  codePage: number;
  /** 'wpc1258' for Vietnamese with accents, 'ascii' for printers without a Vietnamese table. */
  encoding: TextEncodingMode;
  /** Characters per line in the normal font: 48 on 80 mm paper (font A), 32 on 58 mm. */
  columns: number;
  /** IANA time zone of the printed time (default Asia/Ho_Chi_Minh). */
  timeZone?: string;
  /** QR module size in dots, 1–16 (default 6). */
  qrModuleSize?: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `dd/mm/yyyy HH:MM` in `timeZone`. */
export function formatTicketTime(epochMs: number, timeZone: string = TICKET_TIME_ZONE): string {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const { type, value } of formatter.formatToParts(new Date(epochMs))) part[type] = value;
  return `${part.day}/${part.month}/${part.year} ${part.hour}:${part.minute}`;
}

/**
 * Splits `text` into lines of at most `columns` characters, at spaces where possible (a longer word
 * is cut). Line breaks in `text` are kept. Width is counted in NFC characters: a toned letter is one
 * character on paper, its combining tone mark printed over the letter.
 */
export function wrapText(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.normalize('NFC').split(/\r\n|\r|\n/)) {
    const words = paragraph.split(/\s+/).filter((word) => word !== '');
    if (words.length === 0) {
      lines.push('');
      continue;
    }
    let line = '';
    let length = 0;
    for (const word of words) {
      let chars = [...word];
      while (chars.length > 0) {
        const gap = length === 0 ? 0 : 1;
        if (length + gap + chars.length <= columns) {
          line += (gap ? ' ' : '') + chars.join('');
          length += gap + chars.length;
          chars = [];
        } else if (length > 0) {
          lines.push(line);
          line = '';
          length = 0;
        } else {
          lines.push(chars.slice(0, columns).join(''));
          chars = chars.slice(columns);
        }
      }
    }
    if (length > 0) lines.push(line);
  }
  return lines;
}

/**
 * The ticket, ready to write to the printer: initialise, code page (WPC1258 only), then centred:
 * centre name (bold), service, "SỐ THỨ TỰ" and the number in 4×4 (3×3 when too long), the priority
 * class, people ahead, expected wait, date and time, the QR code of the ticket page, the footer;
 * feed and partial cut.
 */
export function buildTicket(job: PrintJob, options: TicketOptions): Buffer {
  const { columns, encoding } = options;
  if (!Number.isInteger(columns) || columns < 8 || columns > 255) {
    throw new RangeError(`columns must be an integer from 8 to 255, got ${columns}`);
  }
  const parts: Buffer[] = [init()];
  if (encoding === 'wpc1258') parts.push(codePage(options.codePage));
  parts.push(align('center'));

  const text = (value: string, width = columns) => {
    for (const line of wrapText(value, width)) parts.push(encodeVietnamese(line, encoding), lineFeed());
  };
  const optionalText = (value: string) => {
    if (value.trim() !== '') text(value);
  };

  parts.push(bold(true));
  optionalText(job.centreName);
  parts.push(bold(false));
  optionalText(job.serviceName);
  parts.push(lineFeed());

  text('SỐ THỨ TỰ');
  const labelLength = [...job.label.normalize('NFC')].length;
  const scale = labelLength * 4 <= columns ? 4 : 3;
  parts.push(size(scale, scale), bold(true));
  text(job.label, Math.floor(columns / scale));
  parts.push(size(1, 1), bold(false));
  if (job.priority) {
    parts.push(bold(true));
    text(`Ưu tiên: ${job.priority}`);
    parts.push(bold(false));
  }
  parts.push(lineFeed());

  text(`Số người đang chờ trước: ${job.peopleAhead}`);
  text(
    job.estimatedWaitMinutes === null
      ? 'Thời gian chờ dự kiến: đang cập nhật'
      : job.estimatedWaitRange
        ? `Thời gian chờ dự kiến: ${waitRangeText(job.estimatedWaitRange)}`
        : `Thời gian chờ dự kiến: ${job.estimatedWaitMinutes} phút`,
  );
  text(formatTicketTime(job.issuedAt, options.timeZone));

  if (job.qrUrl !== '') {
    parts.push(qrCode(job.qrUrl, { size: options.qrModuleSize ?? 6, errorCorrection: 'M' }));
  }
  optionalText(job.footer);
  parts.push(feed(4), cut('partial'));
  return Buffer.concat(parts);
}

/** "khoảng 20–30 phút", or "dưới 5 phút" when the range starts at zero (as on the screens). */
export function waitRangeText([low, high]: readonly [number, number]): string {
  return low <= 0 ? `dưới ${high} phút` : `khoảng ${low}–${high} phút`;
}
