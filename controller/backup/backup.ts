/**
 * `npm run backup`: a consistent copy of a data folder, taken while the controller runs (or not),
 * without writing anything into the data folder.
 *
 * Why the copy is consistent without stopping the centre: every file the controller replaces
 * (configuration, accounts, sessions, cursor, snapshot) is replaced whole by a rename, so reading it
 * gives one whole version; the journal segments and the audit log only grow, by fsynced appends, so
 * a copy of what is there, cut at its last complete line, is a state the controller passed through.
 * The order makes the parts agree: the upstream cursor and the other small files first (the cursor
 * never names a seq the copied journal lacks), then the snapshot, then the segments (which reach at
 * least the snapshot's seq), then the audit log. The copied journal is then checked as a start
 * would read it; if a segment changed under the copy (a snapshot and a new segment at that moment),
 * the whole copy is taken again.
 *
 * The copy is written into `<folder>/backup-<centre>-<time>.partial/`, every file fsynced, the
 * manifest last, then renamed to its final name: a backup folder without `.partial` is complete.
 */

import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { LOCK_FILE } from '../data-dir-lock.ts';
import { controllerVersion, DATA_FORMAT_FILE, RESTORE_MARKER, UNVERSIONED } from '../formats/data-format.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';
import { checkJournal, type JournalPoint } from './check-journal.ts';
import {
  BackupError,
  backupName,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type Manifest,
  type ManifestFile,
  PARTIAL_SUFFIX,
  SUMS_FILE,
  writeProblem,
} from './manifest.ts';

const ATTEMPTS = 3;

export interface BackupResult {
  dir: string;
  manifest: Manifest;
}

export interface BackupOptions {
  dataDir: string;
  /** The folder the backup goes into (created if missing); the backup is a new folder inside it. */
  folder: string;
  now?: () => Date;
  /** Keep only this many backups of this centre in `folder` (the newest), deleting older ones. */
  keep?: number;
}

export async function takeBackup(options: BackupOptions): Promise<BackupResult> {
  const { dataDir, folder } = options;
  if (await isFile(join(dataDir, RESTORE_MARKER)))
    throw new BackupError(
      `a restore into ${dataDir} is in progress or was interrupted (${RESTORE_MARKER} is there): finish it (npm run restore) before backing up`,
    );
  const centre = await readCentre(dataDir);
  const formats = await readFormats(dataDir);
  const at = (options.now ?? (() => new Date()))();
  const name = backupName(centre.id, at);
  const final = join(folder, name);
  const partial = `${final}${PARTIAL_SUFFIX}`;
  if (isInside(folder, dataDir))
    throw new BackupError(
      `the backup folder ${folder} is inside the data folder ${dataDir}; choose another disk`,
    );
  try {
    await makeFolder(folder);
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial);
  } catch (error) {
    throw new BackupError(writeProblem(error, folder));
  }
  try {
    let copied: { files: ManifestFile[]; journal: JournalPoint } | null = null;
    let lastProblem: unknown = null;
    for (let attempt = 0; attempt < ATTEMPTS && !copied; attempt++) {
      try {
        copied = await copyOnce(dataDir, partial);
      } catch (error) {
        if (isWriteError(error)) throw error;
        lastProblem = error;
        await rm(partial, { recursive: true, force: true });
        await mkdir(partial);
      }
    }
    if (!copied)
      throw new BackupError(
        `the data folder's journal could not be copied consistently (${(lastProblem as Error).message}); if the controller refuses to start on it too, see docs/durability.md`,
      );
    const manifest: Manifest = {
      kind: 'hall-controller-backup',
      version: MANIFEST_VERSION,
      createdAt: at.toISOString(),
      createdBy: controllerVersion(),
      source: dataDir,
      centre,
      formats,
      journal: copied.journal,
      files: copied.files,
    };
    await writeOwnerOnly(
      join(partial, SUMS_FILE),
      Buffer.from(copied.files.map((f) => `${f.sha256}  ${f.path}\n`).join('')),
    );
    await writeOwnerOnly(join(partial, MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
    await fsyncDir(partial);
    await rename(partial, final);
    await fsyncDir(folder);
    if (options.keep !== undefined) await prune(folder, centre.id, options.keep, name);
    return { dir: final, manifest };
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof BackupError) throw error;
    if (isWriteError(error)) throw new BackupError(writeProblem(error, folder));
    throw error;
  }
}

/** One pass over the data folder in the order that keeps the parts consistent (see the top). */
async function copyOnce(
  dataDir: string,
  into: string,
): Promise<{ files: ManifestFile[]; journal: JournalPoint }> {
  const all = await listFiles(dataDir);
  const rank = (p: string) =>
    p === 'journal/snapshot.json'
      ? 1
      : /^journal\/journal-\d+\.jsonl(\.gz)?$/.test(p)
        ? 2
        : /^audit.*\.jsonl$/.test(p)
          ? 3
          : p.startsWith('journal/')
            ? 4
            : 0;
  const ordered = all.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const files: ManifestFile[] = [];
  for (const path of ordered) {
    // Plain segments and the audit log grow by appends; everything else is replaced whole.
    const appendOnly = (rank(path) === 2 && !path.endsWith('.gz')) || rank(path) === 3;
    const bytes = await readFile(join(dataDir, path)).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null; // replaced or removed under us: the next listing has it
      throw new BackupError(`cannot read ${join(dataDir, path)}: ${error.message}`);
    });
    if (bytes === null) {
      if (rank(path) === 2) throw new BackupError(`${path} disappeared while being copied`);
      continue;
    }
    const content = appendOnly ? completeLines(bytes) : bytes;
    const target = join(into, ...path.split('/'));
    await mkdir(dirname(target), { recursive: true });
    await writeOwnerOnly(target, content);
    files.push({ path, bytes: content.length, sha256: sha256(content) });
  }
  for (const dir of new Set(files.map((f) => dirname(join(into, ...f.path.split('/')))))) await fsyncDir(dir);
  const journal = await checkJournal(join(into, 'journal'));
  return { files, journal };
}

/** Files of the data folder worth keeping: not the lock note, not temp files, not set-aside copies. */
async function listFiles(dataDir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.name.endsWith('.tmp')) continue;
      // Not the lock note, not what a restore set aside, not the voice clips (a cache made again).
      if (
        !prefix &&
        (entry.name === LOCK_FILE || entry.name.startsWith('replaced-') || entry.name === 'voice')
      )
        continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name), rel);
      else if (entry.isFile()) out.push(rel);
    }
  };
  await walk(dataDir, '');
  return out;
}

/** Up to the last newline: an append in flight is not part of the copy. */
function completeLines(bytes: Buffer): Buffer {
  const end = bytes.lastIndexOf(0x0a);
  return bytes.subarray(0, end + 1);
}

async function readCentre(dataDir: string): Promise<{ id: string; name: string }> {
  const file = join(dataDir, 'centre.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BackupError(
      code === 'ENOENT'
        ? `${dataDir} is not a controller's data folder (it has no centre.json); give the same DATA_DIR as npm start`
        : `cannot read ${file}: ${(error as Error).message}`,
    );
  }
  try {
    const centre = (JSON.parse(text) as { config?: { centre?: { id?: unknown; name?: unknown } } }).config
      ?.centre;
    if (typeof centre?.id !== 'string') throw new Error('no centre id');
    return { id: centre.id, name: String(centre.name ?? '') };
  } catch (error) {
    throw new BackupError(
      `${file} cannot be read (${(error as Error).message}); the controller would refuse it too`,
    );
  }
}

async function readFormats(dataDir: string): Promise<Record<string, number>> {
  const text = await readFile(join(dataDir, DATA_FORMAT_FILE), 'utf8').catch(() => null);
  if (text === null) return { ...UNVERSIONED };
  try {
    return (JSON.parse(text) as { formats: Record<string, number> }).formats;
  } catch {
    throw new BackupError(
      `${join(dataDir, DATA_FORMAT_FILE)} is damaged; the controller would refuse it too`,
    );
  }
}

async function prune(folder: string, centreId: string, keep: number, current: string): Promise<void> {
  const prefix = `backup-${centreId}-`;
  const complete = (await readdir(folder)).filter(
    (n) => n.startsWith(prefix) && !n.endsWith(PARTIAL_SUFFIX) && n !== current,
  );
  complete.sort();
  for (const old of complete.slice(0, Math.max(0, complete.length - (keep - 1))))
    await rm(join(folder, old), { recursive: true, force: true });
}

/** mkdir -p, but with the real reason: a recursive mkdir on a read-only file system says ENOENT. */
async function makeFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(folder) === folder) throw error;
    if (!(await isDirectory(dirname(folder)))) await makeFolder(dirname(folder));
    await mkdir(folder);
  }
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function isWriteError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM';
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : `${parent}${sep}`);
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

export async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

/** Backups hold accounts, device secrets and the citizen key: owner-only, durable. */
function writeOwnerOnly(file: string, bytes: Buffer): Promise<void> {
  return writeDurably(file, bytes, 0o600);
}
