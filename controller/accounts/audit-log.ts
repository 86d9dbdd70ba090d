/**
 * What managers did: one JSON line per action in DATA_DIR/audit.jsonl, appended and fsynced in order
 * once the action's outcome is known (sign-ins: before their answer). Passwords and secrets in
 * request bodies are replaced by "[redacted]".
 */
import { appendFile, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

const SECRET_KEYS = /pass|pin|secret|token/i;

export class AuditLog {
  readonly file: string;
  #tail: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = join(dataDir, 'audit.jsonl');
  }

  append(entry: AuditEntry): Promise<void> {
    const line = `${JSON.stringify({ ...entry, ...(entry.details ? { details: redact(entry.details) } : {}) })}\n`;
    // One write at a time, in order; each line on disk before the next starts.
    this.#tail = this.#tail.then(async () => {
      await appendFile(this.file, line, { mode: 0o600 });
      const handle = await open(this.file, 'r');
      try {
        await handle.datasync();
      } finally {
        await handle.close();
      }
    });
    return this.#tail;
  }

  /** The latest entries, newest first. */
  async latest(limit = 200): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n').reverse()) {
      if (entries.length >= limit) break;
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // a torn last line after a power cut: skip it
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
