/**
 * Runs journal retention (retention.ts) in the background: soon after start and every few hours,
 * one run at a time. A failed run is logged and tried again at the next; it never stops the hall.
 */
import type { CentreConfig } from '../centre/schema.ts';
import type { Logger } from '../logger.ts';
import { applyJournalRetention, type JournalRetentionResult } from './retention.ts';

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 6 * 60 * 60 * 1000;

export interface JournalRetentionTaskOptions {
  dir: string;
  config: () => CentreConfig;
  /** The first seq the upstream publisher still needs, or null when not reporting. */
  neededFrom: () => number | null;
  logger: Logger;
  clock?: () => number;
}

export class JournalRetentionTask {
  readonly #o: JournalRetentionTaskOptions;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<JournalRetentionResult | null> | null = null;

  constructor(options: JournalRetentionTaskOptions) {
    this.#o = options;
  }

  start(): void {
    this.#timer = setTimeout(() => this.#loop(), FIRST_RUN_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  /** One run now (or the one in progress). */
  runOnce(): Promise<JournalRetentionResult | null> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #loop(): void {
    void this.runOnce().then(() => {
      if (this.#timer === null) return; // stopped meanwhile
      this.#timer = setTimeout(() => this.#loop(), EVERY_MS);
      this.#timer.unref();
    });
  }

  async #run(): Promise<JournalRetentionResult | null> {
    const retention = this.#o.config().retention;
    try {
      return await applyJournalRetention({
        dir: this.#o.dir,
        policy: {
          compressAfterDays: retention.journalCompressAfterDays,
          keepDays: retention.journalKeepDays,
        },
        now: (this.#o.clock ?? Date.now)(),
        neededFrom: this.#o.neededFrom(),
        logger: this.#o.logger,
      });
    } catch (error) {
      this.#o.logger.warn({ err: error, dir: this.#o.dir }, 'journal retention failed; will try again');
      return null;
    }
  }
}
