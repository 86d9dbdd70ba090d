/**
 * Preloaded into the controller by the soak run only (`node --import`): shifts `Date.now()` by the
 * milliseconds written in $SOAK_CLOCK_FILE, re-read as it changes — the soak's stand-in for `date -s`
 * on a mini PC (a container may not set the real clock). The monotonic clocks are left alone, as
 * a real wall-clock jump leaves them.
 */
import { readFileSync, watchFile } from 'node:fs';

const file = process.env.SOAK_CLOCK_FILE;
let offset = 0;
const read = () => {
  try {
    offset = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    offset = 0;
  }
};
if (file) {
  read();
  watchFile(file, { interval: 100 }, read).unref();
  const realNow = Date.now.bind(Date);
  Date.now = () => realNow() + offset;
}
