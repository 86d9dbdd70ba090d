/**
 * Retention of the journal's history, so years of use do not fill a centre's disk (issue 10):
 * - segments wholly covered by the snapshot and older than `compressAfterDays` are gzipped
 *   (`journal-<seq>.jsonl.gz`, about a tenth of the size; every reader decompresses them);
 * - with `keepDays` set, segments older than that are deleted — but only up to a snapshot kept in
 *   `history/` (so a start can always rebuild: that snapshot plus every later segment), and never a
 *   segment holding a seq the upstream publisher has not had acknowledged yet (`neededFrom`).
 *
 * Each step is crash-safe: a compressed copy is written to a temporary name, fsynced and renamed
 * before the plain segment is removed (listSegments reads the plain one if both exist), and
 * segments are deleted oldest first, so an interrupted prune leaves a journal that still continues
 * from the kept snapshot. Only this module deletes journal files.
 */
import { readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { Logger } from '../logger.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';
import { HISTORY_DIR, historySnapshotSeq, parseSnapshot } from './journal.ts';
import { listSegments, type SegmentFile } from './segment-files.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const DAY_MS = 24 * 60 * 60 * 1000;

export interface JournalRetentionPolicy {
  /** Segments older than this many days (and covered by the snapshot) are compressed. */
  compressAfterDays: number;
  /** Segments older than this many days are deleted (null: kept for ever, compressed). */
  keepDays: number | null;
}

export interface JournalRetentionRun {
  dir: string;
  policy: JournalRetentionPolicy;
  now: number;
  /** The first seq still needed upstream (UpstreamPublisher.oldestSeqStillNeeded), null when not reporting. */
  neededFrom: number | null;
  logger: Logger;
}

export interface JournalRetentionResult {
  compressed: string[];
  deleted: string[];
  /** Bytes the folder no longer uses. */
  bytesFreed: number;
  /** The snapshot in history the journal now starts from (when anything was deleted). */
  baseSeq: number | null;
}

export async function applyJournalRetention(run: JournalRetentionRun): Promise<JournalRetentionResult> {
  const result: JournalRetentionResult = { compressed: [], deleted: [], bytesFreed: 0, baseSeq: null };
  const snapshotSeq = await currentSnapshotSeq(run.dir);
  if (snapshotSeq === null) return result; // no sound snapshot: everything may be needed to start
  result.bytesFreed += await removeDoubles(run.dir);
  const segments = await listSegments(run.dir);
  const covered = segments.filter((_segment, i) => {
    const next = segments[i + 1];
    return next !== undefined && next.firstSeq - 1 <= snapshotSeq;
  });
  if (run.policy.keepDays !== null) await prune(run, covered, segments, snapshotSeq, result);
  const compressBefore = run.now - run.policy.compressAfterDays * DAY_MS;
  for (const segment of covered) {
    if (segment.compressed || result.deleted.includes(segment.name)) continue;
    const info = await stat(segment.file);
    if (info.mtimeMs > compressBefore) continue;
    try {
      result.bytesFreed += await compress(run.dir, segment, info.size);
      result.compressed.push(segment.name);
    } catch (error) {
      // A full disk or a read error: the plain segment stays; next run tries again.
      run.logger.warn({ err: error, file: segment.file }, 'journal retention: cannot compress a segment');
      break;
    }
  }
  if (result.compressed.length || result.deleted.length) {
    run.logger.info(
      {
        compressed: result.compressed.length,
        deleted: result.deleted.length,
        bytesFreed: result.bytesFreed,
        baseSeq: result.baseSeq,
      },
      'journal retention: history compressed or pruned',
    );
  }
  return result;
}

async function currentSnapshotSeq(dir: string): Promise<number | null> {
  const text = await readFile(path.join(dir, 'snapshot.json')).catch(() => null);
  if (text === null) return null;
  const parsed = parseSnapshot(text);
  return typeof parsed === 'string' ? null : parsed.seq;
}

/** A crash between renaming a compressed copy into place and removing the plain file leaves both. */
async function removeDoubles(dir: string): Promise<number> {
  const names = new Set(await readdir(dir));
  let freed = 0;
  for (const name of names) {
    if (!name.endsWith('.jsonl.gz') || !names.has(name.slice(0, -3))) continue;
    const file = path.join(dir, name);
    freed += (await stat(file)).size;
    await unlink(file);
  }
  for (const name of names) if (name.endsWith('.gz.tmp')) await unlink(path.join(dir, name));
  return freed;
}

async function compress(dir: string, segment: SegmentFile, size: number): Promise<number> {
  const plain = await readFile(segment.file);
  const packed = await gzipAsync(plain, { level: 9 });
  // Checked before the plain file goes: what is deleted must be readable from the copy.
  if (!(await gunzipAsync(packed)).equals(plain)) throw new Error('compressed copy does not read back');
  const target = `${segment.file}.gz`;
  const tmp = `${target}.tmp`;
  try {
    await writeDurably(tmp, packed);
  } catch (error) {
    await unlink(tmp).catch(() => undefined);
    throw error;
  }
  await rename(tmp, target);
  await fsyncDir(dir);
  await unlink(segment.file);
  await fsyncDir(dir);
  return size - packed.length;
}

async function prune(
  run: JournalRetentionRun,
  covered: SegmentFile[],
  segments: SegmentFile[],
  snapshotSeq: number,
  result: JournalRetentionResult,
): Promise<void> {
  const keepFrom = run.now - (run.policy.keepDays ?? 0) * DAY_MS;
  const historyDir = path.join(run.dir, HISTORY_DIR);
  const history = (await readdir(historyDir).catch(() => [] as string[]))
    .map((name) => ({ name, seq: historySnapshotSeq(name) }))
    .filter((h): h is { name: string; seq: number } => h.seq !== null)
    .sort((a, b) => a.seq - b.seq);
  const starts = new Set(segments.map((s) => s.firstSeq));
  // The newest kept snapshot old enough, at a segment boundary, that no needed seq precedes.
  let base: number | null = null;
  for (const h of history) {
    if (h.seq > snapshotSeq || !starts.has(h.seq + 1)) continue;
    if (run.neededFrom !== null && h.seq + 1 > run.neededFrom) continue;
    const info = await stat(path.join(historyDir, h.name));
    if (info.mtimeMs > keepFrom) continue;
    base = h.seq;
  }
  if (base === null) return;
  const doomed = covered.filter((s) => s.firstSeq <= base);
  for (const segment of doomed) {
    const size = (await stat(segment.file)).size;
    await unlink(segment.file);
    result.deleted.push(segment.name);
    result.bytesFreed += size;
  }
  if (doomed.length) await fsyncDir(run.dir);
  for (const h of history) {
    if (h.seq >= base) continue;
    await unlink(path.join(historyDir, h.name));
  }
  await fsyncDir(historyDir);
  result.baseSeq = base;
}
