/**
 * Checks the audit log's hash chain (audit-log.ts) over every file still kept, oldest first: each
 * line's hash is recomputed, and each line must name the hash of the line before it. The first
 * line kept may follow a rotated file since deleted: its `prev` is taken as given (and reported).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AuditEntry, CHAIN_START, type ChainedEntry, chainHash } from './audit-log.ts';

export interface ChainProblem {
  file: string;
  line: number;
  problem: string;
}

export interface ChainReport {
  files: string[];
  lines: number;
  /** The first line's `prev`: CHAIN_START when the log is whole from its beginning. */
  startsFrom: string | null;
  problems: ChainProblem[];
}

export async function verifyAuditChain(dataDir: string): Promise<ChainReport> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  const files = [...names.filter((n) => /^audit-.+\.jsonl$/.test(n)).sort(), 'audit.jsonl'].filter((n) =>
    names.includes(n),
  );
  const report: ChainReport = { files, lines: 0, startsFrom: null, problems: [] };
  let prev: string | null = null;
  for (const name of files) {
    const text = await readFile(join(dataDir, name), 'utf8');
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      const where = { file: name, line: i + 1 };
      let entry: Partial<ChainedEntry> & AuditEntry;
      try {
        entry = JSON.parse(line);
      } catch {
        // A power cut can tear the newest line only.
        const last = name === 'audit.jsonl' && lines.slice(i + 1).every((l) => !l.trim());
        if (!last) report.problems.push({ ...where, problem: 'not a JSON line' });
        continue;
      }
      report.lines += 1;
      if (typeof entry.hash !== 'string' || typeof entry.prev !== 'string') {
        report.problems.push({ ...where, problem: 'line has no place in the hash chain (prev, hash)' });
        prev = null;
        continue;
      }
      if (prev === null && report.startsFrom === null) report.startsFrom = entry.prev;
      else if (entry.prev !== prev)
        report.problems.push({
          ...where,
          problem: 'does not follow the line before it (removed or reordered lines)',
        });
      if (chainHash(entry.prev, entry) !== entry.hash)
        report.problems.push({ ...where, problem: 'its content does not match its hash (edited)' });
      prev = entry.hash;
    }
  }
  return report;
}

export { CHAIN_START };
