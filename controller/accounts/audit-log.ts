/**
 * What managers did: one JSON line per action in DATA_DIR/audit.jsonl, appended and fsynced in order
 * once the action's outcome is known (sign-ins: before their answer). Passwords and secrets in
 * request bodies are replaced by "[redacted]".
 *
 * Retention (issue 10): past `maxBytes` the file is renamed `audit-<time>-<n>.jsonl` and a new one
 * begins; only the newest `keepFiles` rotated files are kept, so years of use cannot fill the disk.
 * A failed append (a full disk) fails alone: the next one is tried afresh.
 *
 * Tamper-evident (issue 13): every line carries `prev`, the hash of the line before it (across
 * rotations), and `hash` = SHA-256 over `prev` and the line's own entry. Editing, removing or
 * reordering a line breaks the chain from there on; `npm run audit:verify` says where
 * (verifyAuditChain). Someone able to rewrite the whole folder can rewrite the whole chain: the
 * chain shows edits made by hand to a copy or in place, not a replacement of everything.
 */
import { createHash } from 'node:crypto';
import { appendFile, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from '../store/fsync-dir.ts';

/** Default size at which the audit log is rotated, and how many rotated files are kept. */
const MAX_BYTES = 16 * 1024 * 1024;
const KEEP_FILES = 24;
const ROTATED = /^audit-.+\.jsonl$/;

export interface AuditEntry {
  at: string;
  /** The account that acted. */
  by: string;
  /** e.g. "POST /api/counters/quay-3/close" */
  action: string;
  /** The request body, secrets redacted. */
  details?: Record<string, unknown>;
  status: number;
}

/** An entry as written: with its place in the hash chain. */
export interface ChainedEntry extends AuditEntry {
  prev: string;
  hash: string;
}

/** The `prev` of the very first line of a log. */
export const CHAIN_START = '0'.repeat(64);

export function chainHash(prev: string, entry: AuditEntry): string {
  const { prev: _p, hash: _h, ...rest } = entry as Partial<ChainedEntry> & AuditEntry;
  return createHash('sha256').update(prev).update('\n').update(JSON.stringify(rest)).digest('hex');
}

const SECRET_KEYS = /pass|pin|secret|token/i;

export class AuditLog {
  readonly file: string;
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #keepFiles: number;
  #rotations = 0;
  #tail: Promise<void> = Promise.resolve();
  /** The hash of the last line on disk; read from the files when unknown (start, after a failure). */
  #last: string | null = null;

  constructor(dataDir: string, options: { maxBytes?: number; keepFiles?: number } = {}) {
    this.#dir = dataDir;
    this.file = join(dataDir, 'audit.jsonl');
    this.#maxBytes = options.maxBytes ?? MAX_BYTES;
    this.#keepFiles = options.keepFiles ?? KEEP_FILES;
  }

  append(entry: AuditEntry): Promise<void> {
    return this.appendAll([entry]);
  }

  /** Several entries in one write and one flush (the sign-in failures' summaries). */
  appendAll(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    // One write at a time, in order; each batch on disk before the next starts.
    const run = this.#tail.then(async () => {
      let prev = this.#last ?? (await this.#lastHash());
      let text = '';
      for (const entry of entries) {
        const clean: AuditEntry = { ...entry, ...(entry.details ? { details: redact(entry.details) } : {}) };
        const hash = chainHash(prev, clean);
        text += `${JSON.stringify({ ...clean, prev, hash })}\n`;
        prev = hash;
      }
      await this.#rotateIfFull(Buffer.byteLength(text));
      this.#last = null; // unknown until the write is known to be whole
      await appendFile(this.file, text, { mode: 0o600 });
      const handle = await open(this.file, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
      this.#last = prev;
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** The hash of the newest whole line in the log (the current file, else the newest rotated one). */
  async #lastHash(): Promise<string> {
    const files = [this.file, ...(await this.#rotated()).reverse().map((n) => join(this.#dir, n))];
    for (const file of files) {
      const text = await readFile(file, 'utf8').catch(() => '');
      for (const line of text.split('\n').reverse()) {
        if (!line.trim()) continue;
        try {
          const hash = (JSON.parse(line) as Partial<ChainedEntry>).hash;
          if (typeof hash === 'string') return hash;
        } catch {
          // a torn last line after a power cut: the chain goes on from the line before
        }
      }
    }
    return CHAIN_START;
  }

  async #rotateIfFull(adding: number): Promise<void> {
    const size = await stat(this.file).then(
      (s) => s.size,
      () => 0,
    );
    if (size === 0 || size + adding <= this.#maxBytes) return;
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const n = String(this.#rotations++).padStart(6, '0');
    await rename(this.file, join(this.#dir, `audit-${stamp}-${n}.jsonl`));
    await fsyncDir(this.#dir);
    const rotated = await this.#rotated();
    for (const old of rotated.slice(0, Math.max(0, rotated.length - this.#keepFiles))) {
      await unlink(join(this.#dir, old)).catch(() => undefined);
    }
  }

  /** Rotated files, oldest first. */
  async #rotated(): Promise<string[]> {
    return (await readdir(this.#dir)).filter((n) => ROTATED.test(n)).sort();
  }

  /** The latest entries, newest first (from the rotated files too, when the current one has fewer). */
  async latest(limit = 200): Promise<AuditEntry[]> {
    const entries: AuditEntry[] = [];
    const files = [this.file, ...(await this.#rotated()).reverse().map((n) => join(this.#dir, n))];
    for (const file of files) {
      if (entries.length >= limit) break;
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      for (const line of text.split('\n').reverse()) {
        if (entries.length >= limit) break;
        if (!line.trim()) continue;
        try {
          entries.push(JSON.parse(line) as AuditEntry);
        } catch {
          // a torn last line after a power cut: skip it
        }
      }
    }
    return entries;
  }
}

function redact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_KEYS.test(k)
        ? '[redacted]'
        : v && typeof v === 'object' && !Array.isArray(v)
          ? redact(v as Record<string, unknown>)
          : v,
    ]),
  );
}
