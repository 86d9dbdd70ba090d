/**
 * The queue engine: state + configuration, fed commands with the time, answering with the
 * events they caused. No I/O: the host journals the events before it tells anyone.
 */
import type { CentreConfig } from '../centre/schema.ts';
import type { Command } from './commands.ts';
import { dayRollover, decide } from './decide.ts';
import { CommandError } from './errors.ts';
import type { NewEvent, QueueEvent } from './events.ts';
import { evolve, initialState } from './evolve.ts';
import { serviceDay } from './service-day.ts';
import type { QueueState, Ticket } from './types.ts';

export interface Outcome {
  /** Events applied, to be journaled. May be non-empty even with an error (a day rollover came first). */
  events: QueueEvent[];
  /** The ticket the command was about (issued, called, finished…), when there is one. */
  ticket: Ticket | null;
  error?: CommandError;
}

export class QueueEngine {
  #config: CentreConfig;
  #state: QueueState;

  constructor(config: CentreConfig, state: QueueState) {
    this.#config = config;
    this.#state = state;
    // Snapshots written before these existed.
    state.appointments ??= {};
    state.followUps ??= {};
    this.#addNewCounters();
  }

  /** A changed configuration (a manager edited who covers what): decisions follow it from now on. */
  reconfigure(config: CentreConfig): void {
    this.#config = config;
    this.#addNewCounters();
  }

  /** Counters added to the configuration since the state was saved start closed. */
  #addNewCounters(): void {
    for (const c of this.#config.counters) {
      this.#state.counters[c.id] ??= { id: c.id, status: 'closed', pausedMs: {} };
    }
  }

  /** An engine with nothing issued yet, on the service day of `now`. */
  static empty(config: CentreConfig, now: number): QueueEngine {
    const day = serviceDay(now, config.centre.timezone);
    return new QueueEngine(
      config,
      initialState(
        day,
        config.counters.map((c) => c.id),
      ),
    );
  }

  get state(): Readonly<QueueState> {
    return this.#state;
  }

  get config(): CentreConfig {
    return this.#config;
  }

  /** Apply journaled events again, in order (start-up). */
  replay(events: Iterable<QueueEvent>): void {
    for (const event of events) {
      if (event.seq !== this.#state.seq + 1) {
        throw new Error(`journal event seq ${event.seq} does not follow ${this.#state.seq}`);
      }
      evolve(this.#state, event);
    }
  }

  execute(command: Command, now: number): Outcome {
    const events = this.#apply(dayRollover({ config: this.#config, state: this.#state, now }), now);
    let decided: NewEvent[];
    try {
      decided = decide({ config: this.#config, state: this.#state, now }, command);
    } catch (error) {
      if (error instanceof CommandError) return { events, ticket: null, error };
      throw error;
    }
    if (command.requestId !== undefined && decided.length === 0) {
      // A repeat: answer with the ticket the first request was about.
      const id = this.#state.requests[command.requestId];
      return { events, ticket: id ? (this.#state.tickets[id] ?? null) : null };
    }
    const answer = ticketIdOf(command, decided);
    if (command.requestId !== undefined && decided.length > 0) {
      const last = decided.length - 1;
      decided[last] = {
        ...(decided[last] as NewEvent),
        requestId: command.requestId,
        requestTicketId: answer ?? '',
      };
    }
    events.push(...this.#apply(decided, now));
    return { events, ticket: answer ? (this.#state.tickets[answer] ?? null) : null };
  }

  #apply(newEvents: NewEvent[], now: number): QueueEvent[] {
    const applied: QueueEvent[] = [];
    for (const e of newEvents) {
      const event = { ...e, seq: this.#state.seq + 1, at: now } as QueueEvent;
      evolve(this.#state, event);
      applied.push(event);
    }
    return applied;
  }
}

/** The ticket a command was about: for "next", only the one called, never the visit it ended. */
function ticketIdOf(command: Command, events: NewEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i] as NewEvent;
    if (command.type === 'callNext' && e.type !== 'ticketCalled') continue;
    if ('ticket' in e) return e.ticket.id;
    if ('ticketId' in e) return e.ticketId;
  }
  return undefined;
}
