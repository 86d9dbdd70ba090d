import { open } from 'node:fs/promises';

/** Makes a directory's entries durable (a file just created or renamed into it survives a power cut). */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
