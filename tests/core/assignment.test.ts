/** One test per step of the assignment rule (docs/assignment.md). */
import { describe, expect, it } from 'vitest';
import { rankedQueue } from '../../controller/core/assignment.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const at = (minutesAfterEight: number) => MORNING + minutesAfterEight * MIN;

describe('1. eligibility', () => {
  it('calls only services the staff member covers', () => {
    const h = new EngineHarness().staff('c1', 'ha'); // ha: đất đai, hộ tịch
    h.issue('tra-kq');
    const d = h.issue('dat-dai');
    expect(h.next('c1')?.id).toBe(d.id);
    expect(h.next('c1')).toBeNull();
  });

  it('calls only services the counter is equipped for', () => {
    const h = new EngineHarness().staff('c3', 'minh'); // minh prefers hộ tịch, but counter 3 only returns results
    h.issue('ho-tich');
    const r = h.issue('tra-kq');
    expect(h.next('c3')?.id).toBe(r.id);
    expect(h.next('c3')).toBeNull();
  });

  it('keeps a ticket sent to a named counter or person away from everyone else (see also transfer tests)', () => {
    const h = new EngineHarness().staff('c1', 'ha').staff('c2', 'minh');
    const t = h.issue('ho-tich');
    h.next('c1');
    h.run({ type: 'transfer', counterId: 'c1', to: { staffId: 'minh' } });
    h.issue('ho-tich');
    expect(h.next('c1')?.id).not.toBe(t.id);
    expect(h.next('c2')?.id).toBe(t.id);
  });
});

describe('2. urgent tickets first', () => {
  it('pulls a long wait forward before it passes the target, past preference', () => {
    const h = new EngineHarness().staff('c2', 'minh'); // minh: hộ tịch first, then đất đai (+5 min)
    const d = h.issue('dat-dai'); // 08:00, rank 08:05
    h.now = at(3);
    const ht = h.issue('ho-tich'); // rank 08:03
    h.now = at(10);
    expect(rankedQueue(input(h, 'c2', 'minh'))[0]?.ticket.id).toBe(ht.id);
    h.now = at(12); // đất đai has waited 12 minutes: urgent
    expect(h.next('c2')?.id).toBe(d.id);
  });

  it('serves urgent tickets strictly by arrival, whatever their credit', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const normal = h.issue('dat-dai');
    h.now = at(5);
    const elderly = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' });
    h.now = at(20);
    const order = rankedQueue(input(h, 'c1', 'ha')).map((r) => r.ticket.id);
    expect(order).toEqual([normal.id, elderly.id]);
  });
});

describe('3. rank time: arrival − credit + preference penalty', () => {
  it('lets a priority citizen go ahead of those who arrived up to its credit earlier', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.issue('dat-dai');
    h.now = at(9);
    const elderly = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' }); // rank 07:59
    expect(h.next('c1')?.id).toBe(elderly.id);
  });

  it('does not let a priority citizen pass someone who arrived more than the credit earlier', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const normal = h.issue('dat-dai');
    h.now = at(11);
    h.issue('dat-dai', { priorityClassId: 'khuyet-tat' }); // rank 08:01, after 08:00
    expect(h.next('c1')?.id).toBe(normal.id);
  });

  it("prefers the staff member's first service by the preference penalty, no more", () => {
    const h = new EngineHarness().staff('c1', 'ha'); // ha: đất đai first, hộ tịch +5 min
    const ht = h.issue('ho-tich');
    h.now = at(4);
    const d = h.issue('dat-dai'); // rank 08:04 < 08:05
    expect(h.next('c1')?.id).toBe(d.id);
    h.now = at(6);
    h.issue('dat-dai'); // rank 08:06 > 08:05
    expect(h.next('c1')?.id).toBe(ht.id);
  });

  it('ranks a booking that is due by its slot with the appointment credit', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.now = at(20);
    const walkIn = h.issue('dat-dai'); // 08:20
    h.now = at(25);
    const booked = h.issue('dat-dai', {
      source: 'appointment',
      appointment: { slotStart: at(30), slotEnd: at(45) },
    });
    h.now = at(30); // rank max(08:25, 08:30) − 15 = 08:15 < 08:20
    expect(h.next('c1')?.id).toBe(booked.id);
    expect(h.next('c1')?.id).toBe(walkIn.id);
  });

  it('ranks a booking checked in after its slot and grace like a walk-in', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.now = at(35);
    const walkIn = h.issue('dat-dai');
    h.now = at(40); // slot ended 08:15, grace 15 min: too late by 10 minutes
    h.issue('dat-dai', { source: 'appointment', appointment: { slotStart: at(0), slotEnd: at(15) } });
    expect(h.next('c1')?.id).toBe(walkIn.id);
  });

  it('adds a priority class credit to a walk-in booking, taking the larger credit, never the sum', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.now = at(14);
    const normal = h.issue('dat-dai');
    h.now = at(30);
    h.issue('dat-dai', {
      source: 'appointment',
      priorityClassId: 'nguoi-cao-tuoi',
      appointment: { slotStart: at(30), slotEnd: at(45) },
    }); // rank 08:30 − max(15, 10) = 08:15 > 08:14
    expect(h.next('c1')?.id).toBe(normal.id);
  });
});

describe('4. early bookings are held', () => {
  it('holds a booking checked in before its early window while others wait', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const booked = h.issue('dat-dai', {
      source: 'appointment',
      appointment: { slotStart: at(60), slotEnd: at(75) },
    });
    h.now = at(5);
    const walkIn = h.issue('dat-dai');
    h.now = at(10);
    expect(h.next('c1')?.id).toBe(walkIn.id);
    h.now = at(48);
    const later = h.issue('dat-dai'); // rank 08:48
    h.now = at(50); // inside the 10-minute early window: now due, rank 09:00 − 15 = 08:45
    expect(h.next('c1')?.id).toBe(booked.id);
    expect(h.next('c1')?.id).toBe(later.id);
  });

  it("counts a booking's wait from its slot, so checking in early earns no urgency", () => {
    const h = new EngineHarness().staff('c1', 'ha');
    h.issue('dat-dai', { source: 'appointment', appointment: { slotStart: at(60), slotEnd: at(75) } }); // 08:00
    h.now = at(52);
    const walkIn = h.issue('dat-dai');
    h.now = at(65); // walk-in has waited 13 min (urgent); the booking only 5 since its slot
    expect(h.next('c1')?.id).toBe(walkIn.id);
  });

  it('serves a held booking when nobody else is waiting', () => {
    const h = new EngineHarness().staff('c1', 'ha');
    const booked = h.issue('dat-dai', {
      source: 'appointment',
      appointment: { slotStart: at(60), slotEnd: at(75) },
    });
    expect(h.next('c1')?.id).toBe(booked.id);
  });
});

describe('5. ties', () => {
  it('goes to the ticket issued first', () => {
    const h = new EngineHarness().staff('c2', 'minh');
    const a = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' }); // rank 08:00 − 10 + 5
    const b = h.issue('ho-tich', { priorityClassId: 'khuyet-tat' }); // rank 08:00 − 10 + 0
    const c = h.issue('ho-tich', { priorityClassId: 'nguoi-cao-tuoi' });
    expect(rankedQueue(input(h, 'c2', 'minh')).map((r) => r.ticket.id)).toEqual([b.id, c.id, a.id]);
  });
});

describe('the ceiling: nobody starves', () => {
  it('under a steady stream of priority citizens, a ticket is overtaken only by tickets that arrived at most the largest credit after it', () => {
    const config = smallCentre();
    const h = new EngineHarness(config).staff('c1', 'ha');
    const maxCredit = Math.max(...config.queue.priorityClasses.map((p) => p.creditMinutes));
    const arrivals = new Map<string, number>();
    const calledOrder: string[] = [];
    // Overloaded counter: a citizen every 2 minutes (every other one elderly), 3 minutes per visit.
    for (let minute = 0; minute < 240; minute++) {
      h.now = at(minute);
      if (minute % 2 === 0) {
        const priorityClassId = minute % 4 === 0 ? 'nguoi-cao-tuoi' : undefined;
        const t = h.issue('dat-dai', priorityClassId ? { priorityClassId } : {});
        arrivals.set(t.id, t.arrivedAt);
      }
      if (minute % 3 === 0) {
        const t = h.next('c1');
        if (t) calledOrder.push(t.id);
      }
    }
    expect(calledOrder.length).toBeGreaterThan(70);
    calledOrder.forEach((id, i) => {
      const arrived = arrivals.get(id) as number;
      for (const earlier of calledOrder.slice(0, i)) {
        // Anyone called before this ticket arrived no more than maxCredit minutes after it.
        expect((arrivals.get(earlier) as number) - arrived).toBeLessThanOrEqual(maxCredit * MIN);
      }
    });
  });
});

function input(h: EngineHarness, counterId: string, staffId: string) {
  const config = h.engine.config;
  const counter = config.counters.find((c) => c.id === counterId);
  const staff = config.staff.find((s) => s.id === staffId);
  if (!counter || !staff) throw new Error('bad test setup');
  return { state: h.engine.state, rules: config.queue, counter, staff, now: h.now };
}
