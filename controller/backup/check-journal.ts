/**
 * Checks a copied journal the way a start would read it, without writing: every segment parses
 * (checksums included), seqs run on without gaps, and the snapshot (if any) is covered. Returns the
 * backup's point; throws JournalCorruptError or BackupError naming what is wrong.
 */
import { readFile } from 'node:fs/promises';
import { parseSnapshot } from '../journal/journal.ts';
import { listSegments, readSegment } from '../journal/segment-files.ts';
import { type ParsedSegment, parseSegment } from '../journal/segment-reader.ts';
import { BackupError } from './manifest.ts';

export interface JournalPoint {
  snapshotSeq: number;
  lastSeq: number;
  segments: number;
}

export async function checkJournal(journalDir: string): Promise<JournalPoint> {
  const snapshotText = await readFile(`${journalDir}/snapshot.json`).catch((error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  });
  let snapshotSeq = 0;
  if (snapshotText !== null) {
    const snapshot = parseSnapshot(snapshotText);
    if (typeof snapshot === 'string') throw new BackupError(`journal/snapshot.json: ${snapshot}`);
    snapshotSeq = snapshot.seq;
  }
  const segments = await listSegments(journalDir);
  let lastSeq: number | null = null;
  let checksummedBefore = false;
  for (const [i, segment] of segments.entries()) {
    const isLast = i === segments.length - 1;
    const parsed: ParsedSegment<{ seq: number }> = parseSegment<{ seq: number }>(
      await readSegment(segment),
      segment.file,
      isLast,
      {
        checksummedBefore,
      },
    );
    checksummedBefore ||= parsed.checksummed;
    if (parsed.torn) throw new BackupError(`${segment.file} ends in a partial record`);
    const first = parsed.events[0];
    if (first && first.seq !== segment.firstSeq)
      throw new BackupError(
        `${segment.file}: first event has seq ${first.seq}, the file name says ${segment.firstSeq}`,
      );
    if (lastSeq !== null && segment.firstSeq !== lastSeq + 1)
      throw new BackupError(`${segment.file} starts at seq ${segment.firstSeq} after seq ${lastSeq}: a gap`);
    if (lastSeq === null && segment.firstSeq > snapshotSeq + 1)
      throw new BackupError(
        `the journal starts at seq ${segment.firstSeq}, after the snapshot's seq ${snapshotSeq}`,
      );
    lastSeq = parsed.events.at(-1)?.seq ?? segment.firstSeq - 1;
  }
  const end = lastSeq ?? snapshotSeq;
  if (end < snapshotSeq)
    throw new BackupError(
      `the journal ends at seq ${end} but journal/snapshot.json is at seq ${snapshotSeq}`,
    );
  return { snapshotSeq, lastSeq: end, segments: segments.length };
}
