/** A command the engine refuses. `code` maps to an HTTP status and to a device error reply. */
export type CommandErrorCode = 'notFound' | 'conflict' | 'invalid';

export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

export const notFound = (what: string) => new CommandError('notFound', `${what} not found`);
export const conflict = (message: string) => new CommandError('conflict', message);
export const invalid = (message: string) => new CommandError('invalid', message);
