/**
 * A full disk at every write of a burst (issue 10): the write half done, then ENOSPC. Whatever the
 * point, nothing acknowledged is lost, no ticket id is given twice, the state in memory after the
 * rebuild is exactly what a restart reads from the disk, and the queue goes on once there is room.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { Command } from '../../controller/core/commands.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { Journal } from '../../controller/journal/journal.ts';
import { silentLogger } from '../../controller/logger.ts';
import { QueueDiskFullError, QueueService } from '../../controller/queue/queue-service.ts';
import { MORNING, smallCentre } from '../helpers/centre.ts';

const roots: string[] = [];
afterEach(() => vi.restoreAllMocks());
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

async function open(dir: string, at: { now: number }) {
  const { service } = await QueueService.open({
    config: smallCentre(),
    journal: new Journal<QueueEvent>({ dir, logger: silentLogger }),
    bus: new EventBus(),
    logger: silentLogger,
    clock: () => at.now,
  });
  return service;
}

async function fileHandlePrototype(dir: string): Promise<FileHandle> {
  const handle = await fs.promises.open(path.join(dir, 'probe'), 'w');
  await handle.close();
  fs.rmSync(path.join(dir, 'probe'));
  return Object.getPrototypeOf(handle) as FileHandle;
}

const WORKLOAD: Command[][] = [
  [{ type: 'login', counterId: 'c1', staffId: 'ha' }],
  [{ type: 'login', counterId: 'c3', staffId: 'lan' }],
  ...Array.from({ length: 5 }, (): Command[][] => [
    ['dat-dai', 'ho-tich', 'tra-kq', 'dat-dai'].map((serviceId) => ({
      type: 'issueTicket',
      serviceId,
      source: 'kiosk',
    })),
    [{ type: 'callNext', counterId: 'c1' }],
    [{ type: 'finishService', counterId: 'c1' }],
    [{ type: 'rateVisit', counterId: 'c1', level: 4 }],
    [{ type: 'callNext', counterId: 'c3' }],
  ]).flat(),
];

describe('a full disk at every write (issue 10)', () => {
  it('loses nothing acknowledged, reissues no id, and rebuilds exactly what is on disk', async () => {
    let points = 0;
    for (let failAt = 1; ; failAt++) {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-full-'));
      roots.push(root);
      const at = { now: MORNING };
      const service = await open(root, at);
      const proto = await fileHandlePrototype(root);
      const write = proto.write;
      let writes = 0;
      let failed = false;
      vi.spyOn(proto, 'write').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
        const [buffer, offset, length] = args as [Buffer, number, number];
        if (++writes === failAt) {
          failed = true;
          await (write as (...a: unknown[]) => Promise<unknown>).call(
            this,
            buffer,
            offset,
            Math.floor(length / 2),
          );
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        }
        return (write as (...a: unknown[]) => Promise<unknown>).apply(this, args);
      } as typeof write);

      const acked = new Map<string, number>();
      let refused = 0;
      for (const step of WORKLOAD) {
        at.now += 1000;
        const outcomes = await Promise.allSettled(step.map((command) => service.submit(command)));
        for (const o of outcomes) {
          if (o.status === 'rejected') {
            expect(o.reason).toBeInstanceOf(QueueDiskFullError);
            refused++;
            continue;
          }
          for (const e of o.value.events)
            if (e.type === 'ticketIssued') acked.set(e.ticket.id, e.ticket.number);
        }
        if (service.diskFull) expect(await service.checkDisk()).toBe(true); // the space is back
      }
      vi.restoreAllMocks();
      if (!failed) break; // past the last write of the burst
      points++;
      expect(refused).toBeGreaterThan(0);

      const inMemory = structuredClone(service.state);
      await service.close();
      const restarted = await open(root, at);
      expect(Object.keys(restarted.state.tickets).sort()).toEqual(Object.keys(inMemory.tickets).sort());
      expect(restarted.state.seq).toBe(inMemory.seq);
      for (const [id, number] of acked) {
        expect(restarted.state.tickets[id]?.number, `write ${failAt}: ticket ${id}`).toBe(number);
      }
      const next = await restarted.submit({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' });
      expect(acked.has(next.ticket?.id ?? '')).toBe(false);
      await restarted.close();
    }
    console.log(`full disk at ${points} write points of the burst`);
    expect(points).toBeGreaterThan(20);
  }, 120_000);
});
