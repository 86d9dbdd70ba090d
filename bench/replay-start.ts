/**
 * Child process of benchmark 3: what a controller start does with its journal, in a fresh process —
 * Journal.open() reads and parses the segments, then the engine replays the events. Run as
 * `<node + tsx flags> bench/replay-start.ts <journal dir> <expected last seq>`; prints
 * `{"openMs": …, "replayMs": …}`.
 * Timed from the Journal's construction to the end of the replay (not Node's own start-up).
 */

import { QueueEngine } from '../controller/core/engine.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { Journal } from '../controller/journal/journal.ts';
import { silentLogger } from '../controller/logger.ts';
import { loadDemoCentre, OPENING } from './centre.ts';

const [dir, expected] = process.argv.slice(2);
if (!dir || !expected) throw new Error('usage: replay-start.ts <journal dir> <expected last seq>');
const config = await loadDemoCentre();
const t0 = performance.now();
const journal = new Journal<QueueEvent>({ dir, logger: silentLogger });
const { events } = await journal.open();
const t1 = performance.now();
const engine = QueueEngine.empty(config, OPENING);
engine.replay(events);
const t2 = performance.now();
await journal.close();
if (engine.state.seq !== Number(expected)) throw new Error(`replay ended at seq ${engine.state.seq}`);
console.log(JSON.stringify({ openMs: t1 - t0, replayMs: t2 - t1 }));
