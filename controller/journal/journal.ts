/**
 * Append-only event journal: every state change is appended here and fsynced BEFORE anyone is told about it.
 * On start the state is rebuilt from `snapshot.json` plus the events after it.
 *
 * On disk (in `dir`):
 * - `journal-<12-digit first seq>.jsonl` segments, one JSON event per line; a new one starts after each
 *   snapshot; old ones are the audit trail for reports, compressed (`.jsonl.gz`) or deleted only by
 *   retention.ts, only up to a snapshot kept in `history/`;
 * - `history/snapshot-<seq>.json`: hard links to past snapshots, the bases a start can rebuild from
 *   when `snapshot.json` is damaged and the segments before have been deleted;
 * - `snapshot.json` (`{"crc32c":"<8 hex>","snapshot":{ seq, state, writtenAt }}`, the checksum over the
 *   bytes of the inner object), replaced atomically (tmp file + fsync + rename + dir fsync);
 * - `quarantine/`: bytes set aside instead of destroyed (a torn tail, a damaged snapshot).
 *
 * Every record carries a CRC-32C (segment-reader.ts). A torn tail is cut off and kept in quarantine;
 * a damaged snapshot is set aside and the state rebuilt from the journal; any other damage refuses
 * the start (see `npm run journal:repair`).
 *
 * Appends are group-committed: whatever is queued while a write+fsync is in flight goes out as the next
 * single write and single fdatasync. A failed write or fsync poisons the journal: that append and every
 * later one reject with `JournalFailedError`, because memory and disk may no longer agree.
 */
import { type FileHandle, link, mkdir, open, readdir, rename, statfs, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';
import { crc32cHex } from './crc32c.ts';
import { readWholeFile } from './read-whole.ts';
import { listSegments, readSegment } from './segment-files.ts';
import {
  corrupt,
  formatRecord,
  JournalCorruptError,
  type ParsedSegment,
  parseSegment,
  REPAIR_ADVICE,
  segmentFileName,
  segmentFirstSeq,
} from './segment-reader.ts';

export { JournalCorruptError };

export type JournalRepair = {
  file: string;
  offset: number;
  droppedBytes: number;
  /** Where the dropped bytes are kept. */
  quarantine: string;
  /** Seqs readable in the dropped bytes (none of them was acknowledged: never fsynced). */
  seqsLost: number[];
};
export type JournalSnapshot = { seq: number; state: unknown };
export type JournalOpenResult<E> = {
  snapshot: JournalSnapshot | null;
  /** When the snapshot was written (ms), if it says. */
  snapshotWrittenAt?: number;
  events: E[];
  repairs: JournalRepair[];
};

/** A write or fsync failed: the journal accepts nothing more; the process must treat this as fatal. */
export class JournalFailedError extends Error {
  override name = 'JournalFailedError';
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Journal write failed, no further appends are possible: ${reason}`, { cause });
  }
}

/**
 * The disk is full (ENOSPC, or the user's quota): nothing can be recorded until space returns.
 * Unlike JournalFailedError this is not fatal: what the failed batch had written is cut off again,
 * so the journal on disk stays whole, and appends work again after `resume()`.
 */
export class DiskFullError extends Error {
  override name = 'DiskFullError';
  readonly code = 'ENOSPC';
  constructor(cause?: unknown) {
    super(
      'Ổ đĩa dữ liệu đã đầy: chưa ghi được, hãy giải phóng dung lượng. / The data disk is full: nothing new can be recorded until space is freed.',
      { cause },
    );
  }
}

export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

const SNAPSHOT_FILE = 'snapshot.json';
export const QUARANTINE_DIR = 'quarantine';
/** Hard links to past snapshots, kept as long as the segments after them (retention.ts). */
export const HISTORY_DIR = 'history';
const HISTORY_NAME = /^snapshot-(\d{12})\.json$/;

export function historySnapshotName(seq: number): string {
  return `snapshot-${String(seq).padStart(12, '0')}.json`;
}

export function historySnapshotSeq(name: string): number | null {
  const m = HISTORY_NAME.exec(name);
  return m ? Number(m[1]) : null;
}
const SNAPSHOT_HEAD = /^\{"crc32c":"([0-9a-f]{8})","snapshot":/;

type Settle = { resolve: () => void; reject: (err: unknown) => void };
type AppendOp = Settle & { kind: 'append'; bytes: Buffer; count: number };
type SnapshotOp = Settle & { kind: 'snapshot'; seq: number; json: string };
type Op = AppendOp | SnapshotOp;
type NewOp = Omit<AppendOp, keyof Settle> | Omit<SnapshotOp, keyof Settle>;

/** One group commit: one write and one fdatasync for every event queued while the last was in flight. */
export interface JournalCommit {
  events: number;
  bytes: number;
  /** The fdatasync alone. */
  fsyncSeconds: number;
  /** The write and the fdatasync. */
  seconds: number;
}

export class Journal<E extends { seq: number }> {
  private readonly dir: string;
  private readonly logger: Logger;
  private handle: FileHandle | null = null;
  private segmentName = '';
  private seq = 0;
  private queue: Op[] = [];
  private draining: Promise<void> | null = null;
  private failure: JournalFailedError | null = null;
  /** Set while the disk is full (see DiskFullError). */
  private full: DiskFullError | null = null;
  /** Size of the current segment up to the last fsynced batch, and the seq it ends with. */
  private durableSize = 0;
  private durableSeq = 0;
  private snapshotWrittenAt: number | undefined;
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private closing: Promise<void> | null = null;
  private readonly counters = { writes: 0, fsyncs: 0 };

  /** Told of every group commit that reached the disk (metrics: fsync latency, group size). */
  private readonly onCommit: ((commit: JournalCommit) => void) | undefined;

  constructor(options: { dir: string; logger: Logger; onCommit?: (commit: JournalCommit) => void }) {
    this.dir = options.dir;
    this.logger = options.logger;
    this.onCommit = options.onCommit;
  }

  /** Seq of the last event accepted by `append` (0 when empty). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Number of write calls and fsyncs issued by appends, for tests and benchmarks. */
  get stats(): Readonly<{ writes: number; fsyncs: number }> {
    return { ...this.counters };
  }

  async open(): Promise<JournalOpenResult<E>> {
    if (this.state !== 'new') throw new Error('Journal.open() may only be called once');
    await mkdir(this.dir, { recursive: true });
    await removeStaleTemps(this.dir, this.logger);
    const snapshot = await this.readSnapshot();
    const snapshotSeq = snapshot?.seq ?? 0;
    const segments = await listSegments(this.dir);

    const events: E[] = [];
    const repairs: JournalRepair[] = [];
    let lastRead: number | null = null;
    let lastSegmentEmpty = true;
    let checksummedBefore = false;
    let uncheckedRecords = 0;
    for (const [i, segment] of segments.entries()) {
      const { file, name, firstSeq } = segment;
      // A segment wholly covered by the snapshot is history (kept for reports), not needed to start.
      const nextFirst = segments[i + 1]?.firstSeq;
      if (nextFirst !== undefined && nextFirst - 1 <= snapshotSeq) continue;
      const bytes = await readSegment(segment);
      const parsed: ParsedSegment<E> = parseSegment<E>(bytes, file, i === segments.length - 1, {
        checksummedBefore,
      });
      checksummedBefore ||= parsed.checksummed;
      uncheckedRecords += parsed.uncheckedRecords;
      for (const [index, event] of parsed.events.entries()) {
        const line = index + 1;
        const where = { seq: event.seq };
        if (index === 0 && event.seq !== firstSeq) {
          throw corrupt(file, line, `first event has seq ${event.seq} but the file name says ${firstSeq}`, {
            ...where,
            offset: 0,
          });
        }
        if (lastRead === null && event.seq > snapshotSeq + 1) {
          throw corrupt(file, line, `seq ${event.seq} leaves a gap after seq ${snapshotSeq}`, where);
        }
        if (lastRead !== null && event.seq !== lastRead + 1) {
          throw corrupt(
            file,
            line,
            `seq ${event.seq} follows seq ${lastRead} (expected ${lastRead + 1})`,
            where,
          );
        }
        lastRead = event.seq;
        if (event.seq > snapshotSeq) events.push(event);
      }
      lastSegmentEmpty = parsed.events.length === 0;
      if (parsed.torn) {
        const offset = parsed.torn.validBytes;
        const dropped = bytes.subarray(offset);
        const quarantine = await this.quarantine(`${name}.${offset}.torn`, dropped);
        const repair = {
          file,
          offset,
          droppedBytes: parsed.torn.droppedBytes,
          quarantine,
          seqsLost: seqsIn(dropped),
        };
        await truncateFile(file, offset);
        this.logger.warn(
          { ...repair, afterSeq: lastRead ?? snapshotSeq },
          `journal: dropped the torn tail of the last segment (a write a power cut interrupted, never acknowledged); seqs lost: ${repair.seqsLost.join(', ') || 'none readable'}; bytes kept in ${quarantine}`,
        );
        repairs.push(repair);
      }
    }
    if (uncheckedRecords > 0) {
      this.logger.warn(
        { dir: this.dir, uncheckedRecords },
        `journal: ${uncheckedRecords} records were written before checksums (format 1) and are read without one; new records carry a CRC-32C`,
      );
    }
    if (lastRead !== null && lastRead < snapshotSeq) {
      throw new JournalCorruptError(
        `Journal corrupt: ${this.dir} ends at seq ${lastRead} but ${SNAPSHOT_FILE} is at seq ${snapshotSeq}. ${REPAIR_ADVICE}.`,
      );
    }

    this.seq = Math.max(snapshotSeq, lastRead ?? 0);
    const lastName = segments.at(-1)?.name;
    if (segments.at(-1)?.compressed) {
      throw new JournalCorruptError(
        `Journal corrupt: the last segment ${path.join(this.dir, lastName ?? '')} is compressed; only history is. ${REPAIR_ADVICE}.`,
      );
    }
    if (lastName !== undefined && lastSegmentEmpty && segmentFirstSeq(lastName) !== this.seq + 1) {
      throw new JournalCorruptError(
        `Journal corrupt: empty segment ${path.join(this.dir, lastName)} does not continue at seq ${this.seq + 1}. ${REPAIR_ADVICE}.`,
      );
    }
    this.handle = await this.openSegment(lastName ?? segmentFileName(this.seq + 1), lastName === undefined);
    this.durableSize = (await this.handle.stat()).size;
    this.durableSeq = this.seq;
    this.state = 'open';
    this.logger.info(
      { dir: this.dir, snapshotSeq, events: events.length, lastSeq: this.seq, segment: this.segmentName },
      'journal opened',
    );
    return {
      snapshot,
      events,
      repairs,
      ...(this.snapshotWrittenAt !== undefined ? { snapshotWrittenAt: this.snapshotWrittenAt } : {}),
    };
  }

  /**
   * Reads the journal again from the disk, as a start does, and goes on appending (after a full disk
   * cut back a batch the caller had applied in memory). A full disk stays full until `resume()`.
   */
  async reopen(): Promise<JournalOpenResult<E>> {
    while (this.draining) await this.draining;
    const full = this.full;
    await this.handle?.close();
    this.handle = null;
    this.state = 'new';
    const result = await this.open();
    this.full = full;
    return result;
  }

  /** Resolves once these events (and all earlier ones) are fsynced. Seqs must continue `lastSeq` by 1. */
  append(events: E[]): Promise<void> {
    const refused = this.refusal();
    if (refused) return Promise.reject(refused);
    let expected = this.seq + 1;
    for (const event of events) {
      if (event.seq !== expected) {
        return Promise.reject(new RangeError(`Journal.append: event seq ${event.seq}, expected ${expected}`));
      }
      expected++;
    }
    if (events.length === 0) return Promise.resolve();
    let bytes: Buffer;
    try {
      bytes = Buffer.from(events.map(formatRecord).join(''), 'utf8');
    } catch (err) {
      return Promise.reject(err);
    }
    this.seq = expected - 1;
    return this.enqueue({ kind: 'append', bytes, count: events.length });
  }

  /**
   * Atomically replaces `snapshot.json` after the pending appends are flushed, then starts a new segment.
   * `seq` must be the last appended seq; `state` is serialized now, so the caller may go on mutating it.
   * A failure writing the snapshot only rejects this call (the journal still holds every event); a failure
   * starting the new segment poisons the journal.
   */
  async writeSnapshot(seq: number, state: unknown): Promise<void> {
    const refused = this.refusal();
    if (refused) throw refused;
    if (seq !== this.seq) {
      throw new RangeError(`Journal.writeSnapshot(${seq}): the last appended event has seq ${this.seq}`);
    }
    const body = JSON.stringify({ seq, state, writtenAt: new Date().toISOString() });
    const json = `{"crc32c":"${crc32cHex(Buffer.from(body, 'utf8'))}","snapshot":${body}}\n`;
    await this.enqueue({ kind: 'snapshot', seq, json });
  }

  /** Flushes pending appends and closes the segment file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'closed';
      return;
    }
    this.state = 'closing';
    while (this.draining) await this.draining;
    const handle = this.handle;
    this.handle = null;
    this.state = 'closed';
    await handle?.close();
  }

  /** Whether the disk was full at the last write (appends are refused until `resume()`). */
  get isFull(): boolean {
    return this.full !== null;
  }

  /** After a full disk: accept appends again (the caller has checked there is room). */
  resume(): void {
    this.full = null;
  }

  /** Free bytes on the journal's file system. */
  async freeBytes(): Promise<number> {
    return (await this.space()).free;
  }

  /** Free bytes (for this user) and the size of the file system the journal is on. */
  async space(): Promise<{ free: number; total: number }> {
    const stats = await statfs(this.dir);
    return { free: stats.bavail * stats.bsize, total: stats.blocks * stats.bsize };
  }

  private refusal(): Error | null {
    if (this.failure) return this.failure;
    if (this.full) return this.full;
    if (this.state === 'new') return new Error('Journal is not open: call open() first');
    if (this.state !== 'open') return new Error('Journal is closed: no appends or snapshots after close()');
    return null;
  }

  private enqueue(op: NewOp): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...op, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Runs queued ops in order; consecutive appends become one write + one fdatasync. */
  private async drain(): Promise<void> {
    // Yield once: appends made in the same tick join the first batch, and `draining` is set before we run.
    await Promise.resolve();
    try {
      for (let head = this.queue[0]; head; head = this.queue[0]) {
        if (head.kind === 'snapshot') {
          this.queue.shift();
          await this.runSnapshot(head);
          continue;
        }
        let count = 1;
        while (this.queue[count]?.kind === 'append') count++;
        await this.commit(this.queue.splice(0, count) as AppendOp[]);
      }
    } finally {
      this.draining = null;
    }
  }

  private async commit(batch: AppendOp[]): Promise<void> {
    const bytes = Buffer.concat(batch.map((op) => op.bytes));
    const handle = this.currentHandle();
    const started = process.hrtime.bigint();
    let fsyncSeconds = 0;
    try {
      await this.writeAll(handle, bytes);
      const written = process.hrtime.bigint();
      await handle.datasync();
      fsyncSeconds = Number(process.hrtime.bigint() - written) / 1e9;
      this.counters.fsyncs++;
    } catch (err) {
      if (isDiskFull(err)) await this.diskFull(err, handle, batch);
      else this.poison(err, batch);
      return;
    }
    this.durableSize += bytes.length;
    const events = batch.reduce((n, op) => n + op.count, 0);
    this.durableSeq += events;
    for (const op of batch) op.resolve();
    try {
      this.onCommit?.({
        events,
        bytes: bytes.length,
        fsyncSeconds,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
    } catch (err) {
      this.logger.warn({ err }, 'journal: the commit listener failed');
    }
  }

  /**
   * The disk is full: cut the segment back to its last fsynced batch (truncating needs no space),
   * refuse this batch and everything queued behind it, and refuse appends until `resume()`.
   * Nothing refused was acknowledged, and the disk again holds exactly what was.
   */
  private async diskFull(cause: unknown, handle: FileHandle, batch: Op[]): Promise<void> {
    try {
      await handle.truncate(this.durableSize);
      await handle.datasync();
    } catch (err) {
      this.poison(err, batch);
      return;
    }
    this.full = new DiskFullError(cause);
    this.seq = this.durableSeq;
    this.logger.error(
      { err: cause, dir: this.dir, segment: this.segmentName, lastSeq: this.seq },
      'journal: the disk is full; recording is refused until space is freed (nothing acknowledged was lost)',
    );
    for (const op of [...batch, ...this.queue.splice(0)]) op.reject(this.full);
  }

  private async writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
      this.counters.writes++;
      if (bytesWritten <= 0) throw new Error(`short write to ${this.segmentName}: 0 bytes written`);
      offset += bytesWritten;
    }
  }

  private async runSnapshot(op: SnapshotOp): Promise<void> {
    try {
      await this.writeSnapshotFile(op.json);
    } catch (err) {
      // Old or new snapshot.json: either way it is consistent with the journal, which holds every event.
      this.logger.error({ err, dir: this.dir, seq: op.seq }, 'journal: snapshot write failed');
      op.reject(err);
      return;
    }
    await this.keepInHistory(op.seq);
    try {
      await this.switchSegment(segmentFileName(op.seq + 1));
    } catch (err) {
      if (isDiskFull(err)) {
        // No room for a new segment: go on in the current one (a start reads it past the snapshot).
        this.logger.warn({ err, dir: this.dir }, 'journal: no room for a new segment after the snapshot');
        op.resolve();
        return;
      }
      this.poison(err, [op]);
      return;
    }
    op.resolve();
  }

  private async writeSnapshotFile(json: string): Promise<void> {
    const file = path.join(this.dir, SNAPSHOT_FILE);
    const tmp = `${file}.tmp`;
    try {
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(json, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (err) {
      await unlink(tmp).catch(() => undefined); // a full disk must not keep a half snapshot's space
      throw err;
    }
    await rename(tmp, file);
    await fsyncDir(this.dir);
  }

  /**
   * A hard link to the new snapshot in `history/` (no bytes copied): retention prunes old segments
   * only up to such a snapshot, so a start can always rebuild from one plus the segments after it.
   */
  private async keepInHistory(seq: number): Promise<void> {
    const dir = path.join(this.dir, HISTORY_DIR);
    try {
      await mkdir(dir, { recursive: true });
      const target = path.join(dir, historySnapshotName(seq));
      await unlink(target).catch(() => undefined);
      await link(path.join(this.dir, SNAPSHOT_FILE), target);
      await fsyncDir(dir);
    } catch (err) {
      // Only pruning depends on it, and it waits for the next one.
      this.logger.warn({ err, dir, seq }, 'journal: cannot keep the snapshot in history');
    }
  }

  private async switchSegment(name: string): Promise<void> {
    if (name === this.segmentName) return; // still empty since the previous snapshot
    const previous = this.currentHandle();
    const previousName = this.segmentName;
    try {
      this.handle = await this.openSegment(name, true);
    } catch (err) {
      if (isDiskFull(err)) {
        // An empty segment left behind would not continue the journal: remove it.
        await unlink(path.join(this.dir, name)).catch(() => undefined);
        this.segmentName = previousName;
      }
      throw err;
    }
    this.durableSize = 0;
    await previous.close();
  }

  /** Opens a segment for appending; a new file (created exclusively) also gets its directory entry fsynced. */
  private async openSegment(name: string, create: boolean): Promise<FileHandle> {
    const handle = await open(path.join(this.dir, name), create ? 'ax' : 'a');
    try {
      if (create) await fsyncDir(this.dir);
    } catch (err) {
      await handle.close();
      throw err;
    }
    this.segmentName = name;
    return handle;
  }

  private currentHandle(): FileHandle {
    if (!this.handle) throw new Error('Journal has no open segment');
    return this.handle;
  }

  private poison(cause: unknown, inFlight: Op[]): void {
    this.failure = new JournalFailedError(cause);
    this.logger.error({ err: cause, dir: this.dir, segment: this.segmentName }, 'journal failed');
    for (const op of [...inFlight, ...this.queue.splice(0)]) op.reject(this.failure);
  }

  /**
   * The snapshot, or null when there is none or it is damaged: a damaged one is set aside in
   * quarantine and the state is rebuilt from the journal (which holds every event).
   */
  private async readSnapshot(): Promise<JournalSnapshot | null> {
    const file = path.join(this.dir, SNAPSHOT_FILE);
    let text: Buffer;
    try {
      text = await readWholeFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.readHistorySnapshot();
      throw err;
    }
    const parsed = parseSnapshot(text);
    if (typeof parsed === 'string') {
      const aside = path.join(this.dir, QUARANTINE_DIR, `${SNAPSHOT_FILE}.${stamp()}.damaged`);
      await mkdir(path.dirname(aside), { recursive: true });
      await rename(file, aside);
      await fsyncDir(this.dir);
      this.logger.warn(
        { file, problem: parsed, quarantine: aside },
        `journal: ${SNAPSHOT_FILE} is damaged (${parsed}); set aside to ${aside}, rebuilding the state from the journal`,
      );
      return this.readHistorySnapshot();
    }
    if (!parsed.checked) {
      this.logger.warn({ file }, `journal: ${SNAPSHOT_FILE} was written before checksums; read without one`);
    }
    this.snapshotWrittenAt = parsed.writtenAt;
    return { seq: parsed.seq, state: parsed.state };
  }

  /**
   * The newest sound snapshot kept in `history/` (damaged ones are set aside), or null: the state is
   * then rebuilt from it plus the later segments, or from the first event when there is none.
   */
  private async readHistorySnapshot(): Promise<JournalSnapshot | null> {
    const dir = path.join(this.dir, HISTORY_DIR);
    const names = (await readdir(dir).catch(() => [] as string[]))
      .filter((n) => historySnapshotSeq(n) !== null)
      .sort()
      .reverse();
    for (const name of names) {
      const file = path.join(dir, name);
      const parsed = parseSnapshot(await readWholeFile(file));
      if (typeof parsed !== 'string') {
        this.logger.warn({ file, seq: parsed.seq }, 'journal: starting from the snapshot kept in history');
        this.snapshotWrittenAt = parsed.writtenAt;
        return { seq: parsed.seq, state: parsed.state };
      }
      const aside = path.join(this.dir, QUARANTINE_DIR, `${name}.${stamp()}.damaged`);
      await mkdir(path.dirname(aside), { recursive: true });
      await rename(file, aside);
      this.logger.warn(
        { file, problem: parsed, quarantine: aside },
        'journal: a snapshot in history is damaged',
      );
    }
    return null;
  }

  /** Keeps bytes aside in `quarantine/`, durably, and returns where. */
  private async quarantine(name: string, bytes: Buffer): Promise<string> {
    const dir = path.join(this.dir, QUARANTINE_DIR);
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, name);
    await writeDurably(file, bytes);
    await fsyncDir(dir);
    return file;
  }
}

/**
 * A snapshot file's content, or what is wrong with it. Given the file's bytes (as a start reads it),
 * the checksum is computed over the bytes themselves and the body is decoded once, for JSON.parse:
 * decoding the whole file and encoding the body again for the checksum cost a 26 MB snapshot two
 * extra passes and as many copies at every start. A string is still accepted (its UTF-8 bytes).
 */
export function parseSnapshot(
  file: string | Buffer,
): { seq: number; state: unknown; checked: boolean; writtenAt?: number } | string {
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  // The head is ASCII: reading its first bytes as latin1 finds it without decoding the rest.
  const head = SNAPSHOT_HEAD.exec(bytes.toString('latin1', 0, 64));
  let body: string;
  if (head) {
    let end = bytes.length;
    while (end > 0 && isJsonSpace(bytes[end - 1] as number)) end--;
    if (end <= head[0].length || bytes[end - 1] !== 0x7d /* } */) return 'it is cut short';
    const inner = bytes.subarray(head[0].length, end - 1);
    if (crc32cHex(inner) !== head[1]) return 'checksum mismatch';
    body = inner.toString('utf8');
  } else {
    body = bytes.toString('utf8');
  }
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'not valid JSON';
  }
  const seq = (value as { seq?: unknown } | null)?.seq;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return 'no integer "seq"';
  const written = Date.parse(String((value as { writtenAt?: unknown }).writtenAt));
  return {
    seq,
    state: (value as { state?: unknown }).state,
    checked: head !== null,
    ...(Number.isFinite(written) ? { writtenAt: written } : {}),
  };
}

/** Whitespace that may follow the snapshot's closing brace (the writer ends it with one newline). */
function isJsonSpace(byte: number): boolean {
  return byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0x09;
}

/** Removes the temp files a write cut short left behind (a snapshot's, most often); they only take space. */
export async function removeStaleTemps(dir: string, logger: Logger): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith('.tmp')) continue;
    await unlink(path.join(dir, name)).catch(() => undefined);
    logger.warn({ file: path.join(dir, name) }, 'removed a temp file left by an interrupted write');
  }
}

/** Seqs that can be read in damaged bytes (for the log: which records a repair dropped). */
export function seqsIn(bytes: Buffer): number[] {
  return [...bytes.toString('latin1').matchAll(/"seq":(\d+)/g)].map((m) => Number(m[1]));
}

function stamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

async function truncateFile(file: string, length: number): Promise<void> {
  const handle = await open(file, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
