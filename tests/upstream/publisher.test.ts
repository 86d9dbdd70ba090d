/**
 * The upstream publisher against a fake link: records in seq order and once each, the in-flight
 * bound, the cursor over the acknowledged prefix only, the hand-over from the journal on disk to the
 * bus, resuming from the cursor, daily summaries after their day's records.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi as vitest } from 'vitest';

/** waitFor with room for a loaded machine. */
const vi = {
  waitFor: <T>(fn: () => T) => vitest.waitFor(fn, { timeout: 8_000, interval: 20 }),
};

import type { QueueEvent } from '../../controller/core/events.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { segmentFileName } from '../../controller/journal/segment-reader.ts';
import { silentLogger } from '../../controller/logger.ts';
import { CURSOR_FILE } from '../../controller/upstream/cursor-file.ts';
import { UpstreamPublisher } from '../../controller/upstream/upstream-publisher.ts';
import { deriveVisitRecords } from '../../controller/visits/visit-ledger.ts';
import { upstreamMessageSchema } from '../../upstream/protocol/messages.ts';
import { smallCentre } from '../helpers/centre.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { EngineHarness } from '../helpers/engine.ts';
import { FakeTransport } from './fake-transport.ts';

const config = smallCentre({ upstream: { provinceId: 'quang-nam', maxInFlight: 4 } });
const pseudonym = (id: string) => `st-${id.padEnd(16, 'a').slice(0, 16)}`;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A day of visits: `n` tickets, served in turn at two counters, some rated, one no-show. */
function busyDay(h: EngineHarness, n: number): void {
  h.staff('c1', 'ha').staff('c2', 'minh');
  for (let i = 0; i < n; i++) h.issue(i % 2 ? 'ho-tich' : 'dat-dai');
  for (let i = 0; i < n; i++) {
    const counter = i % 2 ? 'c2' : 'c1';
    h.advance(1);
    if (!h.next(counter)) continue;
    if (i === 3) {
      h.run({ type: 'skip', counterId: counter });
      continue;
    }
    h.run({ type: 'startService', counterId: counter });
    h.advance(3);
    h.run({ type: 'finishService', counterId: counter });
    if (i % 3 === 0) h.run({ type: 'rateVisit', counterId: counter, level: 1 + (i % 4) });
  }
}

function setup() {
  const data = tempDataDir('upstream-unit-');
  cleanups.push(data.remove);
  const journalDir = join(data.dir, 'journal');
  mkdirSync(journalDir);
  const h = new EngineHarness(config);
  const bus = new EventBus();
  let written = 0;
  /** Appends the harness's new events to the journal (one segment), optionally telling the bus. */
  const flush = (toBus: boolean) => {
    const fresh = h.events.slice(written);
    written = h.events.length;
    if (!fresh.length) return;
    appendFileSync(join(journalDir, segmentFileName(1)), fresh.map((e) => `${JSON.stringify(e)}\n`).join(''));
    if (toBus) bus.emitQueueEvents(fresh);
  };
  const make = (transport = new FakeTransport(), clock?: () => number) => {
    const publisher = new UpstreamPublisher({
      ...(clock ? { clock } : {}),
      url: 'mqtt://province.test:1883',
      config: () => config,
      dataDir: data.dir,
      journalDir,
      bus,
      queue: {
        get state() {
          return h.engine.state;
        },
      },
      devices: () => [],
      pseudonym,
      transport,
      logger: silentLogger,
      software: 'test',
    });
    cleanups.push(() => publisher.stop());
    return { publisher, transport };
  };
  const expected = () =>
    deriveVisitRecords(
      { centreId: config.centre.id, provinceId: 'quang-nam', pseudonym, config: () => config },
      h.events as QueueEvent[],
    );
  const cursor = () => {
    const file = join(data.dir, CURSOR_FILE);
    return existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as { ackedSeq: number; ledger: { seq: number } })
      : null;
  };
  return { h, bus, flush, make, expected, cursor, dataDir: data.dir };
}

const visits = (t: FakeTransport) => t.of('visit').map((v) => v.payload as { id: string; seq: number });

describe('the upstream publisher', () => {
  it('sends every record in seq order, never more than maxInFlight unacknowledged, and moves the cursor over the acknowledged prefix only', async () => {
    const s = setup();
    busyDay(s.h, 12);
    s.flush(false);
    const { publisher, transport } = s.make();
    await publisher.start();
    transport.connect();
    await vi.waitFor(() => expect(visits(transport)).toHaveLength(4));
    // none acknowledged: the in-flight bound holds
    await new Promise((r) => setTimeout(r, 50));
    expect(visits(transport)).toHaveLength(4);
    const [a, b, c, d] = transport.of('visit').map((v) => v.entry);
    b?.ack();
    c?.ack();
    d?.ack();
    await vi.waitFor(() => expect(visits(transport)).toHaveLength(7));
    // a gap at the first record: no cursor yet
    expect(s.cursor()?.ackedSeq ?? 0).toBe(0);
    a?.ack();
    transport.autoAck = true;
    for (const sent of transport.of('visit')) if (!sent.entry.settled) sent.entry.ack();
    const expected = s.expected();
    await vi.waitFor(() => expect(visits(transport).map((v) => v.id)).toEqual(expected.map((r) => r.id)));
    await vi.waitFor(() => expect(s.cursor()?.ackedSeq).toBe(expected.at(-1)?.seq));
    for (const sent of transport.sent)
      expect(upstreamMessageSchema.safeParse(JSON.parse(sent.payload)).success).toBe(true);
    expect(publisher.status().backlog).toMatchObject({ records: 0, oldestEndedAt: null });
  });

  it('hands over from the journal on disk to the bus with no gap and no duplicate', async () => {
    const s = setup();
    busyDay(s.h, 6);
    s.flush(false);
    const { publisher, transport } = s.make();
    transport.autoAck = true;
    await publisher.start();
    // events reach the bus while the publisher is still catching up from disk
    s.h.advance(1);
    s.h.issue('tra-kq');
    s.h.staff('c3', 'lan');
    s.h.next('c3');
    s.h.run({ type: 'finishService', counterId: 'c3' });
    s.flush(true);
    transport.connect();
    // the bus repeats a batch the publisher already has (it ignores seq ≤ what it folded)
    s.bus.emitQueueEvents(s.h.events.slice(-3) as QueueEvent[]);
    s.h.advance(1);
    s.h.issue('dat-dai');
    s.h.next('c1');
    s.h.run({ type: 'cancel', ticketId: s.h.engine.state.counters.c1?.currentTicketId as string });
    s.flush(true);
    const expected = s.expected();
    await vi.waitFor(() => expect(visits(transport).map((v) => v.id)).toEqual(expected.map((r) => r.id)));
    expect(visits(transport).map((v) => v.seq)).toEqual([...expected.map((r) => r.seq)]);
  });

  it('resumes from the cursor after a restart: nothing missing, and only what was not acknowledged is sent again', async () => {
    const s = setup();
    busyDay(s.h, 10);
    s.flush(false);
    const first = s.make();
    await first.publisher.start();
    first.transport.connect();
    await vi.waitFor(() => expect(visits(first.transport)).toHaveLength(4));
    for (const sent of first.transport.of('visit').slice(0, 4)) sent.entry.ack();
    await vi.waitFor(() => expect(visits(first.transport).length).toBeGreaterThan(4));
    const acked = new Set(
      visits(first.transport)
        .slice(0, 4)
        .map((v) => v.id),
    );
    await first.publisher.stop();
    expect(first.transport.farewell?.payload).toContain('"offline"');

    // more visits while the publisher is down
    s.h.advance(5);
    s.h.issue('tra-kq');
    s.h.staff('c3', 'lan');
    s.h.next('c3');
    s.h.run({ type: 'finishService', counterId: 'c3' });
    s.flush(false);

    const second = s.make();
    second.transport.autoAck = true;
    await second.publisher.start();
    second.transport.connect();
    const expected = s.expected();
    await vi.waitFor(() =>
      expect(new Set([...acked, ...visits(second.transport).map((v) => v.id)])).toEqual(
        new Set(expected.map((r) => r.id)),
      ),
    );
    const resent = visits(second.transport).filter((v) => acked.has(v.id));
    // the cursor is written per checkpoint: at most the records of one checkpoint come again
    expect(resent.length).toBeLessThanOrEqual(4);
    expect(visits(second.transport).map((v) => v.seq)).toEqual(
      [...visits(second.transport).map((v) => v.seq)].sort((x, y) => x - y),
    );
  });

  it('sends a day’s summary after its records when the next day starts, retained, and not again after a restart', async () => {
    const s = setup();
    busyDay(s.h, 6);
    s.flush(false);
    const { publisher, transport } = s.make();
    transport.autoAck = true;
    await publisher.start();
    transport.connect();
    const day1 = s.h.engine.state.day;
    s.h.advance(24 * 60);
    s.h.issue('dat-dai');
    s.flush(true);
    await vi.waitFor(() => expect(transport.of('daily')).toHaveLength(1));
    const summary = transport.of('daily')[0];
    if (!summary) throw new Error('no summary');
    expect(summary.entry.topic).toBe(`qms-province/v1/quang-nam/test-centre/daily/${day1}`);
    expect(summary.entry.retain).toBe(true);
    expect(summary.payload).toMatchObject({ kind: 'daily', day: day1, revision: 1 });
    const dayRecords = s.expected().filter((r) => r.day === day1);
    expect((summary.payload.total as { visits: number }).visits).toBe(dayRecords.length);
    // after all of that day's records
    const index = transport.sent.indexOf(summary.entry as never);
    const lastRecord = transport.sent.findIndex((x) => x.payload.includes(`"id":"${dayRecords.at(-1)?.id}"`));
    expect(index).toBeGreaterThan(lastRecord);
    await vi.waitFor(() => expect(s.cursor()?.ledger.seq).toBe(s.h.engine.state.seq));
    await publisher.stop();

    const again = s.make();
    again.transport.autoAck = true;
    await again.publisher.start();
    again.transport.connect();
    s.h.advance(1);
    s.h.issue('ho-tich');
    s.flush(true);
    await vi.waitFor(() => expect(again.transport.of('live').length).toBeGreaterThan(0));
    await new Promise((r) => setTimeout(r, 100));
    expect(again.transport.of('daily')).toHaveLength(0);
  });

  it('sends the next revision of a day’s summary when its figures change, and keeps revisions in the cursor', async () => {
    const s = setup();
    busyDay(s.h, 6);
    const day1 = s.h.engine.state.day;
    s.h.advance(24 * 60);
    s.h.issue('dat-dai');
    s.flush(false);
    const first = s.make();
    first.transport.autoAck = true;
    await first.publisher.start();
    first.transport.connect();
    await vi.waitFor(() => expect(first.transport.of('daily')).toHaveLength(1));
    await vi.waitFor(() => expect(s.cursor()?.ledger.seq).toBe(s.h.engine.state.seq));
    await first.publisher.stop();
    // As if the day's figures had been sent different (a late record): the cursor goes back to
    // the start of the journal and remembers revision 1 with another digest.
    const file = join(s.dataDir, CURSOR_FILE);
    const cursor = JSON.parse(readFileSync(file, 'utf8'));
    const empty = { version: 1, seq: 0, day: '', open: {}, pending: [] };
    expect(cursor.daily[day1]).toMatchObject({ revision: 1 });
    cursor.daily[day1].digest = 'figures-sent-before';
    Object.assign(cursor, { ledger: empty, summaryFrom: empty, ackedSeq: 0 });
    writeFileSync(file, JSON.stringify(cursor));

    const again = s.make();
    again.transport.autoAck = true;
    await again.publisher.start();
    again.transport.connect();
    await vi.waitFor(() => expect(again.transport.of('daily')).toHaveLength(1));
    expect(again.transport.of('daily')[0]?.payload).toMatchObject({ day: day1, revision: 2 });
    await vi.waitFor(() => expect(s.cursor()?.ledger.seq).toBe(s.h.engine.state.seq));
    expect(
      (s.cursor() as unknown as { daily: Record<string, { revision: number }> }).daily[day1]?.revision,
    ).toBe(2);
  });

  it('starts again from the beginning of the journal when the cursor file is damaged', async () => {
    const s = setup();
    busyDay(s.h, 4);
    s.flush(false);
    writeFileSync(join(s.dataDir, CURSOR_FILE), '{"version":1,"ackedSeq":');
    const { publisher, transport } = s.make();
    transport.autoAck = true;
    await publisher.start();
    transport.connect();
    const expected = s.expected();
    await vi.waitFor(() => expect(visits(transport).map((v) => v.id)).toEqual(expected.map((r) => r.id)));
    await vi.waitFor(() => expect(s.cursor()?.ackedSeq).toBe(expected.at(-1)?.seq));
  });

  it('raises an alert when the oldest unsent record is older than backlogAlertMinutes, and clears it once sent', async () => {
    const s = setup();
    busyDay(s.h, 4);
    s.flush(false);
    let now = Date.now();
    const { publisher, transport } = s.make(new FakeTransport(), () => now);
    await publisher.start();
    transport.connect();
    await vi.waitFor(() => expect(visits(transport).length).toBeGreaterThan(0));
    const oldest = publisher.status().backlog.oldestEndedAt as number;
    expect(oldest).toBeGreaterThan(0);
    now = oldest + 60 * 60_000 - 1;
    expect(publisher.status().alerts).toEqual([]);
    now = oldest + 60 * 60_000 + 1;
    const [alert] = publisher.status().alerts;
    expect(alert).toMatchObject({ id: 'upstream:backlogAge', kind: 'upstream', severity: 'warning' });
    expect(alert?.message).toMatch(
      /^Báo cáo lên tỉnh: \d+ lượt chưa gửi được, cũ nhất 60 phút \(ngưỡng 60 phút\)$/,
    );
    now = oldest + 2 * 60 * 60_000 + 1;
    expect(publisher.status().alerts[0]?.severity).toBe('critical');
    transport.autoAck = true;
    for (const sent of transport.sent) if (!sent.settled) sent.ack();
    await vi.waitFor(() => expect(publisher.status().backlog.records).toBe(0));
    expect(publisher.status().alerts).toEqual([]);
    // the first seq a restart still needs: the one after the open day's start (nothing before is pruned)
    const dayStart = s.h.events.find((e) => e.type === 'dayStarted')?.seq as number;
    // (known once the cursor saying so is durable, which may come a moment after the last PUBACK)
    await vi.waitFor(() => expect(publisher.oldestSeqStillNeeded()).toBe(dayStart + 1));
  });

  it('publishes birth with the last will set, and live snapshots with its backlog', async () => {
    const s = setup();
    busyDay(s.h, 4);
    s.flush(false);
    const { publisher, transport } = s.make();
    await publisher.start();
    expect(JSON.parse(transport.will?.payload ?? '{}')).toMatchObject({
      kind: 'status',
      state: 'offline',
      at: null,
    });
    transport.connect();
    await vi.waitFor(() => expect(transport.of('status')).toHaveLength(1));
    expect(transport.of('status')[0]?.payload).toMatchObject({ state: 'online', software: 'test' });
    expect(transport.of('status')[0]?.entry.retain).toBe(true);
    // the records wait for their acknowledgement: the next snapshot says so
    await vi.waitFor(() => expect(transport.of('live').length).toBeGreaterThan(0));
    transport.of('live')[0]?.entry.ack();
    await vi.waitFor(() =>
      expect(
        transport.of('live').some((l) => (l.payload as { backlog: { records: number } }).backlog.records > 0),
      ).toBe(true),
    );
    const live = transport.of('live').at(-1)?.payload as { counters: unknown };
    expect(live.counters).toEqual({ open: 2, serving: 0, paused: 0, closed: 1 });
    expect(transport.of('live').at(-1)?.entry.retain).toBe(true);
  });
});
