/**
 * Time-driven queue work: the day rollover at local midnight and the end of skipped tickets'
 * grace happen even when nobody presses a button. A tick that changes nothing writes nothing.
 */
import { nextDayStart } from '../core/service-day.ts';
import type { Logger } from '../logger.ts';
import { QueueDiskFullError, type QueueService } from './queue-service.ts';

const TICK_MS = 5_000;

export class Housekeeping {
  readonly #queue: QueueService;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | null = null;
  #midnight: NodeJS.Timeout | null = null;
  #running = false;

  constructor(queue: QueueService, logger: Logger) {
    this.#queue = queue;
    this.#logger = logger;
  }

  start(): void {
    this.#timer = setInterval(() => void this.tick(), TICK_MS);
    this.#timer.unref();
    this.#scheduleMidnight();
    void this.tick();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#midnight) clearTimeout(this.#midnight);
    this.#timer = null;
    this.#midnight = null;
  }

  /** The new day starts on the stroke of local midnight, not up to a tick later. */
  #scheduleMidnight(): void {
    const delay = nextDayStart(Date.now(), this.#queue.config.centre.timezone) - Date.now() + 50;
    this.#midnight = setTimeout(() => {
      void this.tick();
      this.#scheduleMidnight();
    }, delay);
    this.#midnight.unref();
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
      // A full disk is logged once by the queue service, not every tick.
      if (!(error instanceof QueueDiskFullError))
        this.#logger.error({ err: error }, 'housekeeping tick failed');
    } finally {
      this.#running = false;
    }
  }
}
