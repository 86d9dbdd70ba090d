import { describe, expect, it } from 'vitest';
import { type CallLookup, cursorBefore, hallCalls, missedCalls } from '../../controller/voice/hall-calls.ts';

const view: CallLookup = {
  counters: [
    { id: 'quay-1', number: 1, zoneId: 'a' },
    { id: 'quay-5', number: 5, zoneId: 'b' },
  ],
  recentCalls: [{ ticketId: '2026-11-23:1001', label: '1001' }],
  tickets: [{ id: '2026-11-23:5002', label: '5002' }],
};

const called = (seq: number, ticketId: string, counterId: string) => ({
  type: 'ticketCalled',
  seq,
  at: 0,
  ticketId,
  counterId,
  staffId: 's',
});

describe('which calls a hall display announces', () => {
  it('takes calls and recalls, with the label and counter number, in order', () => {
    const calls = hallCalls(
      [
        { type: 'ticketIssued', seq: 1, at: 0 },
        called(2, '2026-11-23:1001', 'quay-1'),
        called(3, '2026-11-23:5002', 'quay-5'),
        { type: 'ticketRecalled', seq: 4, at: 0, ticketId: '2026-11-23:1001', counterId: 'quay-1' },
      ],
      view,
      null,
      0,
    );
    expect(calls.map((c) => [c.label, c.counterNumber, c.recall])).toEqual([
      ['1001', 1, false],
      ['5002', 5, false],
      ['1001', 1, true],
    ]);
  });

  it("announces only its own zone's counters", () => {
    const events = [called(2, '2026-11-23:1001', 'quay-1'), called(3, '2026-11-23:5002', 'quay-5')];
    expect(hallCalls(events, view, 'b', 0).map((c) => c.counterId)).toEqual(['quay-5']);
    expect(hallCalls(events, view, 'nowhere', 0)).toEqual([]);
  });

  it('takes the label the call carries when the view does not have the ticket yet, and never guesses it', () => {
    // Ticket ids do not contain the label (`<day>:<service>:<number>`): the controller sends it.
    const [call] = hallCalls(
      [{ ...called(9, '2026-11-24:dat-dai:7', 'quay-1'), label: 'A007' }],
      view,
      'a',
      0,
    );
    expect(call).toMatchObject({ label: 'A007', zoneId: 'a', seq: 9 });
    // Without one, nothing is said now: the view that follows has the call (missedCalls).
    expect(hallCalls([called(10, '2026-11-24:dat-dai:8', 'quay-1')], view, 'a', 0)).toEqual([]);
  });

  it('skips events already seen and counters it does not know', () => {
    expect(hallCalls([called(2, '2026-11-23:1001', 'quay-1')], view, null, 2)).toEqual([]);
    expect(hallCalls([called(3, '2026-11-23:1001', 'quay-9')], view, null, 0)).toEqual([]);
  });
});

describe('calls missed while the link was down or the page was loading', () => {
  const now = 1_795_400_000_000;
  const recent = {
    seq: 40,
    counters: view.counters,
    recentCalls: [
      { ticketId: 't:1003', label: '1003', counterId: 'quay-1', calledAt: now - 5_000, callSeq: 39 },
      { ticketId: 't:5004', label: '5004', counterId: 'quay-5', calledAt: now - 8_000, callSeq: 37 },
      { ticketId: 't:1002', label: '1002', counterId: 'quay-1', calledAt: now - 20_000, callSeq: 35 },
      { ticketId: 't:1001', label: '1001', counterId: 'quay-1', calledAt: now - 10 * 60_000, callSeq: 12 },
    ],
  };

  it("announces the zone's recent calls newer than the last one received, oldest first", () => {
    const missed = missedCalls(recent, 'a', 30, now);
    // 1002 was recalled (seq 35) after the last call received: the recall was missed. 1001 is too old.
    expect(missed.map((c) => c.label)).toEqual(['1002', '1003']);
    expect(missed[0]).toMatchObject({ seq: 35, counterNumber: 1, calledAt: now - 20_000 });
  });

  it('leaves out what was received and what another zone called', () => {
    expect(missedCalls(recent, 'a', 39, now)).toEqual([]);
    expect(missedCalls(recent, 'a', 35, now).map((c) => c.label)).toEqual(['1003']);
    expect(missedCalls(recent, 'b', 0, now).map((c) => c.label)).toEqual(['5004']);
  });

  it('starts a page that never received anything from its first state, and follows a new history', () => {
    expect(cursorBefore(null, 40)).toBeNull();
    expect(cursorBefore(35, 40)).toBe(35);
    // A controller on a new data folder counts from 1 again: its calls are all new.
    expect(cursorBefore(5_000, 40)).toBe(0);
  });
});
