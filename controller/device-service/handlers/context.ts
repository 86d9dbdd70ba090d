/** What an event handler works with, and how it answers the device. */

import type { PrintJob } from '../../../devices/protocol/messages.ts';
import { type DeviceRefusal, refusalText } from '../../../devices/texts.ts';
import type { CentreConfig, Device } from '../../centre/schema.ts';
import type { Command } from '../../core/commands.ts';
import type { Outcome } from '../../core/engine.ts';
import type { CommandError } from '../../core/errors.ts';
import type { Ticket } from '../../core/types.ts';
import type { Logger } from '../../logger.ts';
import { QueueUnavailableError } from '../../queue/queue-service.ts';
import type { CitizenKeys } from '../citizen-keys.ts';
import type { DeviceRegistry } from '../device-registry.ts';
import type { KioskSessions } from '../kiosk-sessions.ts';
import type { PrintOutcomes } from '../print-outcomes.ts';
import { reasonOf } from '../refusals.ts';

export interface DeviceContext {
  config: () => CentreConfig;
  submit: (command: Command) => Promise<Outcome>;
  /** Today's tickets, read-only. */
  tickets: () => Iterable<Ticket>;
  /**
   * Prints on a dispenser through the transport that carries it (rejects when it fails; with a
   * `NoAnswerError` when the dispenser did not answer).
   */
  print: (deviceId: string, job: PrintJob) => Promise<void>;
  registry: DeviceRegistry;
  /** What became of each ticket's paper (a kiosk page tells the citizen when it failed). */
  prints: PrintOutcomes;
  kiosk: KioskSessions;
  citizens: CitizenKeys;
  /** Base of the links printed as QR codes (the citizen's live ticket page). */
  publicUrl: () => string;
  logger: Logger;
  clock: () => number;
}

export type Answer =
  | { status: 'ok'; data?: Record<string, unknown> }
  | { status: 'error'; error: { code: string; message: string; text: string } };

export const ok = (data?: Record<string, unknown>): Answer => ({ status: 'ok', ...(data ? { data } : {}) });

export function refused(reason: DeviceRefusal, message: string = reason): Answer {
  return { status: 'error', error: { code: reason, message, text: refusalText(reason) } };
}

/** Runs an engine command for a device; a refusal becomes the device's answer. */
export async function run(
  ctx: DeviceContext,
  command: Command,
): Promise<{ answer: Answer; ticket: Ticket | null; outcome?: Outcome }> {
  try {
    const outcome = await ctx.submit(command);
    if (outcome.error) return { answer: fromError(outcome.error), ticket: null, outcome };
    return {
      answer: ok(outcome.ticket ? { label: outcome.ticket.label, ticketId: outcome.ticket.id } : undefined),
      ticket: outcome.ticket,
      outcome,
    };
  } catch (error) {
    if (error instanceof QueueUnavailableError)
      return { answer: refused('unavailable', error.message), ticket: null };
    throw error;
  }
}

export function fromError(error: CommandError): Answer {
  return refused(reasonOf(error), error.message);
}

export interface HandledEvent {
  device: Device;
  /** `<device>:<boot>:<seq>`: the engine's requestId, so a repeat after a restart changes nothing. */
  requestId: string;
}
