/**
 * A very big day gets snapshots as it goes (issue 14: ready ≤ 1 s after a power cut even on a
 * 50,000-ticket day): every `snapshotEveryEvents` events, not only at day starts, so a start replays
 * at most that many; and the state a start rebuilds from them is the same.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { QueueEvent } from '../../controller/core/events.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { Journal } from '../../controller/journal/journal.ts';
import { silentLogger } from '../../controller/logger.ts';
import { QueueService } from '../../controller/queue/queue-service.ts';
import { MORNING, smallCentre } from '../helpers/centre.ts';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function open(dir: string, at: { now: number }) {
  return QueueService.open({
    config: smallCentre(),
    journal: new Journal<QueueEvent>({ dir, logger: silentLogger }),
    bus: new EventBus(),
    logger: silentLogger,
    clock: () => at.now,
    snapshotEveryEvents: 50,
  });
}

describe('snapshots within a day', () => {
  it('writes one every 50 events, so a start after a power cut replays fewer than 50', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-snapshot-day-'));
    roots.push(dir);
    const at = { now: MORNING };
    const { service } = await open(dir, at);
    await service.submit({ type: 'login', counterId: 'c1', staffId: 'ha' });
    for (let i = 0; i < 120; i++) {
      at.now += 1_000;
      await service.submit({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' });
      if (i % 3 === 2) await service.submit({ type: 'callNext', counterId: 'c1' });
    }
    const state = structuredClone(service.state);
    expect(state.seq).toBeGreaterThan(150);
    // No close (it would leave a snapshot of its own): what a power cut leaves.
    const snapshot = JSON.parse(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8'));
    expect(state.seq - snapshot.snapshot.seq).toBeLessThan(50);
    expect(fs.readdirSync(path.join(dir, 'history')).length).toBeGreaterThanOrEqual(3);

    const again = await open(dir, at);
    expect(again.replayed).toBeLessThan(50);
    expect(again.service.state.seq).toBe(state.seq);
    expect(Object.keys(again.service.state.tickets).sort()).toEqual(Object.keys(state.tickets).sort());
    await again.service.close();
  });
});
