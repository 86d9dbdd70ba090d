/**
 * `npm run soak`, bounded for CI (issue 10): two simulated hours at 120× — every scheduled fault
 * (flapping devices, two SIGKILLs, a clock jump and its correction, a full data disk, a stalled
 * client) — and an audit that nothing acknowledged was lost. The manual run is a whole day at 10×.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'soak-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('soak run (bounded)', () => {
  it('loses nothing acknowledged through every scheduled fault, and says so', { timeout: 240_000 }, () => {
    const json = join(dir, 'audit.json');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'scripts/soak/soak.ts',
        '--speed',
        '120',
        '--minutes',
        '120',
        '--tickets',
        '120',
        '--json',
        json,
      ],
      { encoding: 'utf8', timeout: 230_000 },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('soak passed: nothing acknowledged was lost');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.runner.crashes).toBe(2);
    expect(result.audit.ticketsLost).toEqual([]);
    expect(result.audit.ticketsReissued).toEqual([]);
    expect(result.audit.inconsistent).toEqual([]);
    expect(result.acknowledged.tickets).toBeGreaterThan(50);
    expect(result.acknowledged.ratings).toBeGreaterThan(5);
    const outcome = (what: string) =>
      result.faults.find((f: { what: string }) => f.what.includes(what))?.outcome;
    expect(outcome('SIGKILLed (1)')).toMatch(/^restarted/);
    expect(outcome('SIGKILLed (2)')).toMatch(/^restarted/);
    expect(outcome('clock jumps')).toBe('queue clock jumped');
    expect(outcome('clock set back')).toMatch(/ok again/);
    // The disk fault needs a tmpfs (root): required in CI, reported elsewhere.
    if (process.env.CI === 'true')
      expect(outcome('disk fills')).toMatch(/diskFull; freed: recovered by itself/);
    expect(outcome('stops reading')).toMatch(/\d+ calls made meanwhile/);
  });
});
