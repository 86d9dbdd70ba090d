/** Writes a whole file and fsyncs it before resolving (its directory entry is the caller's to fsync). */
import { open } from 'node:fs/promises';

export async function writeDurably(file: string, bytes: Buffer, mode = 0o666): Promise<void> {
  const handle = await open(file, 'w', mode);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
