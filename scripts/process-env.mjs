/**
 * The environment the controller process runs with, whoever starts it: `npm start`
 * (scripts/start.mjs), the systemd unit (deploy/hall-controller.service, which repeats these lines;
 * tests/deploy/systemd-unit.test.ts keeps the two equal) and the benchmarks' runner. A value the
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

/** `env` with the controller's settings added where it has none of its own. */
export function controllerEnv(env = process.env) {
  return { ...CONTROLLER_ENV, ...env };
}
