/**
 * What became of each ticket's paper: being printed, printed, failed (the printer answered with an
 * error or not at all), or not printed (the printer could not print when the ticket was taken).
 * A kiosk page reads it to tell the citizen at once when the paper it promised will not come.
 * Kept in memory for the latest tickets only: it matters for the minute after a ticket is taken.
 */

export type PrintStatus = 'printing' | 'printed' | 'failed' | 'notPrinted';

export interface PrintOutcome {
  status: PrintStatus;
  deviceId: string;
  at: number;
  /** Why it failed, for logs and staff (English). */
  detail?: string;
}

const KEPT = 1_000;

export class PrintOutcomes {
  readonly #byTicket = new Map<string, PrintOutcome>();

  set(ticketId: string, outcome: PrintOutcome): void {
    this.#byTicket.delete(ticketId); // re-inserted last: the oldest go first
    this.#byTicket.set(ticketId, outcome);
    if (this.#byTicket.size > KEPT) {
      const oldest = this.#byTicket.keys().next().value;
      if (oldest !== undefined) this.#byTicket.delete(oldest);
    }
  }

  get(ticketId: string): PrintOutcome | undefined {
    return this.#byTicket.get(ticketId);
  }
}
