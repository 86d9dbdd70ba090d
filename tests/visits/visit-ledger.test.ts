import { describe, expect, it } from 'vitest';
import {
  deriveVisitRecords,
  VisitLedger,
  type VisitLedgerContext,
} from '../../controller/visits/visit-ledger.ts';
import { visitRecordSchema } from '../../upstream/protocol/messages.ts';
import { smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const config = smallCentre();
const ctx: VisitLedgerContext = {
  centreId: config.centre.id,
  provinceId: 'quang-nam',
  pseudonym: (id) => `st-${id.padEnd(16, 'a').slice(0, 16)}`,
  config: () => config,
};

describe('visit records from the journal', () => {
  it('makes one record per ended visit leg, in journal order, valid against the upstream schema', () => {
    const h = new EngineHarness(config).staff('c1', 'ha').staff('c2', 'minh');
    const a = h.issue('dat-dai');
    const b = h.issue('ho-tich');
    const d = h.issue('ho-tich');
    h.advance(2);
    expect(h.next('c1')?.id).toBe(a.id);
    h.advance(1);
    h.run({ type: 'startService', counterId: 'c1' });
    h.advance(10);
    h.run({ type: 'finishService', counterId: 'c1' });
    h.advance(1);
    h.run({ type: 'rateVisit', counterId: 'c1', level: 4 });
    expect(h.next('c2')?.id).toBe(b.id);
    h.advance(4);
    h.run({ type: 'transfer', counterId: 'c2', to: { serviceId: 'dat-dai' } });
    h.run({ type: 'cancel', ticketId: d.id, reason: 'left' });
    h.advance(1);
    expect(h.next('c1')?.id).toBe(b.id);
    h.advance(6);
    h.run({ type: 'finishService', counterId: 'c1' });

    const records = deriveVisitRecords(ctx, h.events);
    for (const r of records) visitRecordSchema.parse(r);
    expect(records.map((r) => [r.ticketId, r.leg, r.outcome])).toEqual([
      [a.id, 0, 'served'],
      [b.id, 0, 'transferred'],
      [d.id, 0, 'cancelled'],
      [b.id, 1, 'served'],
    ]);
    expect(records.map((r) => r.seq)).toEqual([...records.map((r) => r.seq)].sort((x, y) => x - y));
    const [ra, rb0, , rb1] = records;
    expect(ra).toMatchObject({
      id: `test-centre/${a.id}/0`,
      waitSeconds: 120,
      serviceSeconds: 600,
      counterId: 'c1',
      staff: 'st-haaaaaaaaaaaaaaa',
      rating: { level: 4, scaleSize: 4, notSatisfied: true },
      outcome766: 'notSatisfied',
    });
    expect(rb0).toMatchObject({
      waitSeconds: 14 * 60,
      transfer: { fromServiceId: null, toServiceId: 'dat-dai' },
    });
    expect(rb1).toMatchObject({
      leg: 1,
      serviceId: 'dat-dai',
      waitSeconds: 60,
      serviceSeconds: 360,
      transfer: { fromServiceId: 'ho-tich', toServiceId: null },
      outcome766: 'notRated',
    });
  });

  it('holds a served visit until it is rated, its window passes, or the counter finishes another', () => {
    const h = new EngineHarness(config).staff('c1', 'ha');
    h.issue('dat-dai');
    h.issue('dat-dai');
    const ledger = new VisitLedger(ctx);
    const feed = () => {
      for (const e of h.events.splice(0)) ledger.apply(e);
    };
    h.next('c1');
    h.advance(5);
    h.run({ type: 'finishService', counterId: 'c1' });
    feed();
    expect(ledger.take(h.now)).toEqual([]);
    h.next('c1');
    h.advance(2);
    h.run({ type: 'finishService', counterId: 'c1' });
    feed();
    // The first can no longer be rated; the second still can.
    expect(ledger.take(h.now).map((r) => r.outcome)).toEqual(['served']);
    expect(ledger.pendingCount).toBe(1);
    const windowEnd = h.now + config.ratings.windowMinutes * 60_000;
    expect(ledger.take(windowEnd)).toEqual([]); // still within the margin for a rating in flight
    expect(ledger.take(windowEnd + 61_000)).toHaveLength(1);
  });

  it("sends a visit rated on a paper form unrated (the citizens' own ratings only), and final at once", () => {
    const h = new EngineHarness(config).staff('c1', 'ha');
    const a = h.issue('dat-dai');
    const ledger = new VisitLedger(ctx);
    h.next('c1');
    h.advance(5);
    h.run({ type: 'finishService', counterId: 'c1' });
    h.advance(1);
    h.run({ type: 'recordPaperRating', counterId: 'c1', ticketId: a.id, level: 1 });
    expect(h.events.at(-1)).toMatchObject({ type: 'visitRated', source: 'paper' });
    for (const e of h.events.splice(0)) ledger.apply(e);
    // Nothing can rate it any more: final now, not held for the window.
    const [record] = ledger.take(h.now);
    expect(visitRecordSchema.parse(record)).toMatchObject({
      ticketId: a.id,
      rating: null,
      outcome766: 'notRated',
    });
  });

  it("reads rating events written before sources (journal format 2) as the citizen's own", () => {
    const h = new EngineHarness(config).staff('c1', 'ha');
    const a = h.issue('dat-dai');
    h.next('c1');
    h.run({ type: 'finishService', counterId: 'c1' });
    h.run({ type: 'rateVisit', counterId: 'c1', level: 2, by: 'c1-keypad' });
    // As the journal held it before: no source on the event.
    const old = h.events.map((e) => {
      if (e.type !== 'visitRated') return e;
      const { source: _source, ...rest } = e;
      return rest;
    });
    const [record] = deriveVisitRecords(ctx, old);
    expect(record).toMatchObject({ ticketId: a.id, rating: { level: 2 }, outcome766: 'satisfied' });
  });

  it('gives the same records, ids and order when derived again, and when resumed from a checkpoint', () => {
    const h = new EngineHarness(config).staff('c1', 'ha').staff('c2', 'minh');
    for (let i = 0; i < 30; i++) {
      h.issue(i % 2 ? 'dat-dai' : 'ho-tich');
      h.advance(1);
      if (i % 3 === 0) {
        if (!h.next('c1')) continue;
        h.advance(2);
        h.run({ type: 'finishService', counterId: 'c1' });
        if (i % 2 === 0) h.run({ type: 'rateVisit', counterId: 'c1', level: 1 + (i % 4) });
      }
      if (i % 5 === 0) {
        if (h.next('c2')) h.run({ type: 'skip', counterId: 'c2' });
      }
    }
    // The next day expires what is still open.
    h.advance(24 * 60);
    h.run({ type: 'tick' });
    const once = deriveVisitRecords(ctx, h.events);
    expect(deriveVisitRecords(ctx, h.events)).toEqual(once);
    expect(new Set(once.map((r) => r.id)).size).toBe(once.length);
    expect(once.some((r) => r.outcome === 'expired')).toBe(true);

    const half = Math.floor(h.events.length / 2);
    const first = new VisitLedger(ctx);
    const out = [];
    for (const e of h.events.slice(0, half)) {
      first.apply(e);
      out.push(...first.take(e.at));
    }
    const resumed = new VisitLedger(ctx, JSON.parse(JSON.stringify(first.snapshot())));
    for (const e of h.events.slice(half)) {
      resumed.apply(e);
      out.push(...resumed.take(e.at));
    }
    out.push(...resumed.take(Number.POSITIVE_INFINITY));
    expect(out).toEqual(once);
  });
});
