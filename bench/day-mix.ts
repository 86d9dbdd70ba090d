/**
 * A realistic journal, made by the engine itself: service days of 1,200 tickets (what the demo centre's
 * eight counters get through in a day; a third of them come in the first hour after opening), staff on
 * every counter calling and finishing visits of 1 to 6 minutes, in 30-second steps. Tickets still open at
 * closing time expire with the next day's dayStarted. Calls, finishes, logins and day starts are engine
 * commands; tickets are issued through QueueFiller (engine-made ticketIssued events, copied), which keeps
 * making four weeks of journal to about ten seconds — replay cost does not depend on the numbers printed.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { budget, DAY, HOUR, issueMix, MIN, must, OPENING, SECOND, seededRandom, staffing } from './centre.ts';
import { QueueFiller } from './queue-filler.ts';

export const TICKETS_PER_DAY = 1_200;
const STEP = 30 * SECOND;
/** Doors open 07:00, last ticket 16:30, counters work until 17:00. */
const LAST_ARRIVAL = 9.5 * HOUR;
const CLOSING = 10 * HOUR;

export interface DayMix {
  events: QueueEvent[];
  days: number;
  counts: Record<string, number>;
  /** The time limit cut the journal short of the target. */
  cut: boolean;
}

/** Up to `targetEvents` events; generation stops (mid-day if need be) after `limitMs`. */
export function generateDayMix(config: CentreConfig, targetEvents: number, limitMs: number): DayMix {
  const limit = budget(limitMs);
  const random = seededRandom(3);
  const nextIssue = issueMix(config, random);
  const engine = QueueEngine.empty(config, OPENING);
  const events: QueueEvent[] = [];
  const run = (command: Parameters<QueueEngine['execute']>[0], now: number) => {
    const outcome = must(engine, command, now);
    events.push(...outcome.events);
    return outcome;
  };
  const staff = staffing(config);
  const filler = new QueueFiller(engine, config);
  let days = 0;

  while (events.length < targetEvents && !limit.over()) {
    const opening = OPENING + days * DAY;
    days++;
    const arrivals: number[] = [];
    for (let i = 0; i < TICKETS_PER_DAY; i++) {
      const offset = i < TICKETS_PER_DAY / 3 ? random() * HOUR : HOUR + random() * (LAST_ARRIVAL - HOUR);
      arrivals.push(opening + offset);
    }
    arrivals.sort((a, b) => a - b);
    for (const { counterId, staffId } of staff) run({ type: 'login', counterId, staffId }, opening);

    const busyUntil = new Map<string, number>();
    const serving = new Set<string>();
    // Counters that found nobody to call; they try again once a ticket has been issued.
    const idle = new Set<string>();
    let a = 0;
    for (
      let now = opening;
      now <= opening + CLOSING && events.length < targetEvents && !limit.over();
      now += STEP
    ) {
      while (a < arrivals.length && (arrivals[a] as number) <= now) {
        const command = nextIssue();
        if (command.type === 'issueTicket') events.push(...filler.add(command, now));
        idle.clear();
        a++;
      }
      for (const { counterId } of staff) {
        if ((busyUntil.get(counterId) ?? 0) > now) continue;
        if (serving.has(counterId)) {
          run({ type: 'finishService', counterId }, now);
          serving.delete(counterId);
        }
        if (idle.has(counterId)) continue;
        if (run({ type: 'callNext', counterId }, now).ticket) {
          serving.add(counterId);
          busyUntil.set(counterId, now + (1 + random() * 5) * MIN);
        } else idle.add(counterId);
      }
    }
  }

  const cut = events.length < targetEvents;
  if (!cut) events.length = targetEvents;
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return { events, days, counts, cut };
}
