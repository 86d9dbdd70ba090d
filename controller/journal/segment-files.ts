/**
 * The segment files of a journal folder as every reader sees them: in seq order, one per first seq,
 * plain or compressed by retention (`.jsonl.gz`). If a crash left both forms of one segment (after
 * the compressed copy was renamed into place, before the plain one was removed), the plain one is
 * read and retention compresses it again.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { readWholeFile } from './read-whole.ts';
import { isCompressedSegment, segmentFirstSeq } from './segment-reader.ts';

const gunzipAsync = promisify(gunzip);

export interface SegmentFile {
  file: string;
  name: string;
  firstSeq: number;
  compressed: boolean;
}

/** The segments of `dir` in order, with their first seq; [] when the folder does not exist. */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  return segmentsAmong(dir, names);
}

/** Pure part of `listSegments`: picks and orders the segment files among `names`. */
export function segmentsAmong(dir: string, names: readonly string[]): SegmentFile[] {
  const bySeq = new Map<number, SegmentFile>();
  for (const name of names) {
    const firstSeq = segmentFirstSeq(name);
    if (firstSeq === null) continue;
    const compressed = isCompressedSegment(name);
    const held = bySeq.get(firstSeq);
    if (held && !held.compressed) continue;
    bySeq.set(firstSeq, { file: path.join(dir, name), name, firstSeq, compressed });
  }
  return [...bySeq.values()].sort((a, b) => a.firstSeq - b.firstSeq);
}

/** A segment's bytes, decompressed when retention compressed it. */
export async function readSegment(segment: Pick<SegmentFile, 'file' | 'compressed'>): Promise<Buffer> {
  const bytes = await readWholeFile(segment.file);
  if (!segment.compressed) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    throw new Error(`cannot decompress journal segment ${segment.file}: ${(error as Error).message}`);
  }
}
