/** Writes a whole file and fsyncs it before resolving (its directory entry is the caller's to fsync). */
import { open, writeFile } from 'node:fs/promises';

export async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  await writeFile(file, bytes);
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
