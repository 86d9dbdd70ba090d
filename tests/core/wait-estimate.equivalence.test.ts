/**
 * The fast wait forecast (one pass for every service's walk-in, memoised per state and instant,
 * probes read off a forecast made without them) against the slow, obvious one it replaced
 * (reference/forecast-reference.ts: one full forecast per question, the probe placed in the queue),
 * and the estimate of a ticket just issued, which its issue already worked out,
 * after every command of random sequences under each policy: issues with priority classes and
 * bookings early, on time and late, calls, skips, returns, transfers to a service, a counter or a
 * person, pauses and logouts, with rules short enough that tickets turn urgent, late or ageing
 * while the forecast plays forward. Every estimate must be the same number.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyName } from '../../controller/centre/schema.ts';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { newTicket } from '../../controller/core/new-ticket.ts';
import { openTickets } from '../../controller/core/open-tickets.ts';
import type { QueueState, Ticket } from '../../controller/core/types.ts';
import {
  calibrated,
  estimateForService,
  estimateNewTicket,
  estimateTicket,
  forecastCalls,
} from '../../controller/core/wait-estimate.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { referenceForecastCalls } from './reference/forecast-reference.ts';

const SERVICES = ['dat-dai', 'ho-tich', 'tra-kq'] as const;
const counters = ['c1', 'c2', 'c3'];

function centre(policy: PolicyName, short: boolean) {
  return smallCentre({
    queue: {
      policy,
      priorityClasses: [
        { id: 'nguoi-cao-tuoi', name: 'Người cao tuổi', creditMinutes: 10 },
        { id: 'khuyet-tat', name: 'Người khuyết tật', creditMinutes: 20 },
      ],
      // Short rules make keys change while the forecast plays forward (urgent, late, ageing, held).
      ...(short
        ? {
            urgentAfterMinutes: 4,
            waitTargetMinutes: 6,
            ageingCeilingMinutes: 9,
            preferencePenaltyMinutes: 3,
            appointments: { creditMinutes: 15, earlyWindowMinutes: 5, lateGraceMinutes: 5 },
          }
        : {}),
    },
  });
}

type Step =
  | { kind: 'command'; command: Command }
  | { kind: 'walkIn'; serviceId: string; priority?: string }
  | { kind: 'booking'; serviceId: string; slotInMinutes: number };

const counterId = fc.constantFrom(...counters);
const serviceId = fc.constantFrom(...SERVICES);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('walkIn' as const),
      serviceId,
      priority: fc.option(fc.constantFrom('nguoi-cao-tuoi', 'khuyet-tat'), { nil: undefined }),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('booking' as const),
      serviceId,
      slotInMinutes: fc.integer({ min: -40, max: 40 }),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      command: fc.oneof(
        fc.record({
          type: fc.constant('login' as const),
          counterId,
          staffId: fc.constantFrom('ha', 'minh', 'lan'),
        }),
        {
          arbitrary: fc.record({
            type: fc.constantFrom(
              'callNext' as const,
              'callNext' as const,
              'callNext' as const,
              'skip' as const,
              'startService' as const,
              'finishService' as const,
              'closeCounter' as const,
              'logout' as const,
              'resumeCounter' as const,
            ),
            counterId,
          }),
          weight: 5,
        },
        fc.record({
          type: fc.constant('pauseCounter' as const),
          counterId,
          reason: fc.constant('break' as const),
        }),
        fc.record({
          type: fc.constant('transfer' as const),
          counterId,
          to: fc.oneof(
            fc.record({ serviceId }),
            fc.record({ serviceId, counterId }),
            fc.record({ staffId: fc.constantFrom('ha', 'minh', 'lan') }),
          ),
        }),
        fc.record({ type: fc.constant('tick' as const) }),
      ) as fc.Arbitrary<Command>,
    }),
    weight: 5,
  },
);
/** Minutes between steps: often none, so several things happen at one instant. */
const gap = fc.constantFrom(0, 0, 0, 1, 2, 3, 7);

function commandOf(s: Step, now: number, n: number): Command {
  if (s.kind === 'command') return s.command;
  if (s.kind === 'walkIn')
    return { type: 'issueTicket', serviceId: s.serviceId, source: 'kiosk', priorityClassId: s.priority };
  const slotStart = now + s.slotInMinutes * MIN;
  return {
    type: 'issueTicket',
    serviceId: s.serviceId,
    source: 'appointment',
    appointment: { slotStart, slotEnd: slotStart + 15 * MIN, bookingId: undefined },
    requestId: `b${n}`,
  };
}

/** The returned-ticket command needs an id from the state: a skipped ticket, when there is one. */
function returnOne(state: QueueState): Command | null {
  for (const t of openTickets(state))
    if (t.status === 'skipped') return { type: 'returnTicket', ticketId: t.id };
  return null;
}

function expectSameEstimates(config: ReturnType<typeof centre>, state: QueueState, now: number): void {
  const reference = referenceForecastCalls(config, state, now);
  expect(forecastCalls(config, state, now)).toEqual(reference);
  for (const t of openTickets(state)) {
    if (t.status !== 'waiting') continue;
    const at = referenceForecastCalls(config, state, now, undefined, t.id).get(t.id);
    expect(estimateTicket(config, state, t, now)).toEqual(
      at === undefined ? null : calibrated(state, (at - now) / MIN),
    );
  }
  for (const s of SERVICES) {
    const probe = newTicket(
      state,
      { id: `estimate:${s}`, label: '', serviceId: s, number: 0, source: 'kiosk' },
      now,
    );
    const at = referenceForecastCalls(config, state, now, probe, probe.id).get(probe.id);
    const expected = at === undefined ? null : calibrated(state, (at - now) / MIN);
    expect(estimateForService(config, state, s, now)).toEqual(expected);
    // A ticket about to be issued, with a priority class or a booking (what decide() prints).
    const special: Ticket[] = [
      { ...probe, id: `p:${s}`, priorityClassId: 'khuyet-tat' },
      { ...probe, id: `a:${s}`, appointment: { slotStart: now + 3 * MIN, slotEnd: now + 18 * MIN } },
      { ...probe, id: `l:${s}`, appointment: { slotStart: now - 60 * MIN, slotEnd: now - 45 * MIN } },
    ];
    for (const t of special) {
      const atT = referenceForecastCalls(config, state, now, t, t.id).get(t.id);
      expect(estimateNewTicket(config, state, t, now)).toEqual(
        atT === undefined ? null : calibrated(state, (atT - now) / MIN),
      );
    }
  }
}

describe('the fast wait forecast gives the estimates of the full one', () => {
  for (const policy of ['priority-credit', 'fifo', 'least-lateness'] as const) {
    for (const short of [true, false]) {
      it(`${policy}${short ? ', short rules' : ''}: after every command, and between commands`, () => {
        const config = centre(policy, short);
        fc.assert(
          fc.property(
            fc.array(fc.tuple(step, gap, fc.boolean()), { minLength: 10, maxLength: 60 }),
            fc.integer({ min: 1, max: 9 }),
            (steps, later) => {
              const engine = QueueEngine.empty(config, MORNING);
              let now = MORNING;
              let n = 0;
              for (const [s, minutes, returnFirst] of steps) {
                now += minutes * MIN;
                const back = returnFirst ? returnOne(engine.state) : null;
                if (back) engine.execute(back, now);
                const { ticket } = engine.execute(commandOf(s, now, n++), now);
                // The issuing request's answer asks first, before anything else made a forecast.
                if (ticket?.status === 'waiting') {
                  const at = referenceForecastCalls(config, engine.state, now, undefined, ticket.id).get(
                    ticket.id,
                  );
                  expect(estimateTicket(config, engine.state, ticket, now)).toEqual(
                    at === undefined ? null : calibrated(engine.state, (at - now) / MIN),
                  );
                }
                expectSameEstimates(config, engine.state, now);
                // A screen asks again later, with nothing changed: the memo must not answer for then.
                expectSameEstimates(config, engine.state, now + later * MIN);
              }
            },
          ),
          { numRuns: 60 },
        );
      });
    }
  }
});
