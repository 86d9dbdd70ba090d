/**
 * One controller per data folder: two would write the same journal and undo each other's work.
 * The lock is a `controller.pid` file; one left by a process that no longer runs (a power cut)
 * is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { StartupError } from './listen.ts';

const LOCK_FILE = 'controller.pid';

export class DataDirLock {
  private constructor(readonly file: string) {}

  static async acquire(dataDir: string, what = 'controller'): Promise<DataDirLock> {
    await mkdir(dataDir, { recursive: true });
    const file = join(dataDir, LOCK_FILE);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(`${process.pid} ${bootTime()}\n`);
        await handle.close();
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const [pidText, bootText] = (await readFile(file, 'utf8').catch(() => '')).trim().split(' ');
      const holder = Number(pidText);
      // After a reboot the old pid may belong to another program: a lock from an earlier boot is stale.
      const sameBoot = bootText === undefined || Math.abs(Number(bootText) - bootTime()) < 60;
      if (holder && holder !== process.pid && sameBoot && isRunning(holder)) {
        throw new StartupError(
          `another controller (pid ${holder}) is using ${dataDir}; stop it first, or give this ${what} its own DATA_DIR`,
        );
      }
      await unlink(file).catch(() => undefined); // left behind by a process that is gone
    }
    throw new StartupError(`cannot lock ${dataDir}: ${file} keeps coming back`);
  }

  async release(): Promise<void> {
    const holder = Number((await readFile(this.file, 'utf8').catch(() => '')).trim().split(' ')[0]);
    if (holder === process.pid) await unlink(this.file).catch(() => undefined);
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
