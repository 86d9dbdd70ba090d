/**
 * One controller per data folder: two would write the same journal and undo each other's work.
 *
 * On Linux the lock is held by the kernel for the life of the process: a listening Unix socket in
 * the abstract namespace, named after the data folder's real path. Binding a name is atomic, only
 * one process can hold it, and the kernel frees it when the process ends in any way (a power cut,
 * SIGKILL), so there is no stale lock to take over and no window in which two processes both hold
 * it. `controller.pid` is only the note that says who holds it, for the message a second
 * controller prints; it is written whole (temp file, fsync, rename) after the lock is held.
 *
 * Elsewhere (development machines) the pid file is the lock: created whole and exclusively
 * (hard link of a complete temp file), and taken over when its process no longer runs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { StartupError } from './listen.ts';
import { fsyncDir } from './store/fsync-dir.ts';

export const LOCK_FILE = 'controller.pid';
/** How long a refused start waits for the holder's pid note, so the message can name it. */
const HOLDER_NOTE_RETRIES = 40;

export class DataDirLock {
  private constructor(
    readonly file: string,
    readonly server: Server | null,
  ) {}

  static async acquire(dataDir: string, what = 'controller'): Promise<DataDirLock> {
    await mkdir(dataDir, { recursive: true });
    const file = join(dataDir, LOCK_FILE);
    const refuse = (holder: number | null) =>
      new StartupError(
        `another controller (pid ${holder ?? 'unknown'}) is using ${dataDir}; stop it first, or give this ${what} its own DATA_DIR`,
      );
    if (process.platform !== 'linux') {
      await acquireByPidFile(dataDir, file, refuse);
      return new DataDirLock(file, null);
    }
    const name = `\0hall-controller-lock:${createHash('sha256')
      .update(await realpath(dataDir))
      .digest('hex')}`;
    const server = createServer();
    try {
      await bind(server, name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      throw refuse(await liveHolder(file));
    }
    server.unref(); // the lock never keeps a process alive
    await writeWhole(file, `${process.pid} ${bootTime()}\n`);
    return new DataDirLock(file, server);
  }

  async release(): Promise<void> {
    const holder = Number((await readFile(this.file, 'utf8').catch(() => '')).trim().split(' ')[0]);
    if (holder === process.pid) await unlink(this.file).catch(() => undefined);
    const server = this.server;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function bind(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path: name }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The pid the note names once it names a running process (the holder may be writing it just now). */
async function liveHolder(file: string): Promise<number | null> {
  for (let i = 0; i < HOLDER_NOTE_RETRIES; i++) {
    const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim().split(' ')[0]);
    if (holder && holder !== process.pid && isRunning(holder)) return holder;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return null;
}

/** Writes a file so that readers see either the old content or all of the new. */
async function writeWhole(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  await fsyncDir(join(file, '..')).catch(() => undefined);
}

/** The lock where abstract sockets do not exist: the pid file itself, created whole. */
async function acquireByPidFile(
  dataDir: string,
  file: string,
  refuse: (holder: number) => Error,
): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFileWhole(tmp, `${process.pid} ${bootTime()} ${randomBytes(8).toString('hex')}\n`);
    try {
      await link(tmp, file); // atomic, and the file is complete the moment it has its name
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await unlink(tmp).catch(() => undefined);
    }
    const seen = (await readFile(file, 'utf8').catch(() => '')).trim();
    const [pidText, bootText] = seen.split(' ');
    const holder = Number(pidText);
    // After a reboot the old pid may belong to another program: a lock from an earlier boot is stale.
    const sameBoot = bootText === undefined || Math.abs(Number(bootText) - bootTime()) < 60;
    if (holder && sameBoot && isRunning(holder)) throw refuse(holder);
    // Move the stale lock aside and check it is the one we judged stale before deleting it.
    const aside = `${file}.${process.pid}.stale`;
    await rename(file, aside).catch(() => undefined);
    const moved = (await readFile(aside, 'utf8').catch(() => '')).trim();
    if (moved && moved !== seen) await link(aside, file).catch(() => undefined); // not ours to delete
    await unlink(aside).catch(() => undefined);
  }
  throw new StartupError(`cannot lock ${dataDir}: ${file} keeps coming back`);
}

async function writeFileWhole(path: string, content: string): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** When this machine booted, in seconds since the epoch (to within a second or so). */
function bootTime(): number {
  return Math.round(Date.now() / 1000 - uptime());
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
