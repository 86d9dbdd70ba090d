#!/usr/bin/env node
/**
 * Builds the screens (Vite → display/dist) only when their sources changed since the last build,
 * so `npm start` after a power cut does not wait for a front-end build, and a failed build never
 * keeps the queue from starting: the controller then says the screens are missing.
 *   node display/build-if-stale.mjs           build when stale (npm start's prestart)
 *   node display/build-if-stale.mjs --force   build now, and fail loudly on an error (npm run build)
 * "Stale" is decided by content, not time: a hash of every source file, of the lock file (the
 * dependencies) and of the Vite config, compared with the one saved beside the last build.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const displayDir = fileURLToPath(new URL('.', import.meta.url));
const rootDir = join(displayDir, '..');
const distDir = join(displayDir, 'dist');
const STAMP = join(distDir, '.sources-hash');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** The hash of everything the built screens are made from. */
export function sourcesHash() {
  const inputs = [
    ...filesUnder(join(displayDir, 'src')),
    ...readdirSync(displayDir)
      .filter((name) => name.endsWith('.html') || name === 'vite.config.ts' || name === 'tsconfig.json')
      .map((name) => join(displayDir, name)),
    join(rootDir, 'package-lock.json'),
  ]
    .filter((file) => existsSync(file) && statSync(file).isFile())
    .sort();
  const hash = createHash('sha256');
  for (const file of inputs)
    hash.update(relative(rootDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

/** Whether the screens must be built: never built, or built from other sources. */
export function isStale(hash = sourcesHash()) {
  return !existsSync(STAMP) || readFileSync(STAMP, 'utf8').trim() !== hash;
}

/** Builds the screens when stale (or always with `force`); returns the exit status to use. */
export function buildScreens(force) {
  const hash = sourcesHash();
  if (!force && !isStale(hash)) {
    console.log('screens: up to date (display/dist)');
    return 0;
  }
  console.log('screens: building (display/dist)…');
  const vite = join(rootDir, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(displayDir, 'vite.config.ts')],
    {
      cwd: rootDir,
      stdio: 'inherit',
    },
  );
  if (result.status === 0) {
    writeFileSync(STAMP, `${hash}\n`);
    return 0;
  }
  const why = result.error ? result.error.message : `vite exited with ${result.status ?? result.signal}`;
  if (force) {
    console.error(`screens: the build failed (${why})`);
    return 1;
  }
  // The queue matters more than the screens: start anyway, and say what to do.
  console.error(
    `screens: the build failed (${why}); the controller starts without them (screens answer 503). Run "npm run build" to see why.`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`)
  process.exit(buildScreens(process.argv.includes('--force')));
