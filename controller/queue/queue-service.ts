/**
 * The queue service: runs commands through the engine and makes their events durable before
 * anyone hears of them. Commands are decided one at a time (the engine is synchronous), while
 * their journal writes are group-committed, so a burst costs one fsync per batch, not per ticket.
 */
import type { CentreConfig } from '../centre/schema.ts';
import type { Command } from '../core/commands.ts';
import { type Outcome, QueueEngine } from '../core/engine.ts';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState } from '../core/types.ts';
import type { EventBus } from '../event-bus.ts';
import type { Journal, JournalRepair } from '../journal/journal.ts';
import type { Logger } from '../logger.ts';

/** The journal failed: the command may or may not be on disk, so nothing more is accepted. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

export interface QueueServiceOptions {
  config: CentreConfig;
  journal: Journal<QueueEvent>;
  bus: EventBus;
  logger: Logger;
  clock?: () => number;
}

export class QueueService {
  readonly #journal: Journal<QueueEvent>;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #clock: () => number;
  #engine: QueueEngine;
  #failed: Error | null = null;
  /** `<day>:<service>` whose numbers have wrapped, already logged. */
  readonly #wrapped = new Set<string>();
  /** Settles when every event appended so far is on disk. */
  #durable: Promise<void> = Promise.resolve();

  private constructor(options: QueueServiceOptions, engine: QueueEngine) {
    this.#journal = options.journal;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#clock = options.clock ?? Date.now;
    this.#engine = engine;
  }

  /** Opens the journal and rebuilds the state: snapshot, then every event after it. */
  static async open(
    options: QueueServiceOptions,
  ): Promise<{ service: QueueService; replayed: number; repairs: JournalRepair[] }> {
    const clock = options.clock ?? Date.now;
    const { snapshot, events, repairs } = await options.journal.open();
    const engine = snapshot
      ? new QueueEngine(options.config, snapshot.state as QueueState)
      : QueueEngine.empty(options.config, clock());
    engine.replay(events);
    const service = new QueueService(options, engine);
    // A fresh snapshot after a long replay keeps the next start fast; without one the journal still has it all.
    if (events.length > 0) {
      await options.journal.writeSnapshot(engine.state.seq, engine.state).catch((error) => {
        options.logger.warn(
          { err: error },
          'snapshot after replay failed; the journal still holds every event',
        );
      });
    }
    return { service, replayed: events.length, repairs };
  }

  get state(): Readonly<QueueState> {
    return this.#engine.state;
  }

  get config(): CentreConfig {
    return this.#engine.config;
  }

  /** Applies a configuration already saved to the live store (see staff-routes.ts). */
  reconfigure(config: CentreConfig): void {
    this.#engine.reconfigure(config);
  }

  /** The journal error that stopped the queue, if any. */
  get failure(): Error | null {
    return this.#failed;
  }

  get engine(): QueueEngine {
    return this.#engine;
  }

  /** Runs a command; resolves once its events are durable (or it was refused). */
  async submit(command: Command): Promise<Outcome> {
    this.#throwIfFailed();
    const outcome = this.#engine.execute(command, this.#clock());
    const ticket = outcome.ticket ? structuredClone(outcome.ticket) : null;
    if (outcome.events.length === 0) {
      // A repeat may point at a ticket whose events are still being written: answer once they are.
      await this.#durable.catch(() => undefined);
      this.#throwIfFailed();
      return { ...outcome, ticket };
    }
    const durable = this.#journal.append(outcome.events);
    this.#durable = durable;
    // A new day starts a new journal segment with a snapshot, so a start-up replays one day at most.
    if (outcome.events.some((e) => e.type === 'dayStarted')) this.#snapshot();
    try {
      await durable;
    } catch (error) {
      this.#fail(error as Error);
      throw new QueueUnavailableError(`the queue journal failed: ${(error as Error).message}`);
    }
    this.#bus.emitQueueEvents(outcome.events);
    this.#noteWrappedNumbers(outcome.events);
    return { ...outcome, ticket };
  }

  /** Says once a day per service that its numbers ran past their width and now wrap (decide.nextNumber). */
  #noteWrappedNumbers(events: readonly QueueEvent[]): void {
    const digits = this.#engine.config.queue.numberDigits;
    for (const e of events) {
      if (e.type !== 'ticketIssued' || e.ticket.number < 10 ** digits) continue;
      const key = `${e.ticket.day}:${e.ticket.serviceId}`;
      if (this.#wrapped.has(key)) continue;
      this.#wrapped.add(key);
      this.#logger.warn(
        {
          serviceId: e.ticket.serviceId,
          number: e.ticket.number,
          label: e.ticket.label,
          numberDigits: digits,
        },
        `service ${e.ticket.serviceId} has issued more than ${10 ** digits - 1} tickets today: labels start again from the lowest, skipping those still open (widened only if all are open); ticket ids stay unique`,
      );
    }
  }

  /** Flushes the journal and leaves a snapshot, so the next start replays nothing. */
  async close(): Promise<void> {
    if (!this.#failed && this.#engine.state.seq === this.#journal.lastSeq) {
      await this.#journal.writeSnapshot(this.#engine.state.seq, this.#engine.state).catch((error) => {
        this.#logger.warn({ err: error }, 'snapshot at shutdown failed; the journal still holds every event');
      });
    }
    await this.#journal.close();
  }

  #throwIfFailed(): void {
    if (this.#failed) throw new QueueUnavailableError(`the queue journal failed: ${this.#failed.message}`);
  }

  #snapshot(): void {
    this.#journal.writeSnapshot(this.#engine.state.seq, this.#engine.state).catch((error) => {
      this.#logger.warn({ err: error }, 'snapshot failed; the journal still holds every event');
    });
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = error;
    this.#logger.fatal({ err: error }, 'queue journal failed: refusing further commands');
    this.#bus.emitFatal(error);
  }
}
