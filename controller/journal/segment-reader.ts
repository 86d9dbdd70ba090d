/**
 * Pure parsing of journal segment files (`journal-<first seq>.jsonl`): one record per line, each line
 * terminated by `\n`. No I/O here, so the rules for torn tails and corruption are easy to test and read.
 *
 * Record formats (a line says which it is by its first byte):
 * - format 2 (since issue 10): `<CRC-32C of the JSON, 8 lowercase hex digits> <JSON event>`;
 * - format 1 (older journals): `<JSON event>`, read without a check, and only before the first
 *   format-2 record (a journal never goes back to unchecked records).
 */
import path from 'node:path';
import { crc32c, crc32cHex } from './crc32c.ts';

/** A segment's name; `.gz` when retention has compressed it (history only, never the live one). */
const SEGMENT_NAME = /^journal-(\d{12})\.jsonl(\.gz)?$/;

/** The journal on disk is not what we wrote: refuse to start rather than guess. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
  /** Where, when the problem is in one record: file, line (1-based), its seq and byte offset. */
  file?: string;
  line?: number;
  seq?: number;
  offset?: number;
}

export function segmentFileName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/** The first seq encoded in a segment file name, or null when the name is not a segment's. */
export function segmentFirstSeq(fileName: string): number | null {
  const match = SEGMENT_NAME.exec(fileName);
  return match ? Number(match[1]) : null;
}

/** Whether a segment file name is a compressed (gzip) segment. */
export function isCompressedSegment(fileName: string): boolean {
  return SEGMENT_NAME.exec(fileName)?.[2] === '.gz';
}

/** One event as a format-2 record line, `\n` included. */
export function formatRecord(event: unknown): string {
  const json = JSON.stringify(event);
  return `${crc32cHex(Buffer.from(json, 'utf8'))} ${json}\n`;
}

export type ParsedSegment<E> = {
  events: E[];
  /** Set when a torn tail was found (last segment only): keep `validBytes`, drop the rest. */
  torn: { validBytes: number; droppedBytes: number } | null;
  /** Records read without a checksum (format 1, written before checksums). */
  uncheckedRecords: number;
  /** Whether this segment holds checksummed records (format 2). */
  checksummed: boolean;
};

export type ParseOptions = {
  /** An earlier segment already had checksummed records, so unchecked ones are refused here. */
  checksummedBefore?: boolean;
};

/**
 * Splits a segment into events. In the last segment, an unterminated final line (a write a power
 * cut interrupted, never fsynced, so never acknowledged) and trailing lines of NUL bytes (blocks the
 * file system allocated but never wrote) are reported as `torn`. Anything else that is wrong —
 * a checksum that does not match, a line that is not a record, an unterminated line elsewhere —
 * throws, naming the file, line and seq.
 */
export function parseSegment<E extends { seq: number }>(
  bytes: Buffer,
  file: string,
  isLastSegment: boolean,
  options: ParseOptions = {},
): ParsedSegment<E> {
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    lines.push({ start, end: nl });
    start = nl + 1;
  }
  const partialBytes = bytes.length - start;
  let validBytes = bytes.length;
  if (partialBytes > 0) {
    if (!isLastSegment) {
      throw corrupt(
        file,
        lines.length + 1,
        'line is not newline-terminated (torn write in a non-last segment)',
        {
          offset: start,
        },
      );
    }
    validBytes = start;
  }
  // Trailing lines of NUL bytes in the last segment belong to the same torn write.
  while (isLastSegment && lines.length > 0) {
    const last = lines[lines.length - 1] as { start: number; end: number };
    if (!isAllNul(bytes, last.start, last.end)) break;
    validBytes = last.start;
    lines.pop();
  }

  const events: E[] = [];
  const firstSeq = segmentFirstSeq(path.basename(file));
  let checksummed = options.checksummedBefore ?? false;
  let segmentChecksummed = false;
  let uncheckedRecords = 0;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const previous = events.at(-1)?.seq;
    const expectedSeq = previous !== undefined ? previous + 1 : (firstSeq ?? undefined);
    const where = { seq: expectedSeq, offset: line.start };
    const raw = bytes.subarray(line.start, line.end);
    let json: Buffer;
    const written = raw.length > 9 && raw[8] === 0x20 ? hexChecksum(raw) : -1;
    if (written >= 0) {
      json = raw.subarray(9);
      if (crc32c(json) !== written) {
        throw corrupt(file, lineNo, 'checksum mismatch: the record changed after it was written', where);
      }
      checksummed = true;
      segmentChecksummed = true;
    } else if (raw[0] === 0x7b /* { */) {
      if (checksummed) {
        throw corrupt(file, lineNo, 'record without a checksum after checksummed records', where);
      }
      json = raw;
      uncheckedRecords++;
    } else {
      throw corrupt(file, lineNo, 'line is not a journal record', where);
    }
    let value: unknown;
    try {
      value = JSON.parse(json.toString('utf8'));
    } catch {
      throw corrupt(file, lineNo, 'line is not valid JSON', where);
    }
    if (!isEvent(value)) {
      throw corrupt(file, lineNo, 'line is not an event object with an integer "seq" and a "type"', where);
    }
    events.push(value as unknown as E);
  }

  const droppedBytes = bytes.length - validBytes;
  return {
    events,
    torn: droppedBytes > 0 ? { validBytes, droppedBytes } : null,
    uncheckedRecords,
    checksummed: segmentChecksummed,
  };
}

/** What to do about a corrupt journal, said in every refusal. */
export const REPAIR_ADVICE =
  'The journal must be inspected before the controller can start. Copy the data folder aside, then either restore it from a backup, or run "npm run journal:repair -- --data-dir <DATA_DIR>": it moves this record and everything after it to journal/quarantine/ and lists the tickets affected (see docs/durability.md)';

export function corrupt(
  file: string,
  line: number,
  problem: string,
  where: { seq?: number; offset?: number } = {},
): JournalCorruptError {
  const seq = where.seq !== undefined ? ` (seq ${where.seq})` : '';
  const error = new JournalCorruptError(
    `Journal corrupt: ${file} line ${line}${seq}: ${problem}. ${REPAIR_ADVICE}.`,
  );
  error.file = file;
  error.line = line;
  if (where.seq !== undefined) error.seq = where.seq;
  if (where.offset !== undefined) error.offset = where.offset;
  return error;
}

/**
 * The checksum a format-2 line starts with (8 lowercase hex digits), or -1 when it does not: read
 * from the bytes, with no string made (a start after a power cut reads up to 20,000 records).
 */
function hexChecksum(line: Buffer): number {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const c = line[i] as number;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function isAllNul(bytes: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

function isEvent(value: unknown): value is { seq: number; type: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { seq, type } = value as { seq?: unknown; type?: unknown };
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0 && typeof type === 'string';
}
