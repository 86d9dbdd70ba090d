/**
 * The environment and node flags the controller process runs with, whoever starts it: `npm start`
 * (scripts/start.mjs), the systemd unit (deploy/hall-controller.service, which repeats them;
 * tests/deploy/systemd-unit.test.ts keeps the two equal) and the benchmarks' runner. A variable the
 * caller set already wins.
 *
 * MALLOC_MMAP_THRESHOLD_ (glibc): every device connection checks its secret with scrypt, which
 * allocates 16 MiB on one of libuv's four pool threads. glibc raises its mmap threshold to the size
 * of the first such block freed, so the later ones come from the threads' malloc arenas and stay
 * resident once freed: ~70 MB of a controller with 1,000 devices (bench/memory.ts). A fixed
 * threshold (1 MiB) keeps blocks that big in mmap, given back to the system when freed. Other C
 * libraries ignore it.
 */
export const CONTROLLER_ENV = Object.freeze({
  MALLOC_MMAP_THRESHOLD_: '1048576',
});

/**
 * V8 flags on node's command line (one is not allowed in NODE_OPTIONS), before the script. With
 * V8's defaults the heap of a controller with 1,000 devices and device traffic grew to 118–152 MB
 * committed for 42 MB live (bench/memory.ts): old space may grow to ~4× what lived after the last
 * full collection, and the young generation stays at 2 × 16 MB once grown. A growth of 1.5× and
 * 8 MB semi-spaces kept it at ~85 MB (resident 145 MB instead of 180–214 MB), with fewer
 * milliseconds of pauses and more background marking (CPU of the traffic: ~10 s instead of ~6 s
 * for 20 s). --optimize-for-size reached 114 MB but paused the main thread 13–28 s while 1,000
 * devices connected (4–6 s by default); --max-semi-space-size alone promotes more and grew the old
 * space further (215–234 MB).
 */
export const CONTROLLER_NODE_FLAGS = Object.freeze(['--max-semi-space-size=8', '--heap-growing-percent=50']);

/** `env` with the controller's settings added where it has none of its own. */
export function controllerEnv(env = process.env) {
  return { ...CONTROLLER_ENV, ...env };
}
