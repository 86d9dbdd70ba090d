import type { CentreConfig } from '../../controller/centre/schema.ts';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import type { Ticket } from '../../controller/core/types.ts';
import { MIN, MORNING, smallCentre } from './centre.ts';

/** An engine with a clock the test moves, and shorthands that fail loudly on refusal. */
export class EngineHarness {
  readonly engine: QueueEngine;
  /** Every event applied so far, as the journal would hold them. */
  readonly events: QueueEvent[] = [];
  now: number;

  constructor(config: CentreConfig = smallCentre(), start = MORNING) {
    this.engine = QueueEngine.empty(config, start);
    this.now = start;
  }

  advance(minutes: number): this {
    this.now += minutes * MIN;
    return this;
  }

  run(command: Command) {
    const outcome = this.engine.execute(command, this.now);
    this.events.push(...outcome.events);
    if (outcome.error) throw outcome.error;
    return outcome;
  }

  issue(serviceId: string, extra: Partial<Extract<Command, { type: 'issueTicket' }>> = {}): Ticket {
    const t = this.run({ type: 'issueTicket', serviceId, source: 'kiosk', ...extra }).ticket;
    if (!t) throw new Error('no ticket issued');
    return { ...t };
  }

  /** Log staff in at a counter (which opens it). */
  staff(counterId: string, staffId: string): this {
    this.run({ type: 'login', counterId, staffId });
    return this;
  }

  next(counterId: string): Ticket | null {
    const t = this.run({ type: 'callNext', counterId }).ticket;
    return t ? { ...t } : null;
  }

  ticket(id: string): Ticket {
    const t = this.engine.state.tickets[id];
    if (!t) throw new Error(`no ticket ${id}`);
    return t;
  }
}
