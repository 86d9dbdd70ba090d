/** A command the engine refuses. `code` maps to an HTTP status; `reason` to the text a device shows. */
export type CommandErrorCode = 'notFound' | 'conflict' | 'invalid';

/** Machine-readable reasons for the refusals a citizen or staff member meets at a device. */
export type RefusalReason =
  | 'unknownService'
  | 'alreadyHasTicket'
  | 'noStaff'
  | 'counterNotOpen'
  | 'counterBusy'
  | 'noCurrentTicket'
  | 'wrongTicketState'
  | 'nothingToRate'
  | 'alreadyRated'
  | 'bookingNotFound'
  | 'bookingCancelled'
  | 'bookingUsed'
  | 'bookingNotToday'
  | 'transferTarget';

export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly reason?: RefusalReason,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export const notFound = (what: string, reason?: RefusalReason) =>
  new CommandError('notFound', `${what} not found`, reason);
export const conflict = (message: string, reason?: RefusalReason) =>
  new CommandError('conflict', message, reason);
export const invalid = (message: string, reason?: RefusalReason) =>
  new CommandError('invalid', message, reason);
