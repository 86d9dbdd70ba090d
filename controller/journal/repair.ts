/**
 * `npm run journal:repair`: what an operator runs when a start is refused for a damaged journal.
 * It finds the first damaged record the way a start does, moves that record and everything after
 * it (the rest of that segment, the later segments, a snapshot that is ahead) into
 * `journal/quarantine/repair-<time>/`, and says which tickets those records concerned. Nothing is
 * deleted; the journal left behind is whole, so the controller starts from it.
 */
import { mkdir, open, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';
import { Journal, JournalCorruptError, parseSnapshot, QUARANTINE_DIR } from './journal.ts';
import { isCompressedSegment, segmentFirstSeq } from './segment-reader.ts';

export type AffectedTicket = { id: string; label?: string; events: string[] };

export type RepairReport = {
  problem: string;
  file: string;
  line: number;
  /** The seq the damaged record should have had, when known. */
  fromSeq: number | null;
  /** The folder the records were moved to. */
  quarantine: string;
  /** Seqs readable in the records moved aside. */
  seqs: number[];
  /** Tickets named in the records moved aside, in the order they appear. */
  tickets: AffectedTicket[];
  snapshotSetAside: boolean;
};

/** Repairs the first damage a start would refuse on; null when the journal opens as it is. */
export async function repairJournal(dir: string, logger: Logger): Promise<RepairReport | null> {
  const journal = new Journal<{ seq: number }>({ dir, logger });
  try {
    await journal.open();
    await journal.close();
    return null;
  } catch (error) {
    if (!(error instanceof JournalCorruptError) || !error.file || error.offset === undefined) throw error;
    if (isCompressedSegment(path.basename(error.file))) {
      // Offsets are in the decompressed bytes: cutting the .gz file there would destroy it.
      throw new Error(
        `${error.message}\nThe damage is in a compressed segment: decompress it first (gunzip -k ${error.file}, then remove the .gz) and run the repair again.`,
      );
    }
    return quarantineFrom(dir, error as JournalCorruptError & { file: string; offset: number; line: number });
  }
}

async function quarantineFrom(
  dir: string,
  at: JournalCorruptError & { file: string; offset: number; line: number },
): Promise<RepairReport> {
  const folder = path.join(dir, QUARANTINE_DIR, `repair-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await mkdir(folder, { recursive: true });
  const name = path.basename(at.file);
  const bytes = await readFile(at.file);
  const moved: Buffer[] = [bytes.subarray(at.offset)];
  await writeDurably(path.join(folder, `${name}.from-line-${at.line}`), bytes.subarray(at.offset));
  const later = (await readdir(dir)).filter((n) => segmentFirstSeq(n) !== null && n > name).sort();
  for (const n of later) {
    moved.push(await readFile(path.join(dir, n)));
    await rename(path.join(dir, n), path.join(folder, n));
  }
  const handle = await open(at.file, 'r+');
  try {
    await handle.truncate(at.offset);
    await handle.sync();
  } finally {
    await handle.close();
  }

  const records = moved.flatMap(readLeniently);
  const fromSeq = at.seq ?? null;
  let snapshotSetAside = false;
  const snapshotFile = path.join(dir, 'snapshot.json');
  const snapshot = await readFile(snapshotFile).then(parseSnapshot, () => null);
  if (snapshot && typeof snapshot !== 'string' && (fromSeq === null || snapshot.seq >= fromSeq)) {
    await rename(snapshotFile, path.join(folder, 'snapshot.json'));
    snapshotSetAside = true;
  }
  await fsyncDir(folder);
  await fsyncDir(dir);

  const tickets = new Map<string, AffectedTicket>();
  for (const r of records) {
    const ticket = r.ticket as { id?: unknown; label?: unknown } | undefined;
    const id =
      typeof ticket?.id === 'string' ? ticket.id : typeof r.ticketId === 'string' ? r.ticketId : null;
    if (!id) continue;
    const entry = tickets.get(id) ?? { id, events: [] };
    if (typeof ticket?.label === 'string') entry.label = ticket.label;
    entry.events.push(String(r.type));
    tickets.set(id, entry);
  }
  return {
    problem: at.message,
    file: at.file,
    line: at.line,
    fromSeq,
    quarantine: folder,
    seqs: records.map((r) => r.seq).filter((s): s is number => typeof s === 'number'),
    tickets: [...tickets.values()],
    snapshotSetAside,
  };
}

/** Every record that can still be read in damaged bytes, checksum or not. */
function readLeniently(bytes: Buffer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of bytes.toString('utf8').split('\n')) {
    const json = /^[0-9a-f]{8} /.test(line) ? line.slice(9) : line;
    try {
      const value = JSON.parse(json);
      if (value && typeof value === 'object' && !Array.isArray(value)) out.push(value);
    } catch {
      // unreadable: its bytes are in quarantine all the same
    }
  }
  return out;
}
