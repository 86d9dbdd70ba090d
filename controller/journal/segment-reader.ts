/**
 * Pure parsing of journal segment files (`journal-<first seq>.jsonl`): one JSON event per line, each line
 * terminated by `\n`. No I/O here, so the rules for torn tails and corruption are easy to test and read.
 */

const SEGMENT_NAME = /^journal-(\d{12})\.jsonl$/;

/** The journal on disk is not what we wrote: refuse to start rather than guess. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
}

export function segmentFileName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(12, '0')}.jsonl`;
}

/** The first seq encoded in a segment file name, or null when the name is not a segment's. */
export function segmentFirstSeq(fileName: string): number | null {
  const match = SEGMENT_NAME.exec(fileName);
  return match ? Number(match[1]) : null;
}

export type ParsedSegment<E> = {
  events: E[];
  /** Set when a torn tail was found (last segment only): keep `validBytes`, drop the rest. */
  torn: { validBytes: number; droppedBytes: number } | null;
};

/**
 * Splits a segment into events. In the last segment a partial final line (no `\n`, e.g. NUL bytes left by
 * a power cut) or an unparseable final complete line is reported as `torn`; anywhere else a bad line throws.
 */
export function parseSegment<E extends { seq: number }>(
  bytes: Buffer,
  file: string,
  isLastSegment: boolean,
): ParsedSegment<E> {
  const lines: { start: number; end: number }[] = [];
  let start = 0;
  for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
    lines.push({ start, end: nl });
    start = nl + 1;
  }
  const partialBytes = bytes.length - start;
  if (partialBytes > 0 && !isLastSegment) {
    throw corrupt(
      file,
      lines.length + 1,
      'line is not newline-terminated (torn write in a non-last segment)',
    );
  }

  const events: E[] = [];
  let validBytes = start;
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    const text = bytes.subarray(line.start, line.end).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (isLastSegment && index === lines.length - 1) {
        validBytes = line.start;
        break;
      }
      throw corrupt(file, lineNo, 'line is not valid JSON');
    }
    if (!isEvent(value)) throw corrupt(file, lineNo, 'line is not an event object with an integer "seq"');
    events.push(value as E);
  }

  const droppedBytes = bytes.length - validBytes;
  return { events, torn: droppedBytes > 0 ? { validBytes, droppedBytes } : null };
}

export function corrupt(file: string, line: number, problem: string): JournalCorruptError {
  return new JournalCorruptError(
    `Journal corrupt: ${file} line ${line}: ${problem}. The journal must be inspected before the controller can start.`,
  );
}

function isEvent(value: unknown): value is { seq: number } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const seq = (value as { seq?: unknown }).seq;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq > 0;
}
