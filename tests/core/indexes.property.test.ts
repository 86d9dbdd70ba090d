/**
 * The engine's indexes beside the state (open-tickets.ts, last-finished.ts, recent-calls.ts) and
 * what is read from them (a tick's no-shows, who waits per service, those skipped, the labels held,
 * each citizen's open ticket) against a brute-force recomputation from `state.tickets`, after every command of random sequences (fast-check): any
 * order of issues, calls, finishes, transfers, cancels, ratings, ticks and day rollovers, with
 * several commands at the same instant so that visits finish at equal times.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { lastFinishedAt } from '../../controller/core/last-finished.ts';
import {
  labelHeld,
  openTicketOf,
  openTickets,
  skippedTickets,
  waitingByService,
} from '../../controller/core/open-tickets.ts';
import { recentCalls } from '../../controller/core/recent-calls.ts';
import { ACTIVE_STATUSES, type QueueState, type Ticket } from '../../controller/core/types.ts';
import { waitingOf } from '../../controller/core/waiting.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';

const config = smallCentre();
const counters = ['c1', 'c2', 'c3'];
const counterId = fc.constantFrom(...counters);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      type: fc.constant('issueTicket' as const),
      serviceId: fc.constantFrom('dat-dai', 'ho-tich', 'tra-kq'),
      source: fc.constant('kiosk' as const),
      // One open ticket per citizen: an ID card scanned again is refused while the first is open.
      citizenKey: fc.option(fc.constantFrom('citizen-a', 'citizen-b'), { nil: undefined }),
    }),
    weight: 3,
  },
  fc.record({
    type: fc.constant('login' as const),
    counterId,
    staffId: fc.constantFrom('ha', 'minh', 'lan'),
  }),
  {
    arbitrary: fc.record({
      type: fc.constantFrom(
        'callNext' as const,
        'recall' as const,
        'skip' as const,
        'startService' as const,
        'finishService' as const,
        'closeCounter' as const,
        'logout' as const,
      ),
      counterId,
    }),
    weight: 4,
  },
  fc.record({ type: fc.constant('rateVisit' as const), counterId, level: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    type: fc.constant('transfer' as const),
    counterId,
    to: fc.record({ serviceId: fc.constantFrom('dat-dai', 'ho-tich') }),
  }),
  fc.record({ type: fc.constant('tick' as const) }),
) as fc.Arbitrary<Command>;
/** Minutes between commands: often none (equal finish times), sometimes past the day's end. */
const gap = fc.constantFrom(0, 0, 0, 1, 3, 10, 24 * 60);

/** What rateVisit walked before the index: the first done ticket in state order with the latest finish. */
function lastFinishedByWalk(state: QueueState, counter: string): Ticket | undefined {
  let last: Ticket | undefined;
  for (const t of Object.values(state.tickets)) {
    if (t.status !== 'done' || t.counterId !== counter || t.finishedAt === undefined) continue;
    if (!last || t.finishedAt > (last.finishedAt as number)) last = t;
  }
  return last;
}

function openByWalk(state: QueueState): string[] {
  return Object.values(state.tickets)
    .filter((t) => ACTIVE_STATUSES.includes(t.status))
    .map((t) => t.id)
    .sort();
}

function expectIndexesTrue(state: QueueState): void {
  expect([...openTickets(state)].map((t) => t.id).sort()).toEqual(openByWalk(state));
  for (const c of counters) expect(lastFinishedAt(state, c)).toBe(lastFinishedByWalk(state, c));
  // What queueView sorted before the index: every ticket with a call, latest first (stable).
  const walked = Object.values(state.tickets)
    .filter((t) => t.calledAt !== undefined && t.counterId)
    .sort((a, b) => (b.calledAt as number) - (a.calledAt as number));
  expect(recentCalls(state, 10)).toEqual(walked.slice(0, 10));
  expect(recentCalls(state, 1000)).toEqual(walked);
  const open = Object.values(state.tickets).filter((t) => ACTIVE_STATUSES.includes(t.status));
  expect([...skippedTickets(state)].map((t) => t.id).sort()).toEqual(
    open
      .filter((t) => t.status === 'skipped')
      .map((t) => t.id)
      .sort(),
  );
  for (const t of Object.values(state.tickets)) {
    const holder = open.find((o) => o.serviceId === t.serviceId && o.label === t.label);
    expect(labelHeld(state, t.serviceId, t.label)).toBe(holder !== undefined);
    if (t.citizenKey) {
      const citizen = open.filter((o) => o.citizenKey === t.citizenKey);
      const found = openTicketOf(state, t.citizenKey);
      if (citizen.length === 0) expect(found).toBeUndefined();
      else expect(citizen).toContain(found);
    }
  }
  for (const s of ['dat-dai', 'ho-tich', 'tra-kq']) {
    const waiting = Object.values(state.tickets).filter((t) => t.status === 'waiting' && t.serviceId === s);
    expect(waitingOf(state, s)).toEqual({
      count: waiting.length,
      oldestArrivedAt: Math.min(Number.POSITIVE_INFINITY, ...waiting.map((t) => t.arrivedAt)),
    });
    expect([...(waitingByService(state).get(s)?.keys() ?? [])].sort()).toEqual(
      waiting.map((t) => t.id).sort(),
    );
  }
}

describe('engine indexes against a brute-force walk', () => {
  it('open tickets and each counter’s last finished visit stay true after every command, and after a replay', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(command, gap), { minLength: 10, maxLength: 80 }), (steps) => {
        const engine = QueueEngine.empty(config, MORNING);
        const events: QueueEvent[] = [];
        let now = MORNING;
        // Asked for from the start, so evolve() keeps them (not a fresh walk each time).
        expectIndexesTrue(engine.state);
        for (const [cmd, minutes] of steps) {
          now += minutes * MIN;
          // A tick's no-shows, as a walk of every ticket in state order would list them.
          const due = Object.values(engine.state.tickets)
            .filter((t) => t.status === 'skipped' && t.returnBy !== undefined && t.returnBy <= now)
            .map((t) => t.id);
          const outcome = engine.execute(cmd, now);
          events.push(...outcome.events);
          if (cmd.type === 'tick' && !outcome.events.some((e) => e.type === 'dayStarted'))
            expect(outcome.events.map((e) => (e as { ticketId?: string }).ticketId)).toEqual(due);
          expectIndexesTrue(engine.state);
        }
        const replayed = QueueEngine.empty(config, MORNING);
        expectIndexesTrue(replayed.state);
        replayed.replay(events);
        expectIndexesTrue(replayed.state);
      }),
      { numRuns: 300 },
    );
  });

  it('between two visits finished at the same instant at a counter, keeps the one the walk finds first', () => {
    const engine = QueueEngine.empty(config, MORNING);
    const at = MORNING + MIN;
    engine.execute({ type: 'login', counterId: 'c1', staffId: 'ha' }, at);
    for (let i = 0; i < 2; i++)
      engine.execute({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' }, at);
    expect(lastFinishedAt(engine.state, 'c1')).toBeUndefined();
    engine.execute({ type: 'callNext', counterId: 'c1' }, at);
    engine.execute({ type: 'callNext', counterId: 'c1' }, at); // finishes the first, calls the second
    engine.execute({ type: 'finishService', counterId: 'c1' }, at);
    const first = lastFinishedByWalk(engine.state, 'c1');
    expect(first?.number).toBe(1);
    expect(lastFinishedAt(engine.state, 'c1')).toBe(first);
  });
});
