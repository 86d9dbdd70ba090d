/**
 * A process that takes the data-folder lock when its parent says so (data-dir-lock.test.ts): two
 * of them, told at the same moment, race for it as two controllers started together would.
 * Messages in: { acquire: dir } and { release: true }; out: { got: boolean, error? }.
 */
import { DataDirLock } from '../../controller/data-dir-lock.ts';

let held: DataDirLock | null = null;

process.on('message', async (message: { acquire?: string; release?: boolean }) => {
  if (message.acquire) {
    try {
      held = await DataDirLock.acquire(message.acquire);
      process.send?.({ got: true });
    } catch (error) {
      process.send?.({ got: false, error: (error as Error).message });
    }
  } else if (message.release) {
    await held?.release();
    held = null;
    process.send?.({ released: true });
  }
});
process.send?.({ ready: true });
