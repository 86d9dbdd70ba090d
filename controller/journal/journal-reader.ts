/**
 * Reads journal events from disk after a given seq, segment by segment, without opening the journal
 * for writing: for those who follow the journal from behind (the upstream publisher catching up
 * after an outage, reports over past days). Only what was complete when a segment was read is
 * returned; a partial last line of the live segment is left for the next read.
 */

import { listSegments, readSegment } from './segment-files.ts';
import { parseSegment } from './segment-reader.ts';

export { listSegments };

/**
 * Events with seq > `afterSeq` (up to `untilSeq` when given), in order, a segment's worth at a
 * time. Segments wholly before `afterSeq` are not read.
 */
export async function* readEventsAfter<E extends { seq: number }>(
  dir: string,
  afterSeq: number,
  untilSeq = Number.POSITIVE_INFINITY,
): AsyncGenerator<E[]> {
  const segments = await listSegments(dir);
  for (const [i, segment] of segments.entries()) {
    const next = segments[i + 1];
    if (next && next.firstSeq - 1 <= afterSeq) continue;
    if (segment.firstSeq > untilSeq) return;
    // Read as the last segment: a partial final line (an append in flight) is skipped, not an error.
    const parsed = parseSegment<E>(await readSegment(segment), segment.file, true);
    const events = parsed.events.filter((e) => e.seq > afterSeq && e.seq <= untilSeq);
    if (events.length) yield events;
  }
}
