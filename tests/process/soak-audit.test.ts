/** The soak run's audit finds what it is there to find (scripts/soak/audit.ts). */
import { describe, expect, it } from 'vitest';
import type { QueueEvent } from '../../controller/core/events.ts';
import type { Ticket } from '../../controller/core/types.ts';
import { type Acknowledged, auditFailed, auditJournal } from '../../scripts/soak/audit.ts';

const ticket = (n: number): Ticket =>
  ({
    id: `2026-12-05:thue:${n}`,
    label: `5${String(n).padStart(3, '0')}`,
    day: '2026-12-05',
    serviceId: 'thue',
    number: n,
  }) as Ticket;
const id = (n: number) => ticket(n).id;

/** A day where ticket 1 is served and rated, ticket 2 waits. */
function day(): QueueEvent[] {
  const e: Omit<QueueEvent, 'seq' | 'at'>[] = [
    { type: 'ticketIssued', ticket: ticket(1) },
    { type: 'ticketIssued', ticket: ticket(2) },
    { type: 'ticketCalled', ticketId: id(1), counterId: 'c1', staffId: 's1' },
    { type: 'serviceStarted', ticketId: id(1), counterId: 'c1' },
    { type: 'serviceFinished', ticketId: id(1), counterId: 'c1', staffId: 's1' },
    { type: 'visitRated', ticketId: id(1), counterId: 'c1', staffId: 's1', level: 1, notSatisfied: false },
  ] as unknown as Omit<QueueEvent, 'seq' | 'at'>[];
  return e.map((x, i) => ({ ...x, seq: i + 1, at: 1_000 * i }) as QueueEvent);
}
const acked = (): Acknowledged => ({
  tickets: new Map([
    [id(1), '5001'],
    [id(2), '5002'],
  ]),
  calls: new Set([id(1)]),
  ratings: new Map([[id(1), 1]]),
});

describe('soak audit', () => {
  it('passes a consistent day with everything acknowledged in the journal', () => {
    const r = auditJournal(day(), acked());
    expect(auditFailed(r)).toBe(false);
    expect(r.outcomes).toEqual({ 'served, rated': 1, open: 1 });
  });

  it('finds an acknowledged ticket, call or rating missing, and a rating with another level', () => {
    const events = day().filter((e) => !(e.type === 'ticketIssued' && e.ticket.id === id(2)));
    const a = acked();
    a.calls.add(id(2));
    a.ratings.set(id(1), 2);
    const r = auditJournal(
      events.map((e, i) => ({ ...e, seq: i + 1 })),
      a,
    );
    expect(r.ticketsLost).toEqual([id(2)]);
    expect(r.callsLost).toEqual([id(2)]);
    expect(r.ratingsChanged).toEqual([id(1)]);
    expect(auditFailed(r)).toBe(true);
  });

  it('finds a number given twice, a rating counted twice, a seq gap and a life out of order', () => {
    const events = day();
    const again = { ...events[1], seq: 7, ticket: { ...ticket(3), label: '5002' } } as QueueEvent;
    const twice = { ...events[5], seq: 8 } as QueueEvent;
    const calledAfterDone = {
      type: 'ticketCalled',
      ticketId: id(1),
      counterId: 'c1',
      staffId: 's1',
      seq: 10,
      at: 9,
    } as QueueEvent;
    const r = auditJournal([...events, again, twice, calledAfterDone], acked());
    expect(r.labelsRepeated).toEqual(['2026-12-05 5002']);
    expect(r.ratingsDoubled).toEqual([id(1)]);
    expect(r.seqGaps).toBe(1);
    expect(r.inconsistent.map((f) => f.problem)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ticketCalled \(seq 10\) while done/)]),
    );
  });
});
