import { describe, expect, it } from 'vitest';
import {
  type Announcement,
  type AnnouncerState,
  enqueue,
  finishCurrent,
  idleAnnouncer,
  MAX_ANNOUNCEMENT_AGE_MS,
  startNext,
} from '../../controller/voice/announcement-queue.ts';

const a = (id: string, queuedAt = 0): Announcement => ({ id, text: `text ${id}`, parts: [[id]], queuedAt });

describe('announcement queue', () => {
  it('says calls made together one after another, never two at once', () => {
    let s: AnnouncerState = enqueue(enqueue(idleAnnouncer, a('1')), a('2'));
    s = startNext(s, 10);
    expect(s.current?.id).toBe('1');
    expect(s.pending.map((x) => x.id)).toEqual(['2']);
    // While one is being said, the next waits.
    expect(startNext(enqueue(s, a('3')), 20).current?.id).toBe('1');
    s = finishCurrent(s, '1');
    expect(s).toMatchObject({ current: null, completed: 1 });
    s = startNext(s, 30);
    expect(s.current?.id).toBe('2');
    s = startNext(finishCurrent(s, '2'), 40);
    expect(s).toMatchObject({ current: null, completed: 2, pending: [] });
  });

  it('keeps a recall of a number that is still waiting to be said', () => {
    let s = enqueue(idleAnnouncer, a('call-1001'));
    s = startNext(s, 0);
    s = enqueue(enqueue(s, { ...a('call-1002'), text: 'same' }), { ...a('recall-1002'), text: 'same' });
    expect(s.pending.map((x) => x.id)).toEqual(['call-1002', 'recall-1002']);
  });

  it('ignores the end of an announcement that is not the current one', () => {
    const s = startNext(enqueue(idleAnnouncer, a('1')), 0);
    expect(finishCurrent(s, 'other')).toBe(s);
    expect(finishCurrent(idleAnnouncer, '1')).toBe(idleAnnouncer);
  });

  it('drops calls that waited too long to be said (sound off for minutes), not fresh ones', () => {
    let s = enqueue(enqueue(enqueue(idleAnnouncer, a('old', 0)), a('older-too', 1_000)), a('fresh', 100_000));
    s = startNext(s, 1_000 + MAX_ANNOUNCEMENT_AGE_MS + 1);
    expect(s).toMatchObject({ dropped: 2, current: { id: 'fresh' }, pending: [] });
    const stale = startNext(enqueue(idleAnnouncer, a('x', 0)), MAX_ANNOUNCEMENT_AGE_MS + 1);
    expect(stale).toMatchObject({ current: null, dropped: 1, pending: [] });
  });
});
