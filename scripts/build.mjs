#!/usr/bin/env node
/**
 * The release build: the screens (Vite → display/dist) and the controller compiled to JavaScript
 * (tsc → build/), with the files it reads at run time beside it, so production runs plain
 * `node build/controller/main.js` with no TypeScript loader and no front-end build.
 *   node scripts/build.mjs           build what is stale (npm start does this first)
 *   node scripts/build.mjs --force   build everything now, failing loudly (npm run build)
 * Stale means the sources' content changed since the last build (a hash saved in build/).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildScreens } from '../display/build-if-stale.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'build');
const STAMP = join(out, '.sources-hash');
const SOURCES = ['controller', 'devices', 'upstream', 'firmware-sim', 'simulation'];
/** Files read at run time by path (relative to the compiled module), copied beside the JavaScript. */
const ASSETS = ['config', 'upstream/receiver/migrations', 'upstream/protocol/schemas', 'display/dist'];

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => filesUnder(join(dir, e.name)));
}

function sourcesHash() {
  const files = [
    ...SOURCES.flatMap((d) => filesUnder(join(root, d))),
    ...['tsconfig.json', 'tsconfig.build.json', 'package-lock.json', 'config'].flatMap((f) =>
      filesUnder(join(root, f)),
    ),
  ].sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(relative(root, f)).update('\0').update(readFileSync(f)).update('\0');
  return hash.digest('hex');
}

function buildController(force) {
  const hash = sourcesHash();
  if (!force && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash) {
    console.log('controller: up to date (build/)');
    return true;
  }
  console.log('controller: compiling to build/…');
  rmSync(out, { recursive: true, force: true });
  const tsc = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')],
    { cwd: root, stdio: 'inherit' },
  );
  // tsc still writes JavaScript when it finds type errors; `npm test` is where those fail.
  if (!existsSync(join(out, 'controller', 'main.js'))) {
    console.error(`controller: the compilation failed (tsc exited with ${tsc.status ?? tsc.signal})`);
    return false;
  }
  copyAssets();
  writeFileSync(STAMP, `${hash}\n`);
  return true;
}

function copyAssets() {
  for (const asset of ASSETS) {
    const from = join(root, asset);
    if (!existsSync(from)) continue;
    mkdirSync(join(out, asset, '..'), { recursive: true });
    cpSync(from, join(out, asset), { recursive: true });
  }
}

/** Builds what is stale; true when build/controller/main.js can be started. */
export function build(force = false) {
  const screens = buildScreens(force);
  const controller = buildController(force);
  // The screens may have been rebuilt after the controller: keep the copy beside it current.
  if (controller && existsSync(join(root, 'display', 'dist'))) {
    rmSync(join(out, 'display', 'dist'), { recursive: true, force: true });
    mkdirSync(join(out, 'display'), { recursive: true });
    cpSync(join(root, 'display', 'dist'), join(out, 'display', 'dist'), { recursive: true });
  }
  return { ok: controller && (screens === 0 || !force), controller };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const force = process.argv.includes('--force');
  process.exit(build(force).ok ? 0 : 1);
}
