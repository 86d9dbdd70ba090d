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
    const whole = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(whole, filled, size - filled, null);
      if (bytesRead === 0) return whole.subarray(0, filled); // shorter than its size said
      filled += bytesRead;
    }
    // Longer than its size said (it grew, or a /proc file): on to its end, as readFile does.
    const rest: Buffer[] = [];
    for (;;) {
      const more = Buffer.allocUnsafe(65_536);
      const { bytesRead } = await handle.read(more, 0, more.length, null);
      if (bytesRead === 0) break;
      rest.push(more.subarray(0, bytesRead));
    }
    return rest.length === 0 ? whole : Buffer.concat([whole, ...rest]);
  } finally {
    await handle.close();
  }
}
