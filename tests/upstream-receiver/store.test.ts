/**
 * The receiver's storage, the same suite on embedded PostgreSQL (PGlite) and on a real PostgreSQL
 * server: migrations, idempotency, order, revisions, live state and the day's ranking (figures
 * worked out by hand below, not by the code under test).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upstreamTopic } from '../../upstream/protocol/topics.ts';
import { type Db, openDatabase } from '../../upstream/receiver/db.ts';
import { ingest } from '../../upstream/receiver/ingest.ts';
import { migrate, readMigrations } from '../../upstream/receiver/migrate.ts';
import { ReceiverStore } from '../../upstream/receiver/store.ts';
import { hasPostgres, type PostgresServer, startPostgres } from '../helpers/postgres.ts';
import {
  bytes,
  daily,
  live,
  MIGRATION_VERSIONS,
  noShow,
  PREFIX,
  PROVINCE,
  status,
  unhappyVisit,
  visit,
} from './fixtures.ts';

const DAY = '2026-12-05';
const YESTERDAY = '2026-12-04';
const NOW = Date.parse(`${DAY}T04:00:00Z`);
const meta = (kind: 'visit' | 'live' | 'status' | 'daily', centre: string, now = NOW, retained = false) => ({
  topic: upstreamTopic(PREFIX, PROVINCE, centre, kind, kind === 'daily' ? DAY : undefined),
  retained,
  now,
});

const engines: Array<[string, () => Promise<{ db: Db; done: () => Promise<void> }>]> = [
  [
    'PGlite',
    async () => {
      const db = await openDatabase({ memory: true });
      return { db, done: () => db.close() };
    },
  ],
];
if (hasPostgres()) {
  engines.push([
    'PostgreSQL',
    async () => {
      const server: PostgresServer = await startPostgres();
      const db = await openDatabase({ url: server.url });
      return {
        db,
        done: async () => {
          await db.close();
          await server.stop();
        },
      };
    },
  ]);
}

describe.each(engines)('receiver store on %s', (_name, open) => {
  let db: Db;
  let done: () => Promise<void>;
  let store: ReceiverStore;

  beforeAll(async () => {
    ({ db, done } = await open());
    store = new ReceiverStore(db);
  });
  afterAll(() => done?.());

  it('applies the migrations once, in order, and records them', async () => {
    expect(await migrate(db)).toEqual(readMigrations().map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    // Receivers starting together take turns.
    expect(await Promise.all([migrate(db), migrate(db)])).toEqual([[], []]);
    const rows = await db.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((r) => r.version)).toEqual(MIGRATION_VERSIONS);
  });

  it('stores a visit record once however often it comes, and orders by the record’s seq', async () => {
    const records = [5, 2, 4, 1, 3].map((seq) => visit('tt-order', seq, DAY));
    const outcomes = [];
    for (const r of [...records, visit('tt-order', 5, DAY), visit('tt-order', 1, DAY)]) {
      outcomes.push(await store.save(r, bytes(r), meta('visit', 'tt-order')));
    }
    expect(outcomes).toEqual(['stored', 'stored', 'stored', 'stored', 'stored', 'duplicate', 'duplicate']);
    const stored = await store.visits('tt-order', DAY);
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[2]).toEqual(visit('tt-order', 3, DAY));
    expect(await store.visits('tt-order', DAY, 2, 2)).toEqual([
      visit('tt-order', 3, DAY),
      visit('tt-order', 4, DAY),
    ]);
  });

  it('keeps a second, different record under a stored id as a dead letter', async () => {
    const first = visit('tt-conflict', 1, DAY);
    const other = { ...first, waitSeconds: 999 };
    expect(await store.save(first, bytes(first), meta('visit', 'tt-conflict'))).toBe('stored');
    expect(await store.save(other, bytes(other), meta('visit', 'tt-conflict'))).toBe('dead-letter');
    expect((await store.visits('tt-conflict', DAY))[0]?.waitSeconds).toBe(300);
    const dead = await store.deadLetters();
    expect(dead[0]).toMatchObject({
      reason: `visit ${first.id} already stored with other content`,
      payload: JSON.stringify(other),
    });
  });

  it('keeps the same dead letter once, counting how often it came', async () => {
    const payload = Buffer.from([0xff, 0x00, 0x41]);
    await store.deadLetter('qms-province/v1/quang-nam/tt-x/visit', 'not UTF-8 JSON', payload, NOW);
    await store.deadLetter('qms-province/v1/quang-nam/tt-x/visit', 'not UTF-8 JSON', payload, NOW + 1000);
    const rows = await db.query<{ times: number; payload: Uint8Array }>(
      "SELECT times, payload FROM dead_letters WHERE topic LIKE '%tt-x%'",
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.times).toBe(2);
    expect(Buffer.from(rows[0]?.payload ?? [])).toEqual(payload);
  });

  it('parks a message the database refuses instead of retrying it forever', async () => {
    const r = visit('tt-nul', 1, DAY, { serviceId: 'dat\u0000dai' });
    const ctx = { store, topicPrefix: PREFIX, provinceId: PROVINCE };
    const result = await ingest(
      ctx,
      upstreamTopic(PREFIX, PROVINCE, 'tt-nul', 'visit'),
      bytes(r),
      false,
      NOW,
    );
    expect(result).toMatchObject({
      outcome: 'dead-letter',
      reason: expect.stringMatching(/^refused by the database: /),
    });
    expect(await store.visits('tt-nul', DAY)).toEqual([]);
    const next = visit('tt-nul', 2, DAY);
    expect(
      await ingest(ctx, upstreamTopic(PREFIX, PROVINCE, 'tt-nul', 'visit'), bytes(next), false, NOW),
    ).toEqual({
      outcome: 'stored',
      id: next.id,
    });
  });

  it('keeps the highest daily-summary revision when an older one arrives late', async () => {
    const r2 = daily('tt-rev', YESTERDAY, 2, { visits: 10, served: 10, within: 9, over: 1, notSatisfied: 0 });
    const r1 = daily('tt-rev', YESTERDAY, 1, { visits: 10, served: 10, within: 1, over: 9, notSatisfied: 5 });
    expect(await store.save(r2, bytes(r2), meta('daily', 'tt-rev'))).toBe('stored');
    expect(await store.save(r1, bytes(r1), meta('daily', 'tt-rev'))).toBe('older');
    expect(await store.save(r2, bytes(r2), meta('daily', 'tt-rev'))).toBe('duplicate');
    expect(await store.dailySummary('tt-rev', YESTERDAY)).toEqual(r2);
    const closed = (await store.ranking(YESTERDAY, true)).find((r) => r.centreId === 'tt-rev');
    expect(closed).toMatchObject({
      source: 'summary',
      revision: 2,
      withinTargetShare: 0.9,
      rate766: 1,
      waitCounted: 10,
    });
  });

  it('tells online, offline and signal lost apart, and keeps the newest live snapshot', async () => {
    await store.save(status('tt-live', 'online', NOW - 3_600_000), bytes({}), meta('status', 'tt-live'));
    const newer = live('tt-live', NOW - 1_000, DAY);
    const older = live('tt-live', NOW - 60_000, DAY, { withinTarget: { met: 1, missed: 1, share: 0.5 } });
    expect(await store.save(newer, bytes(newer), meta('live', 'tt-live'))).toBe('stored');
    expect(await store.save(older, bytes(older), meta('live', 'tt-live'))).toBe('older');
    const find = async (now: number) => (await store.centres(now)).find((c) => c.id === 'tt-live');
    expect(await find(NOW + 10_000)).toMatchObject({
      state: 'online',
      live: {
        waiting: 6,
        longestWaitSeconds: 1080,
        withinTargetShare: 0.9,
        rate766: 39 / 40,
        backlogRecords: 0,
      },
    });
    expect((await find(NOW + 91_000))?.state).toBe('lost');
    expect(await store.liveSnapshot('tt-live')).toEqual(newer);
    // A retained snapshot delivered on subscribe is only as fresh as its own time.
    const retained = live('tt-retained', NOW - 300_000, DAY);
    await store.save(retained, bytes(retained), meta('live', 'tt-retained', NOW, true));
    expect((await store.centres(NOW)).find((c) => c.id === 'tt-retained')?.state).toBe('lost');
    // One queued at the broker while the receiver was away (10 min old): no sign of life either; one
    // from a centre whose clock is 3 minutes behind: fresh.
    const queued = live('tt-queued', NOW - 600_000, DAY);
    await store.save(queued, bytes(queued), meta('live', 'tt-queued'));
    const skewed = live('tt-skewed', NOW - 180_000, DAY);
    await store.save(skewed, bytes(skewed), meta('live', 'tt-skewed'));
    const states = Object.fromEntries((await store.centres(NOW + 60_000)).map((c) => [c.id, c.state]));
    expect(states).toMatchObject({ 'tt-queued': 'lost', 'tt-skewed': 'online' });
    // The last will, then a late redelivery of the older birth: still offline.
    await store.save(status('tt-live', 'offline', null), bytes({}), meta('status', 'tt-live'));
    expect((await find(NOW + 10_000))?.state).toBe('offline');
    for (const birth of [NOW - 7_200_000, NOW - 3_600_000]) {
      await store.save(status('tt-live', 'online', birth), bytes({}), meta('status', 'tt-live'));
      expect((await find(NOW + 10_000))?.state).toBe('offline');
    }
    await store.save(status('tt-live', 'online', NOW + 5_000), bytes({}), meta('status', 'tt-live'));
    expect((await find(NOW + 10_000))?.state).toBe('online');
  });

  it('ranks the day’s centres against the targets from their visit records', async () => {
    const day = '2026-12-06';
    const records = [
      // rk-a: waits 5, 10, 20 (over), a no-show open 25 min (over), 3 → 3 of 5 within; 1 of 4 served not satisfied.
      visit('rk-a', 1, day, {}, 5),
      visit('rk-a', 2, day, {}, 10),
      visit('rk-a', 3, day, {}, 20),
      noShow('rk-a', 4, day, 25),
      unhappyVisit('rk-a', 5, day, 3),
      // rk-b: waits 2, 14, exactly 15 (within); a transfer's second leg waited 40 min (not a citizen's wait).
      visit('rk-b', 1, day, {}, 2),
      visit('rk-b', 2, day, {}, 14),
      visit('rk-b', 3, day, {}, 15),
      visit(
        'rk-b',
        4,
        day,
        { leg: 1, id: `rk-b/${day}:A003/1`, transfer: { fromServiceId: 'thue', toServiceId: null } },
        40,
      ),
      // rk-c: waits 20 (over) and 1; both satisfied.
      visit('rk-c', 1, day, {}, 20),
      visit('rk-c', 2, day, {}, 1),
      // rk-d: a no-show closed after 10 min: not over the target, not counted as a wait.
      noShow('rk-d', 1, day, 10),
    ];
    for (const r of records.reverse()) await store.save(r, bytes(r), meta('visit', r.centreId));
    await store.save(status('rk-e', 'online', NOW), bytes({}), meta('status', 'rk-e'));
    const ranking = (await store.ranking(day, false)).filter((r) => r.centreId.startsWith('rk-'));
    expect(ranking.map((r) => [r.rank, r.centreId])).toEqual([
      [1, 'rk-b'],
      [2, 'rk-c'],
      [3, 'rk-a'],
      [4, 'rk-d'],
      [null, 'rk-e'],
    ]);
    expect(ranking[0]).toMatchObject({
      visits: 4,
      served: 4,
      waitCounted: 3,
      withinTargetShare: 1,
      rate766: 1,
      meetsWait: true,
      meetsSatisfaction: true,
      source: 'records',
    });
    expect(ranking[1]).toMatchObject({
      visits: 2,
      served: 2,
      withinTargetShare: 0.5,
      rate766: 1,
      meetsWait: false,
      meetsSatisfaction: true,
    });
    expect(ranking[2]).toMatchObject({
      visits: 5,
      served: 4,
      waitCounted: 5,
      withinTargetShare: 0.6,
      rate766: 0.75,
      meetsWait: false,
      meetsSatisfaction: false,
    });
    expect(ranking[3]).toMatchObject({
      visits: 1,
      served: 0,
      waitCounted: 0,
      withinTargetShare: null,
      rate766: null,
    });
    expect(ranking[4]).toMatchObject({ visits: 0, source: 'none' });
  });
});
