/**
 * Where a rating came from (issue 13, item 6): the keypad, the citizen's ticket page, or a paper form
 * recorded by staff. One rating per visit whatever the source; events written before sources (journal
 * format 2) read as what they were.
 */
import { describe, expect, it } from 'vitest';
import { type EventOf, ratingSource } from '../../controller/core/events.ts';
import { ratingsBySource, satisfaction } from '../../controller/core/satisfaction.ts';
import { smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

function servedVisit(h: EngineHarness, counterId = 'c1') {
  const t = h.issue('dat-dai');
  h.next(counterId);
  h.advance(3);
  h.run({ type: 'finishService', counterId });
  return t;
}

describe('rating sources', () => {
  it('marks each rating with its source and counts paper apart', () => {
    const h = new EngineHarness(smallCentre()).staff('c1', 'ha');
    const a = servedVisit(h);
    h.run({ type: 'rateVisit', counterId: 'c1', level: 1, by: 'c1-keypad' });
    const b = servedVisit(h);
    h.run({ type: 'rateTicket', ticketId: b.id, level: 2 });
    const c = servedVisit(h);
    const d = servedVisit(h);
    h.advance(120); // forms are entered long after the keypad's window
    h.run({ type: 'recordPaperRating', counterId: 'c1', ticketId: c.id, level: 4, by: 'ha' });
    expect(h.ticket(a.id).rating?.source).toBe('keypad');
    expect(h.ticket(b.id).rating?.source).toBe('ticket-link');
    expect(h.ticket(c.id).rating).toMatchObject({ source: 'paper', notSatisfied: true });
    expect(h.engine.state.followUps[`${c.id}:rating`]).toMatchObject({ level: 4, staffId: 'ha' });
    expect(h.ticket(d.id).rating).toBeUndefined();

    const tickets = Object.values(h.engine.state.tickets);
    expect(ratingsBySource(tickets)).toEqual({ keypad: 1, 'ticket-link': 1, paper: 1 });
    expect(satisfaction(tickets, 4)).toMatchObject({ visits: 4, rated: 2, notSatisfied: 0, rate766: 1 });
    expect(satisfaction(tickets, 4, 'withPaper')).toMatchObject({ rated: 3, notSatisfied: 1, rate766: 0.75 });
  });

  it('refuses a paper form for a visit already rated, not finished at this counter, or not finished', () => {
    const h = new EngineHarness(smallCentre()).staff('c1', 'ha').staff('c2', 'minh');
    const a = servedVisit(h);
    h.run({ type: 'rateVisit', counterId: 'c1', level: 1 });
    expect(() => h.run({ type: 'recordPaperRating', counterId: 'c1', ticketId: a.id, level: 2 })).toThrow(
      /already rated/,
    );
    const b = servedVisit(h);
    expect(() => h.run({ type: 'recordPaperRating', counterId: 'c2', ticketId: b.id, level: 2 })).toThrow(
      /no visit finished at counter/,
    );
    const waiting = h.issue('dat-dai');
    expect(() =>
      h.run({ type: 'recordPaperRating', counterId: 'c1', ticketId: waiting.id, level: 2 }),
    ).toThrow(/no visit finished/);
    h.run({ type: 'recordPaperRating', counterId: 'c1', ticketId: b.id, level: 2 });
    // …and then the keypad, pressed late for the same visit, has nothing left to rate.
    expect(() => h.run({ type: 'rateVisit', counterId: 'c1', level: 1 })).toThrow(/already rated/);
  });

  it('reads events without a source as the keypad (with a device as `by`) or the ticket page (no `by`)', () => {
    const base: EventOf<'visitRated'> = {
      type: 'visitRated',
      seq: 9,
      at: 0,
      ticketId: 't',
      counterId: 'c1',
      staffId: 'ha',
      level: 1,
      notSatisfied: false,
    };
    expect(ratingSource({ ...base, by: 'c1-keypad' })).toBe('keypad');
    expect(ratingSource(base)).toBe('ticket-link');
    expect(ratingSource({ ...base, by: 'ha', source: 'paper' })).toBe('paper');
  });
});
