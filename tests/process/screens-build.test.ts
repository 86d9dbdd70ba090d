/**
 * `npm start` builds the screens only when their sources changed, and a failed build does not keep
 * the queue from starting (display/build-if-stale.mjs, the prestart script).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

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
