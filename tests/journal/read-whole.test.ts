import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readWholeFile } from '../../controller/journal/read-whole.ts';

describe('readWholeFile: a file in one read of its size (issue 14)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-read-whole-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads what readFile reads: an empty file, a few bytes, megabytes', async () => {
    for (const size of [0, 1, 7, 65_537, 3_000_001]) {
      const file = path.join(dir, `f${size}`);
      const bytes = randomBytes(size);
      fs.writeFileSync(file, bytes);
      expect((await readWholeFile(file)).equals(bytes), `size ${size}`).toBe(true);
    }
  });

  it('reads to the end of a file longer than its size said (here a /proc file, size 0)', async () => {
    const file = '/proc/self/status';
    if (!fs.existsSync(file)) return; // Linux only
    expect(fs.statSync(file).size).toBe(0);
    const text = (await readWholeFile(file)).toString('utf8');
    expect(text).toMatch(/^Name:/);
    expect(text).toContain('\nPid:');
  });

  it('fails as readFile does on a missing file', async () => {
    await expect(readWholeFile(path.join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
