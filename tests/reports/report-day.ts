/**
 * A small day at the test centre (district level, wait target 15 min, 4-level rating scale), run
 * through the engine and written to a journal on disk, for the report tests. Times are minutes
 * after 08:00 on 2026-11-23 (local time); the expected figures are worked out by hand in the tests.
 *
 *  0  ha signs in at c1, minh at c2 (both counters open); tickets A, B (đất đai), C, D (hộ tịch)
 *  2  c1 calls A · 3 starts · 13 finishes A · 14 A rated 1 (very satisfied)
 *  5  c2 calls C · 25 finishes C (never started: service counted from the call) · 26 C rated 4 (not satisfied)
 * 20  c1 calls B · 22 skips B (may come back until 32) · 22 c1 paused (break)
 * 26  c2 calls D · 30 transfers D to đất đai
 * 32  c1 resumes and calls D · 33 tick: B did not come back (no-show)
 * 35  ticket E (trả kết quả) · 40 E cancelled uncalled · 40 c1 finishes D (not rated)
 * 45  c2 closed (minh signed out) · 50 c1 closed (ha signed out)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { QueueEvent } from '../../controller/core/events.ts';
import { segmentFileName } from '../../controller/journal/segment-reader.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

export const config = smallCentre();
export const DAY = '2026-11-23';
/** Minutes after 08:00 of the test day. */
export const at = (minutes: number) => MORNING + minutes * MIN;
/** A stand-in for CitizenKeys.staffPseudonym: the same shape, stable, not the name. */
export const pseudonym = (staffId: string) => `st-${staffId.padEnd(16, 'q').slice(0, 16)}`;

export function smallDay(h = new EngineHarness(config)) {
  const to = (minute: number) => {
    h.now = at(minute);
    return h;
  };
  h.staff('c1', 'ha').staff('c2', 'minh');
  const A = h.issue('dat-dai');
  const B = h.issue('dat-dai');
  const C = h.issue('ho-tich');
  const D = h.issue('ho-tich');
  const call = (counterId: string, expected: string) => {
    const t = h.next(counterId);
    if (t?.id !== expected) throw new Error(`${counterId} called ${t?.id}, expected ${expected}`);
  };
  to(2);
  call('c1', A.id);
  to(3).run({ type: 'startService', counterId: 'c1' });
  to(5);
  call('c2', C.id);
  to(13).run({ type: 'finishService', counterId: 'c1' });
  to(14).run({ type: 'rateVisit', counterId: 'c1', level: 1 });
  to(20);
  call('c1', B.id);
  to(22).run({ type: 'skip', counterId: 'c1' });
  h.run({ type: 'pauseCounter', counterId: 'c1', reason: 'break' });
  to(25).run({ type: 'finishService', counterId: 'c2', dossierCode: 'HS-000123' });
  to(26).run({ type: 'rateVisit', counterId: 'c2', level: 4 });
  call('c2', D.id);
  to(30).run({ type: 'transfer', counterId: 'c2', to: { serviceId: 'dat-dai' } });
  to(32).run({ type: 'resumeCounter', counterId: 'c1' });
  call('c1', D.id);
  to(33).run({ type: 'tick' });
  const E = to(35).issue('tra-kq');
  to(40).run({ type: 'cancel', ticketId: E.id, reason: 'left' });
  h.run({ type: 'finishService', counterId: 'c1' });
  to(45).run({ type: 'closeCounter', counterId: 'c2' });
  to(50).run({ type: 'closeCounter', counterId: 'c1' });
  return { h, tickets: { A, B, C, D, E } };
}

/** Writes events as one journal segment in `dir/journal` and returns that folder. */
export function writeJournal(dir: string, events: readonly QueueEvent[]): string {
  const journal = join(dir, 'journal');
  mkdirSync(journal, { recursive: true });
  const first = events[0]?.seq ?? 1;
  writeFileSync(join(journal, segmentFileName(first)), events.map((e) => `${JSON.stringify(e)}\n`).join(''));
  return journal;
}
