/**
 * One controller per data folder: two would write the same journal and undo each other's work.
 * The lock is a `controller.pid` file; one left by a process that no longer runs (a power cut)
 * is taken over.
 */
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
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
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (holder && holder !== process.pid && isRunning(holder)) {
        throw new StartupError(
          `another controller (pid ${holder}) is using ${dataDir}; stop it first, or give this ${what} its own DATA_DIR`,
        );
      }
      await unlink(file).catch(() => undefined); // left behind by a process that is gone
    }
    throw new StartupError(`cannot lock ${dataDir}: ${file} keeps coming back`);
  }

  async release(): Promise<void> {
    const holder = Number((await readFile(this.file, 'utf8').catch(() => '')).trim());
    if (holder === process.pid) await unlink(this.file).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
