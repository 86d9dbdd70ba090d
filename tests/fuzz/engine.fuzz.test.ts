/**
 * Fuzzing the queue engine with random command sequences (fast-check): whatever staff, devices and
 * kiosks send, in any order, the engine refuses with a CommandError or applies — never throws
 * otherwise — and its invariants hold: a visit is rated at most once and each rating is counted
 * once, open tickets never share a label, and a replay of the events gives the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { satisfaction } from '../../controller/core/satisfaction.ts';
import { ACTIVE_STATUSES } from '../../controller/core/types.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { fuzzRuns, report } from './fuzz-runs.ts';

const config = smallCentre();
const counters = ['c1', 'c2', 'c3', 'c9'];
const services = ['dat-dai', 'ho-tich', 'tra-kq', 'nope'];
const staff = ['ha', 'minh', 'lan', 'ghost'];

const counterId = fc.constantFrom(...counters);
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    type: fc.constant('issueTicket' as const),
    serviceId: fc.constantFrom(...services),
    source: fc.constantFrom('kiosk' as const, 'dispenser' as const, 'staff' as const),
    priorityClassId: fc.option(fc.constantFrom('nguoi-cao-tuoi', 'khuyet-tat'), { nil: undefined }),
    requestId: fc.option(fc.constantFrom('r1', 'r2', 'r3'), { nil: undefined }),
  }),
  fc.record({ type: fc.constant('login' as const), counterId, staffId: fc.constantFrom(...staff) }),
  fc.record({
    type: fc.constantFrom(
      'callNext' as const,
      'recall' as const,
      'skip' as const,
      'startService' as const,
      'finishService' as const,
      'openCounter' as const,
      'closeCounter' as const,
      'resumeCounter' as const,
      'logout' as const,
    ),
    counterId,
  }),
  fc.record({ type: fc.constant('pauseCounter' as const), counterId, reason: fc.constant('break' as const) }),
  fc.record({ type: fc.constant('rateVisit' as const), counterId, level: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    type: fc.constant('transfer' as const),
    counterId,
    to: fc.record({ serviceId: fc.constantFrom(...services) }),
  }),
  fc.record({ type: fc.constant('tick' as const) }),
) as fc.Arbitrary<Command>;

describe('fuzz: the queue engine', () => {
  it('refuses or applies any command sequence, keeping its invariants; a replay gives the same state', () => {
    const runs = fuzzRuns(4_000);
    let commands = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(command, fc.integer({ min: 0, max: 20 })), { minLength: 5, maxLength: 40 }),
        (steps) => {
          const engine = QueueEngine.empty(config, MORNING);
          const events: QueueEvent[] = [];
          let now = MORNING;
          for (const [cmd, minutes] of steps) {
            now += minutes * MIN;
            const outcome = engine.execute(cmd, now); // throws only on a bug: a refusal is a value
            events.push(...outcome.events);
            commands++;
          }
          const state = engine.state;
          const tickets = Object.values(state.tickets);
          const rated = events.filter((e) => e.type === 'visitRated');
          expect(new Set(rated.map((e) => (e as { ticketId: string }).ticketId)).size).toBe(rated.length);
          const counted = satisfaction(tickets, config.ratings.scale.length);
          const ratedToday = rated.filter((e) => state.tickets[(e as { ticketId: string }).ticketId]);
          expect(counted.rated).toBe(ratedToday.length);
          const open = tickets.filter((t) => ACTIVE_STATUSES.includes(t.status));
          expect(new Set(open.map((t) => t.label)).size).toBe(open.length);
          const replayed = QueueEngine.empty(config, MORNING);
          replayed.replay(events);
          expect(replayed.state).toEqual(state);
        },
      ),
      { numRuns: runs },
    );
    report('queue engine commands', commands);
  });
});
