/**
 * Time-driven queue work: the day rollover at local midnight and the end of skipped tickets'
 * grace happen even when nobody presses a button. A tick that changes nothing writes nothing.
 */
import type { Logger } from '../logger.ts';
import type { QueueService } from './queue-service.ts';

const TICK_MS = 5_000;

export class Housekeeping {
  readonly #queue: QueueService;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | null = null;
  #running = false;

  constructor(queue: QueueService, logger: Logger) {
    this.#queue = queue;
    this.#logger = logger;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), TICK_MS);
    this.#timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  async tick(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    try {
      const outcome = await this.#queue.submit({ type: 'tick', by: 'system' });
      for (const e of outcome.events) {
        if (e.type === 'dayStarted') {
          this.#logger.info(
            { day: e.day, expired: e.expiredTicketIds.length, carried: e.carriedTicketIds.length },
            'new service day',
          );
        }
      }
    } catch (error) {
      this.#logger.error({ err: error }, 'housekeeping tick failed');
    } finally {
      this.#running = false;
    }
  }
}
