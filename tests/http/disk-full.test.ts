import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../controller/journal/journal.ts';
import { formatRecord } from '../../controller/journal/segment-reader.ts';
import { roomToResume } from '../../controller/queue/queue-service.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson } from '../helpers/controller-process.ts';

async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(import.meta.filename, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

/** Every write to a journal segment writes part of its bytes, then fails as a full disk does. */
async function fillTheDisk(): Promise<void> {
  const proto = await fileHandlePrototype();
  const write = proto.write;
  vi.spyOn(proto, 'write').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
    const [buffer, offset, length] = args as [Buffer, number, number];
    if (Buffer.isBuffer(buffer) && typeof length === 'number' && length > 8) {
      await (write as (...a: unknown[]) => Promise<unknown>).call(
        this,
        buffer,
        offset,
        Math.floor(length / 2),
      );
    }
    throw enospc();
  } as typeof write);
}

let ctx: InProcess | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await ctx?.stop();
  ctx = undefined;
});

/** A controller whose journal holds today's day start and no snapshot: its start replays one event. */
function startWithOneEventToReplay(): Promise<InProcess> {
  const at = Date.now();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(at);
  return startInProcess(undefined, {}, async (dir) => {
    mkdirSync(join(dir, 'journal'), { recursive: true });
    const started = { type: 'dayStarted', day, expiredTicketIds: [], carriedTicketIds: [], lastNumber: {} };
    writeFileSync(
      join(dir, 'journal', 'journal-000000000001.jsonl'),
      formatRecord({ ...started, by: 'system', seq: 1, at }),
    );
  });
}

describe('a full disk (issue 10)', () => {
  it('refuses new tickets in Vietnamese and English, never stops the controller, and resumes by itself', async () => {
    ctx = await startInProcess();
    const url = ctx.url;
    let fatal: Error | null = null;
    ctx.controller.bus.onFatal({}, (error) => {
      fatal = error;
    });
    const first = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(first.status).toBe(201);

    await fillTheDisk();
    const refused = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(refused.status).toBe(503);
    expect(refused.json.error.code).toBe('unavailable');
    expect(refused.json.error.message).toMatch(/Ổ đĩa .* đầy/);
    expect(refused.json.error.message).toMatch(/disk is full/);
    // Still refused while full, without touching the disk.
    expect((await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' })).status).toBe(503);
    expect(fatal).toBeNull();
    const health = await getJson(`${url}/healthz`);
    expect(health).toMatchObject({ status: 503, json: { status: 'diskFull' } });
    // What is shown is what is on disk: the refused ticket is not in the queue.
    const queue = await getJson(`${url}/api/queue`);
    expect(JSON.stringify(queue.json)).toContain(first.json.ticket.id);
    expect(JSON.stringify(queue.json)).not.toContain('thue:2');

    vi.restoreAllMocks(); // space is back
    expect(await ctx.controller.queue.checkDisk()).toBe(true);
    const after = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(after.status).toBe(201);
    expect(after.json.ticket.label).toBe('5002');
    expect((await getJson(`${url}/healthz`)).status).toBe(200);
    expect(fatal).toBeNull();
  });

  it('starts with next to no free space: no snapshot after the replay', async () => {
    vi.spyOn(Journal.prototype, 'freeBytes').mockResolvedValue(64 * 1024);
    ctx = await startWithOneEventToReplay();
    expect(ctx.controller.queue.state.seq).toBe(1);
    await ctx.controller.queue.snapshotAfterStart();
    expect(existsSync(join(ctx.dataDir, 'journal', 'snapshot.json'))).toBe(false);
    vi.restoreAllMocks();
  });

  it('with room, writes the snapshot after the replay once ready (the next start replays nothing)', async () => {
    ctx = await startWithOneEventToReplay();
    await ctx.controller.queue.snapshotAfterStart();
    const snapshot = JSON.parse(readFileSync(join(ctx.dataDir, 'journal', 'snapshot.json'), 'utf8'));
    expect(snapshot.snapshot.seq).toBe(1);
  });

  it('warns well before the disk is full: a dashboard alert and /healthz below alerts.minFreeDiskMb', async () => {
    vi.spyOn(Journal.prototype, 'freeBytes').mockResolvedValue(120 * 1024 * 1024);
    ctx = await startInProcess();
    const dashboard = await getJson(`${ctx.url}/api/dashboard`);
    const alert = dashboard.json.alerts.find((a: { kind: string }) => a.kind === 'diskLow');
    expect(alert).toMatchObject({
      severity: 'warning',
      messageEn: 'The data disk is nearly full: 120 MB free',
    });
    const health = await getJson(`${ctx.url}/healthz`);
    expect(health).toMatchObject({
      status: 200,
      json: { disk: { low: true, freeBytes: 120 * 1024 * 1024 } },
    });
  });

  it('removes stale temp files at start', async () => {
    ctx = await startInProcess(undefined, {}, async (dir) => {
      mkdirSync(join(dir, 'journal'), { recursive: true });
      writeFileSync(join(dir, 'journal', 'snapshot.json.tmp'), 'x'.repeat(4096));
      writeFileSync(join(dir, 'device-secrets.json.tmp'), '{');
    });
    expect(existsSync(join(ctx.dataDir, 'journal', 'snapshot.json.tmp'))).toBe(false);
    expect(existsSync(join(ctx.dataDir, 'device-secrets.json.tmp'))).toBe(false);
  });
});

describe('room to resume after a full disk', () => {
  it('is 4 MiB, or a quarter of a small file system, so a 2 MiB data disk recovers by itself', () => {
    expect(roomToResume(500 * 1024 ** 3)).toBe(4 * 1024 * 1024);
    expect(roomToResume(2 * 1024 * 1024)).toBe(512 * 1024);
    expect(roomToResume(0)).toBe(4 * 1024 * 1024); // size unknown: the safe bound
  });
});
