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

/** Refusals met only by staff at a screen (taking a counter), never at a device. */
export type StaffRefusalReason = 'counterTaken' | 'staffServingElsewhere';

export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    readonly reason?: RefusalReason | StaffRefusalReason,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

type Reason = RefusalReason | StaffRefusalReason;

export const notFound = (what: string, reason?: Reason) =>
  new CommandError('notFound', `${what} not found`, reason);
export const conflict = (message: string, reason?: Reason) => new CommandError('conflict', message, reason);
export const invalid = (message: string, reason?: Reason) => new CommandError('invalid', message, reason);
