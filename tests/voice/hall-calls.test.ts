import { describe, expect, it } from 'vitest';
import { type CallLookup, hallCalls } from '../../controller/voice/hall-calls.ts';

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
        { type: 'ticketIssued', seq: 1 },
        called(2, '2026-11-23:1001', 'quay-1'),
        called(3, '2026-11-23:5002', 'quay-5'),
        { type: 'ticketRecalled', seq: 4, ticketId: '2026-11-23:1001', counterId: 'quay-1' },
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

  it('reads the label from the ticket id when the view does not have the ticket yet', () => {
    const [call] = hallCalls([called(9, '2026-11-24:A007', 'quay-1')], view, 'a', 0);
    expect(call).toMatchObject({ label: 'A007', zoneId: 'a', seq: 9 });
  });

  it('skips events already seen and counters it does not know', () => {
    expect(hallCalls([called(2, '2026-11-23:1001', 'quay-1')], view, null, 2)).toEqual([]);
    expect(hallCalls([called(3, '2026-11-23:1001', 'quay-9')], view, null, 0)).toEqual([]);
  });
});
