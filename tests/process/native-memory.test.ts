/**
 * Native memory the controller gives back (issue 14's budget). Every device connection checks its
 * secret with scrypt: 16 MiB allocated on one of libuv's pool threads and freed. With glibc's
 * default (a threshold that rises to the size of the first big block freed) the later blocks come
 * from the threads' malloc arenas and stay resident: ~70 MB of a controller with 1,000 devices
 * (bench/memory.ts). The controller's environment (scripts/process-env.mjs, given by npm start, the
 * systemd unit and the benchmarks) keeps such blocks in mmap, returned when freed.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEVICE_SECRET_PARAMS } from '../../controller/security/secret-hash.ts';
import { CONTROLLER_ENV, CONTROLLER_NODE_FLAGS, controllerEnv } from '../../scripts/process-env.mjs';

const glibc = Boolean(
  (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header
    ?.glibcVersionRuntime,
);

/** Resident MB a fresh node process keeps after 48 device-secret checks, 8 at a time (as connections come). */
function retainedAfterScrypt(env: NodeJS.ProcessEnv): number {
  const { N, r, p } = DEVICE_SECRET_PARAMS;
  const script = `
    const { scrypt } = await import('node:crypto');
    const check = (i) => new Promise((ok, fail) =>
      scrypt('secret' + i, 'salt', 32, { N: ${N}, r: ${r}, p: ${p}, maxmem: 64 << 20 }, (e, k) => (e ? fail(e) : ok(k))));
    const rss = () => process.memoryUsage().rss;
    await check(-1); // the first block (glibc sets its threshold from it)
    const before = rss();
    for (let i = 0; i < 48; i += 8) await Promise.all(Array.from({ length: 8 }, (_, j) => check(i + j)));
    console.log(JSON.stringify((rss() - before) / 1048576));
  `;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return Number(run.stdout.trim());
}

describe.runIf(glibc)('the controller process’s environment (glibc)', () => {
  it('gives back the memory of the scrypt checks of device connections', () => {
    const retained = retainedAfterScrypt(controllerEnv({ PATH: process.env.PATH }));
    expect(retained).toBeLessThan(16);
  }, 60_000);

  it('leaves a setting the caller made', () => {
    expect(controllerEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(controllerEnv({}).MALLOC_MMAP_THRESHOLD_).toBe(CONTROLLER_ENV.MALLOC_MMAP_THRESHOLD_);
  });
});

/** The most the V8 heap committed (MB) in a process holding ~40 MB and making medium-lived garbage for 3 s. */
function heapCommittedUnderChurn(flags: readonly string[]): number {
  const script = `
    const live = Array.from({ length: 400000 }, (_, i) => ({ id: 't' + i, n: i, at: [i, i + 1] }));
    const ring = new Array(50000);
    let max = 0;
    const t0 = Date.now();
    for (let i = 0; Date.now() - t0 < 3000; i++) {
      ring[i % ring.length] = { id: 'x' + i, list: [i, i, i], text: 'a'.repeat(20) + i };
      if (i % 10000 === 0) max = Math.max(max, process.memoryUsage().heapTotal);
    }
    console.log(JSON.stringify({ kept: live.length, max: max / 1048576 }));
  `;
  const run = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return (JSON.parse(run.stdout) as { max: number }).max;
}

describe('the controller’s V8 flags (scripts/process-env.mjs)', () => {
  it('keep the heap near what it holds while garbage is made (V8 alone lets it grow to ~4×)', () => {
    // ~40 MB live; with V8’s defaults the heap reached 350–380 MB here, with the flags 136–156 MB (bench/memory.ts
    // has the controller's own figures).
    expect(heapCommittedUnderChurn(CONTROLLER_NODE_FLAGS)).toBeLessThan(220);
  }, 60_000);
});
