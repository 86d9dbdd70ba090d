/**
 * What an idle controller loads (issue 14's memory budget): the big libraries that only some
 * centres or some requests need are loaded on first use, not at start — ExcelJS (~30 MB resident,
 * the .xlsx report download) and mqtt.js (~20 MB, the province link when UPSTREAM_URL is set); and,
 * for the start's time (issue 14: ready ≤ 1 s), what drives serial devices none of which is installed.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER } from '../../controller/accounts/demo-accounts.ts';
import { signIn, startController, tempDataDir } from '../helpers/controller-process.ts';

const HOOK = resolve(import.meta.dirname, 'fixtures/trace-packages.mjs');

describe('an idle controller loads only what it uses', () => {
  const data = tempDataDir('hall-idle-');
  afterAll(() => data.remove());

  it('leaves ExcelJS and mqtt.js unloaded until a report is downloaded or the province link is set', async () => {
    const trace = join(data.dir, 'packages.txt');
    const ctl = await startController(data.dir, [], {
      NODE_OPTIONS: `--import ${HOOK}`,
      TRACE_PACKAGES: trace,
    });
    const loaded = () => new Set(readFileSync(trace, 'utf8').split('\n'));
    try {
      // The tracer sees what starting needs (so the test can fail)…
      expect(loaded()).toContain('aedes');
      expect(loaded()).toContain('express');
      // …but not these.
      expect(loaded()).not.toContain('exceljs');
      expect(loaded()).not.toContain('mqtt');
      // The ESC/POS printer's Vietnamese encoding: only with a serial printer installed (the demo
      // centre declares serial devices, none installed).
      expect(loaded()).not.toContain('iconv-lite');

      // Loaded once a manager downloads a workbook, and the workbook is whole.
      const cookie = await signIn(ctl.url, {
        username: DEMO_MANAGER.username,
        password: DEMO_MANAGER.password,
      });
      const day = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
      const res = await fetch(`${ctl.url}/api/reports/daily?day=${day}&format=xlsx`, { headers: { cookie } });
      expect(res.status).toBe(200);
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe('PK');
      expect(loaded()).toContain('exceljs');
    } finally {
      ctl.child.kill('SIGTERM');
      await ctl.exited;
    }
  }, 60_000);
});
