/**
 * lowdb adapter that survives power cuts: lowdb's own JSONFile (steno) renames without fsync, which can
 * leave an empty file after a crash. Here a write goes to `<file>.tmp`, is fsynced, renamed over the file,
 * and the directory is fsynced.
 *
 * Use it as `new Low(new FsyncJsonFile(path), defaultData)`.
 * We build Low ourselves because lowdb's presets (JSONFilePreset) silently switch to memory when NODE_ENV=test.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';
import { fsyncDir } from './fsync-dir.ts';

export class FsyncJsonFile<T> implements Adapter<T> {
  private readonly file: string;
  private readonly tmp: string;
  /** Tail of the write chain: writes run one at a time, in call order, so the last call wins. */
  private last: Promise<void> = Promise.resolve();

  constructor(file: string) {
    this.file = file;
    this.tmp = `${file}.tmp`;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${this.file}: invalid JSON (${(err as Error).message})`, { cause: err });
    }
  }

  /** Serializes `data` now, and resolves once it is durable on disk. */
  write(data: T): Promise<void> {
    let text: string;
    try {
      text = JSON.stringify(data, null, 2);
    } catch (err) {
      return Promise.reject(err);
    }
    const run = this.last.then(() => this.writeNow(text));
    this.last = run.catch(() => {});
    return run;
  }

  private async writeNow(text: string): Promise<void> {
    try {
      const handle = await open(this.tmp, 'w');
      try {
        await handle.writeFile(text, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(this.tmp, this.file);
    } catch (err) {
      await unlink(this.tmp).catch(() => {});
      throw err;
    }
    await fsyncDir(path.dirname(this.file));
  }
}
