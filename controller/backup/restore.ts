/**
 * `npm run restore`: puts a backup into a data folder, checking everything before touching it.
 *
 * Refused, with nothing changed: a folder that is not a complete backup (no manifest: interrupted,
 * or not a backup), a file missing, added, or whose size or SHA-256 differs from the manifest, a
 * backup of formats newer than this controller, a data folder a running controller holds (the same
 * kernel lock the controller takes), a data folder of another centre, and (without `--replace`) a
 * data folder that already holds data. With `--replace` the folder's current contents are moved
 * into `DATA_DIR/replaced-<time>/`, never deleted.
 *
 * While files are being put in place, `DATA_DIR/restore-in-progress` exists, and a controller
 * refuses to start on the folder (a power cut halfway would otherwise leave a mix of two states).
 */

import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DataDirLock, LOCK_FILE } from '../data-dir-lock.ts';
import { newerFormats, RESTORE_MARKER } from '../formats/data-format.ts';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';
import { sha256 } from './backup.ts';
import { checkJournal, type JournalPoint } from './check-journal.ts';
import {
  BackupError,
  MANIFEST_FILE,
  type Manifest,
  manifestSchema,
  PARTIAL_SUFFIX,
  SUMS_FILE,
} from './manifest.ts';

export interface RestoreOptions {
  backupDir: string;
  dataDir: string;
  /** Move what the data folder holds aside (into replaced-<time>/) instead of refusing. */
  replace?: boolean;
  now?: () => Date;
}

export interface RestoreResult {
  manifest: Manifest;
  journal: JournalPoint;
  /** Where the folder's previous contents went, if any. */
  replacedInto: string | null;
}

/** Reads and checks a backup folder completely; throws BackupError saying what is wrong. */
export async function checkBackup(backupDir: string): Promise<Manifest> {
  const text = await readFile(join(backupDir, MANIFEST_FILE), 'utf8').catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw new BackupError(`cannot read ${join(backupDir, MANIFEST_FILE)}: ${error.message}`);
    },
  );
  if (text === null) {
    const inside = (await readdir(backupDir).catch(() => [] as string[]))
      .filter((n) => n.startsWith('backup-') && !n.endsWith(PARTIAL_SUFFIX))
      .sort();
    if (inside.length)
      throw new BackupError(
        `${backupDir} is a folder of backups, not one backup: give one of them, e.g. the newest, ${join(backupDir, inside.at(-1) ?? '')}`,
      );
    throw new BackupError(
      backupDir.endsWith(PARTIAL_SUFFIX)
        ? `${backupDir} is a partial backup (it was interrupted before it finished); use a complete one`
        : `${backupDir} is not a complete backup: it has no ${MANIFEST_FILE} (a backup interrupted before it finished, or not a backup folder)`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BackupError(`${join(backupDir, MANIFEST_FILE)} is damaged (${(error as Error).message})`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new BackupError(`${join(backupDir, MANIFEST_FILE)} is damaged: ${problems.join('; ')}`);
  }
  const manifest = parsed.data;
  if (manifest.version > 1)
    throw new BackupError(
      `${backupDir} was made by a newer controller (${manifest.createdBy}, backup layout ${manifest.version}); restore it with that version or newer`,
    );
  const refusal = newerFormats(manifest.formats, `the backup ${backupDir}`, manifest.createdBy);
  if (refusal) throw new BackupError(refusal);
  const listed = new Set(manifest.files.map((f) => f.path));
  const present = await listAll(backupDir);
  const extra = present.filter((p) => !listed.has(p) && p !== MANIFEST_FILE && p !== SUMS_FILE);
  const damaged: string[] = [];
  for (const file of manifest.files) {
    const bytes = await readFile(join(backupDir, ...file.path.split('/'))).catch(() => null);
    if (bytes === null) damaged.push(`${file.path} is missing`);
    else if (bytes.length !== file.bytes)
      damaged.push(`${file.path} has ${bytes.length} bytes, the manifest says ${file.bytes}`);
    else if (sha256(bytes) !== file.sha256) damaged.push(`${file.path} does not match its SHA-256 checksum`);
  }
  for (const p of extra) damaged.push(`${p} is not in the manifest`);
  if (damaged.length)
    throw new BackupError(
      `the backup ${backupDir} is damaged and was not restored: ${damaged.slice(0, 10).join('; ')}${damaged.length > 10 ? `; and ${damaged.length - 10} more` : ''}`,
    );
  return manifest;
}

export async function restoreBackup(options: RestoreOptions): Promise<RestoreResult> {
  const { backupDir, dataDir } = options;
  const manifest = await checkBackup(backupDir);
  const lock = await DataDirLock.acquire(dataDir, 'restore');
  try {
    const entries = (await readdir(dataDir)).filter((n) => n !== LOCK_FILE && !n.startsWith('replaced-'));
    const current = await centreOf(dataDir);
    if (current !== null && current !== manifest.centre.id)
      throw new BackupError(
        `the backup is of another centre (${manifest.centre.id}, ${manifest.centre.name}) than ${dataDir} (${current}); nothing was changed. To move a centre to this machine, restore into an empty DATA_DIR`,
      );
    const interrupted = entries.includes(RESTORE_MARKER);
    if (entries.length > 0 && !interrupted && !options.replace)
      throw new BackupError(
        `${dataDir} already holds data (${entries.slice(0, 5).join(', ')}${entries.length > 5 ? ', …' : ''}); nothing was changed. Run again with --replace to move it aside into ${join(dataDir, 'replaced-<time>')}/ and restore`,
      );
    await writeOwnerOnly(join(dataDir, RESTORE_MARKER), Buffer.from(`${backupDir}\n`));
    await fsyncDir(dataDir);
    let replacedInto: string | null = null;
    const toMove = entries.filter((n) => n !== RESTORE_MARKER);
    if (toMove.length > 0) {
      const stamp = (options.now?.() ?? new Date())
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
      replacedInto = await newFolder(join(dataDir, `replaced-${stamp}`));
      for (const name of toMove) await rename(join(dataDir, name), join(replacedInto, name));
      await fsyncDir(replacedInto);
      await fsyncDir(dataDir);
    }
    const dirs = new Set<string>([dataDir]);
    for (const file of manifest.files) {
      const bytes = await readFile(join(backupDir, ...file.path.split('/')));
      if (sha256(bytes) !== file.sha256)
        throw new BackupError(`${file.path} changed in the backup while restoring`);
      const target = join(dataDir, ...file.path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeOwnerOnly(target, bytes);
      dirs.add(dirname(target));
    }
    for (const dir of dirs) await fsyncDir(dir);
    const journal = await checkJournal(join(dataDir, 'journal'));
    await unlink(join(dataDir, RESTORE_MARKER));
    await fsyncDir(dataDir);
    return { manifest, journal, replacedInto };
  } finally {
    await lock.release();
  }
}

/** `base`, or `base-2`, `base-3`… when a restore in the same second already used it. */
async function newFolder(base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

async function centreOf(dataDir: string): Promise<string | null> {
  const text = await readFile(join(dataDir, 'centre.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const id = (JSON.parse(text) as { config?: { centre?: { id?: unknown } } }).config?.centre?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null; // unreadable: the restore replaces it (with --replace, kept aside)
  }
}

async function listAll(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listAll(join(dir, entry.name), rel)));
    else out.push(rel);
  }
  return out;
}

/** Backups hold accounts, device secrets and the citizen key: owner-only, durable. */
function writeOwnerOnly(file: string, bytes: Buffer): Promise<void> {
  return writeDurably(file, bytes, 0o600);
}
