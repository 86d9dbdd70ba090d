import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxItem } from '../../controller/upstream/outbox.ts';

const record = (seq: number) => ({ topic: 't', payload: `${seq}`, retain: false, seq, endedAt: seq * 1000 });

describe('the upstream outbox', () => {
  it('sends in order, at most maxInFlight at a time', () => {
    const box = new Outbox<string>({ maxInFlight: 3, ratePerSecond: 1000 });
    for (let seq = 1; seq <= 5; seq++) box.push(record(seq));
    const first = box.due(0);
    expect(first.map((i) => i.seq)).toEqual([1, 2, 3]);
    expect(box.due(10)).toEqual([]);
    box.ack(first[0] as OutboxItem);
    expect(box.due(20).map((i) => i.seq)).toEqual([4]);
  });

  it('releases a checkpoint only when everything before it is acknowledged, never past a gap', () => {
    const box = new Outbox<string>({ maxInFlight: 10, ratePerSecond: 1000 });
    box.push(record(1));
    box.push(record(2));
    box.checkpoint('after-2');
    box.push(record(3));
    box.checkpoint('after-3');
    const [a, b, c] = box.due(0) as [OutboxItem, OutboxItem, OutboxItem];
    expect(box.ack(b)).toBeNull();
    expect(box.ack(c)).toBeNull();
    expect(box.ackedSeq).toBe(0);
    expect(box.ack(a)).toBe('after-3');
    expect(box.ackedSeq).toBe(3);
    expect(box.length).toBe(0);
  });

  it('sends a failed or unacknowledged item again, and counts its acknowledgement once', () => {
    const box = new Outbox<string>({ maxInFlight: 10, ratePerSecond: 1000 });
    box.push(record(1));
    box.push(record(2));
    const [a, b] = box.due(0) as [OutboxItem, OutboxItem];
    box.fail(a);
    expect(box.inFlight).toBe(1);
    expect(box.due(1).map((i) => i.seq)).toEqual([1]);
    expect(box.expire(40_000, 30_000)).toBe(2);
    expect(box.due(40_001).map((i) => i.sends)).toEqual([3, 2]);
    box.ack(b);
    box.ack(b);
    expect(box.inFlight).toBe(1);
    box.ack(a);
    expect(box.inFlight).toBe(0);
    expect(box.records).toBe(0);
  });

  it('keeps to the rate while a backlog drains', () => {
    const box = new Outbox<string>({ maxInFlight: 1000, ratePerSecond: 10 });
    for (let seq = 1; seq <= 100; seq++) box.push(record(seq));
    let sent = box.due(0).length;
    for (let t = 100; t <= 2000; t += 100) {
      for (const item of box.due(t)) {
        box.ack(item);
        sent++;
      }
    }
    // a burst of one second's worth, then 10 per second for two seconds
    expect(sent).toBe(30);
    expect(box.nextTokenIn(2000)).toBeGreaterThan(0);
  });

  it('tells the oldest unacknowledged record', () => {
    const box = new Outbox<string>({ maxInFlight: 10, ratePerSecond: 1000 });
    box.push(record(4));
    box.push({ topic: 'd', payload: 'summary', retain: true, seq: null, endedAt: null });
    box.push(record(5));
    expect(box.oldestEndedAt).toBe(4000);
    expect(box.records).toBe(2);
    const [a] = box.due(0) as [OutboxItem];
    box.ack(a);
    expect(box.oldestEndedAt).toBe(5000);
  });
});
