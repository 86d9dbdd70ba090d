/** What of each event reaches public screens over socket.io: never who the citizen is. */
import { describe, expect, it } from 'vitest';
import type { QueueEvent } from '../../controller/core/events.ts';
import { publicEvent } from '../../controller/realtime/live-updates.ts';

const base = { seq: 7, at: 1_795_395_600_000, by: 'c1-scanner' };

describe('publicEvent', () => {
  it('drops the citizen key and the dossier code from a linked visit', () => {
    const linked = {
      ...base,
      type: 'visitLinked',
      ticketId: 't1',
      citizenKey: 'k'.repeat(43),
      dossierCode: 'H49.12-261123-0001',
    };
    expect(publicEvent(linked as QueueEvent)).toEqual({ ...base, type: 'visitLinked', ticketId: 't1' });
  });

  it('drops the dossier code of a finished visit and the key of an issued ticket', () => {
    const finished = {
      ...base,
      type: 'serviceFinished',
      ticketId: 't1',
      counterId: 'quay-1',
      staffId: 'ha',
      dossierCode: 'H49.1',
    };
    expect(publicEvent(finished as QueueEvent)).not.toHaveProperty('dossierCode');
    const issued = {
      ...base,
      type: 'ticketIssued',
      ticket: { id: 't1', label: '1001', citizenKey: 'secret-hash' },
    };
    expect(JSON.stringify(publicEvent(issued as unknown as QueueEvent))).not.toContain('secret-hash');
  });

  it('keeps bookings off public screens entirely', () => {
    const booked = {
      ...base,
      type: 'appointmentBooked',
      booking: { bookingId: 'DVC-1', serviceId: 'thue', slotStart: 0, slotEnd: 1, status: 'booked' },
    };
    expect(publicEvent(booked as QueueEvent)).toBeNull();
    expect(
      publicEvent({ ...base, type: 'appointmentCancelled', bookingId: 'DVC-1' } as QueueEvent),
    ).toBeNull();
  });

  it('passes calls through, without the request id', () => {
    const called = {
      ...base,
      type: 'ticketCalled',
      ticketId: 't1',
      counterId: 'quay-1',
      staffId: 'ha',
    } as QueueEvent;
    expect(publicEvent({ ...called, requestId: 'c1-pad:3f9a:42' })).toEqual(called);
  });

  it('keeps free text and booking ids off public screens', () => {
    const cancelled = { ...base, type: 'ticketCancelled', ticketId: 't1', reason: 'Ông Nguyễn Văn A bỏ về' };
    expect(publicEvent(cancelled as QueueEvent)).not.toHaveProperty('reason');
    const closed = { ...base, type: 'followUpClosed', followUpId: 'f1', note: 'đã gọi 0905…' };
    expect(publicEvent(closed as QueueEvent)).not.toHaveProperty('note');
    const issued = {
      ...base,
      type: 'ticketIssued',
      ticket: { id: 't2', label: '1002', appointment: { bookingId: 'DVC-9', slotStart: 1, slotEnd: 2 } },
    };
    expect(publicEvent(issued as unknown as QueueEvent)).toMatchObject({
      ticket: { appointment: { slotStart: 1, slotEnd: 2 } },
    });
    expect(JSON.stringify(publicEvent(issued as unknown as QueueEvent))).not.toContain('DVC-9');
  });
});
