#!/usr/bin/env node
/**
 * `npm start`: builds what is stale (scripts/build.mjs), then runs the compiled controller with
 * plain node. If the controller cannot be compiled, it still starts from the TypeScript sources
 * (through tsx), saying so: the queue matters more than how it is run.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';
import { CONTROLLER_NODE_FLAGS, controllerEnv } from './process-env.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { controller } = build(false);
const args = process.argv.slice(2);
const command = controller
  ? [...CONTROLLER_NODE_FLAGS, join(root, 'build', 'controller', 'main.js'), ...args]
  : [...CONTROLLER_NODE_FLAGS, '--import', 'tsx', join(root, 'controller', 'main.ts'), ...args];
if (!controller)
  console.error('start: running from the TypeScript sources (tsx) as the compiled build is missing');
const child = spawn(process.execPath, command, {
  stdio: 'inherit',
  cwd: process.cwd(),
  env: controllerEnv(),
});
// The controller owns shutdown: pass the signals on and leave with its status.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// Under `npm start` this runs below npm and a shell: a SIGTERM to npm (a supervisor, a container
// runtime) ends both without passing it on, and the controller would run on, orphaned. Losing
// the parent is taken as that SIGTERM.
// (Only under npm: `node scripts/start.mjs &` left behind by a closing shell keeps running.)
if (process.env.npm_lifecycle_event === 'start') {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) child.kill('SIGTERM');
  }, 500).unref();
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
