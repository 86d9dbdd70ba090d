/**
 * `npm start` (scripts/start.mjs) builds only what changed — the screens and the controller
 * compiled to JavaScript — a failed screens build does not keep the queue from starting, and the
 * controller then runs as plain JavaScript, with no TypeScript loader.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/controller-process.ts';
import { eventually } from '../helpers/device-centre.ts';

const script = (root: string, ...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'display', 'build-if-stale.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
  });

describe('building the screens at start', () => {
  it('skips the build when nothing changed since the last one', () => {
    const root = process.cwd();
    expect(script(root).status).toBe(0); // builds if this checkout has never been built
    const before = statSync('display/dist/index.html').mtimeMs;
    const again = script(root);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('screens: up to date');
    expect(statSync('display/dist/index.html').mtimeMs).toBe(before);
  }, 120_000);

  it('starts anyway when the build fails, saying what to do; npm run build fails loudly', () => {
    const root = mkdtempSync(join(tmpdir(), 'hall-screens-'));
    try {
      cpSync('display', join(root, 'display'), { recursive: true, filter: (src) => !src.includes('dist') });
      cpSync('package-lock.json', join(root, 'package-lock.json'));
      symlinkSync(join(process.cwd(), 'node_modules'), join(root, 'node_modules'));
      writeFileSync(join(root, 'display', 'src', 'shared', 'format.ts'), 'export const broken = ;\n');
      const start = script(root);
      expect(start.status).toBe(0);
      expect(start.stderr).toMatch(/the build failed .*the controller starts without them.*npm run build/);
      const forced = script(root, '--force');
      expect(forced.status).toBe(1);
      expect(forced.stderr).toContain('screens: the build failed');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('npm start', () => {
  it('runs the compiled controller with plain node, and stops cleanly on SIGTERM', async () => {
    const data = tempDataDir('hall-start-');
    const start = spawn(process.execPath, ['scripts/start.mjs'], {
      env: { ...process.env, DATA_DIR: data.dir, HTTP_PORT: '0', MQTT_PORT: '0', BIND_HOST: '127.0.0.1' },
    });
    let out = '';
    start.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    start.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const port = await eventually(
        () => /Screens +http:\/\/[^:]+:(\d+)\//.exec(out)?.[1],
        60_000,
        `the banner: ${out}`,
      );
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const children = execFileSync('ps', ['-o', 'args=', '--ppid', String(start.pid)], { encoding: 'utf8' });
      expect(children).toMatch(/build\/controller\/main\.js/);
      expect(children).not.toMatch(/tsx/);
      expect(out).not.toContain('TypeScript sources');
      const exited = new Promise<number | null>((resolve) => start.on('exit', (code) => resolve(code)));
      start.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      start.kill('SIGKILL');
      data.remove();
    }
  }, 120_000);

  it('stops the controller when npm itself is sent SIGTERM (npm and its shell do not pass it on)', async () => {
    const data = tempDataDir('hall-start-npm-');
    const npm = spawn('npm', ['start', '--silent'], {
      env: { ...process.env, DATA_DIR: data.dir, HTTP_PORT: '0', MQTT_PORT: '0', BIND_HOST: '127.0.0.1' },
    });
    let out = '';
    npm.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      await eventually(() => /Screens +http:\/\/[^:]+:(\d+)\//.exec(out)?.[1], 60_000, `the banner: ${out}`);
      const pid = Number(readFileSync(join(data.dir, 'controller.pid'), 'utf8').split(' ')[0]);
      expect(pid).toBeGreaterThan(0);
      npm.kill('SIGTERM'); // as a supervisor or a container runtime stops `npm start`
      await eventually(
        () => {
          try {
            process.kill(pid, 0);
            return undefined;
          } catch {
            return true; // gone
          }
        },
        20_000,
        `controller ${pid} still running after npm got SIGTERM`,
      );
    } finally {
      npm.kill('SIGKILL');
      data.remove();
    }
  }, 120_000);
});
