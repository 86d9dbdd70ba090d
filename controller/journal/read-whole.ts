/**
 * A file's bytes in one read of its size, where `fs.promises.readFile` reads 512 KiB at a time,
 * each a trip through the thread pool: the start reads a 26 MB snapshot (a 50,000-ticket day) and a
 * segment of up to 20,000 records before it is ready (issue 14: 23 → 8 ms for the snapshot, min of
 * 7, and far more on a busy machine, where each trip waits for the event loop). Reads to the end as
 * readFile does, should the file have grown since its size was taken.
 */
import { open } from 'node:fs/promises';

export async function readWholeFile(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let chunk = Buffer.allocUnsafe(Math.max(size, 1));
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, filled, chunk.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === chunk.length) {
        // Full: the file is at least this long; go on until the end in 64 KiB chunks.
        chunks.push(chunk);
        chunk = Buffer.allocUnsafe(65_536);
        filled = 0;
      }
    }
    chunks.push(chunk.subarray(0, filled));
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}
