import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../controller/accounts/audit-log.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-audit-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (n: number) => ({
  at: new Date(0).toISOString(),
  by: 'quanly',
  action: `POST /api/x/${n}`,
  status: 200,
});

describe('the audit log on a full disk, and over years (issue 10)', () => {
  it('recovers once there is room again: one failed append does not refuse every later one', async () => {
    const log = new AuditLog(dir);
    await log.append(entry(1));
    const fsp = await import('node:fs/promises');
    const probe = await fsp.open(path.join(dir, 'audit.jsonl'), 'r');
    const handleProto = Object.getPrototypeOf(probe);
    await probe.close();
    vi.spyOn(handleProto, 'datasync').mockRejectedValueOnce(
      Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' }),
    );
    await expect(log.append(entry(2))).rejects.toThrow(/ENOSPC/);
    await log.append(entry(3));
    expect((await log.latest()).map((e) => e.action)).toContain('POST /api/x/3');
  });

  it('rotates past its size limit and keeps only the newest rotated files', async () => {
    const log = new AuditLog(dir, { maxBytes: 1000, keepFiles: 2 });
    for (let n = 0; n < 40; n++) await log.append(entry(n));
    const files = fs.readdirSync(dir).sort();
    expect(files.filter((f) => f.startsWith('audit-') && f.endsWith('.jsonl'))).toHaveLength(2);
    expect(fs.statSync(path.join(dir, 'audit.jsonl')).size).toBeLessThanOrEqual(1000);
    const latest = await log.latest(5);
    expect(latest.map((e) => e.action)).toEqual([39, 38, 37, 36, 35].map((n) => `POST /api/x/${n}`));
  });
});
