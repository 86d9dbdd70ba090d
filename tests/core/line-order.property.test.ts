/**
 * The place in line from the runs kept beside the state (line-order.ts) against the rule itself:
 * every waiting ticket of the service ranked with compareRanked (the walk placeInLine did before it
 * was indexed), after every command of random sequences (fast-check) of walk-ins with and without a
 * priority class, bookings on time, early (held) and late, calls, skips, recalls, transfers, ticks
 * and clock steps (some back), asked at instants around the urgent and held thresholds; and for a
 * ticket not yet issued, as decide asks it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueRules } from '../../controller/centre/schema.ts';
import { compareRanked, rank } from '../../controller/core/assignment.ts';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { placeInLine } from '../../controller/core/line-order.ts';
import { newTicket } from '../../controller/core/new-ticket.ts';
import type { QueueState, Ticket } from '../../controller/core/types.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';

const config = smallCentre();
const rules = config.queue;
const services = ['dat-dai', 'ho-tich', 'tra-kq'] as const;

/** The rule, ticket by ticket: who of the same service compareRanked puts first. */
function placeByWalk(state: QueueState, rules: QueueRules, ticket: Ticket, now: number): number {
  const mine = rank(ticket, 0, rules, now);
  let ahead = 0;
  for (const other of Object.values(state.tickets)) {
    if (other === ticket || other.status !== 'waiting' || other.serviceId !== ticket.serviceId) continue;
    if (compareRanked(rank(other, 0, rules, now), mine) < 0) ahead++;
  }
  return ahead;
}

type Step =
  | { kind: 'issue'; serviceId: string; priority: string | null; slotFromNow: number | null }
  | { kind: 'counter'; type: 'callNext' | 'skip' | 'recall' | 'finishService'; counterId: string }
  | { kind: 'transfer'; counterId: string; serviceId: string }
  | { kind: 'login'; counterId: string; staffId: string }
  | { kind: 'tick' };

const counterId = fc.constantFrom('c1', 'c2', 'c3');
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('issue' as const),
      serviceId: fc.constantFrom(...services),
      priority: fc.constantFrom(null, null, 'nguoi-cao-tuoi'),
      // Minutes from now to the slot's start: early (held), in the window, started, late.
      slotFromNow: fc.constantFrom(null, null, null, 60, 20, 5, 0, -10, -40),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('counter' as const),
      type: fc.constantFrom(
        'callNext' as const,
        'skip' as const,
        'recall' as const,
        'finishService' as const,
      ),
      counterId,
    }),
  },
  fc.record({ kind: fc.constant('transfer' as const), counterId, serviceId: fc.constantFrom(...services) }),
  fc.record({
    kind: fc.constant('login' as const),
    counterId,
    staffId: fc.constantFrom('ha', 'minh', 'lan'),
  }),
  fc.record({ kind: fc.constant('tick' as const) }),
);
/** Minutes between steps: often none (equal times and ties), up to past the urgent threshold, a step back. */
const gap = fc.constantFrom(0, 0, 1, 2, 5, 11, 12, 13, 30, -3);

function commandOf(s: Step, now: number): Command {
  switch (s.kind) {
    case 'issue':
      return {
        type: 'issueTicket',
        serviceId: s.serviceId,
        source: s.slotFromNow === null ? 'kiosk' : 'appointment',
        ...(s.priority ? { priorityClassId: s.priority } : {}),
        ...(s.slotFromNow === null
          ? {}
          : {
              appointment: {
                slotStart: now + s.slotFromNow * MIN,
                slotEnd: now + (s.slotFromNow + 15) * MIN,
              },
            }),
      } as Command;
    case 'counter':
      return { type: s.type, counterId: s.counterId } as Command;
    case 'transfer':
      return { type: 'transfer', counterId: s.counterId, to: { serviceId: s.serviceId } } as Command;
    case 'login':
      return { type: 'login', counterId: s.counterId, staffId: s.staffId } as Command;
    case 'tick':
      return { type: 'tick' } as Command;
  }
}

function expectPlacesTrue(state: QueueState, now: number): void {
  const waiting = Object.values(state.tickets).filter((t) => t.status === 'waiting');
  // Around the thresholds: urgent after 12 min, held until 10 min before a slot.
  for (const at of [now, now + 12 * MIN, now + 50 * MIN, now - 5 * MIN]) {
    for (const t of waiting) expect(placeInLine(state, rules, t, at)).toBe(placeByWalk(state, rules, t, at));
    for (const serviceId of services) {
      const probe = newTicket(state, { id: 'probe', label: 'P', serviceId, number: 0, source: 'kiosk' }, at);
      expect(placeInLine(state, rules, probe, at)).toBe(placeByWalk(state, rules, probe, at));
    }
  }
}

describe('place in line from the kept runs', () => {
  it('equals the rule ticket by ticket after every command, at instants around its thresholds', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, gap), { minLength: 10, maxLength: 70 }), (steps) => {
        const engine = QueueEngine.empty(config, MORNING);
        let now = MORNING;
        expectPlacesTrue(engine.state, now); // asked from the start, so evolve() keeps the runs
        for (const [s, minutes] of steps) {
          now += minutes * MIN;
          engine.execute(commandOf(s, now), now);
          expectPlacesTrue(engine.state, now);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('counts a crowd of one service in its order: urgent first, then by rank time, ties by issue', () => {
    const engine = QueueEngine.empty(config, MORNING);
    const issue = (at: number, priorityClassId?: string) =>
      engine.execute(
        {
          type: 'issueTicket',
          serviceId: 'dat-dai',
          source: 'kiosk',
          ...(priorityClassId ? { priorityClassId } : {}),
        },
        at,
      ).ticket as Ticket;
    const first = issue(MORNING);
    const second = issue(MORNING);
    const elder = issue(MORNING + 5 * MIN, 'nguoi-cao-tuoi'); // 10 min credit: ranks from 07:55
    const later = issue(MORNING + 6 * MIN);
    const at = MORNING + 6 * MIN;
    expect([first, second, elder, later].map((t) => placeInLine(engine.state, rules, t, at))).toEqual([
      1, 2, 0, 3,
    ]);
    // 12 minutes after 08:00 the first two are urgent and go before the elder's credit.
    const urgentAt = MORNING + 12 * MIN;
    expect([first, second, elder, later].map((t) => placeInLine(engine.state, rules, t, urgentAt))).toEqual([
      0, 1, 2, 3,
    ]);
  });
});
