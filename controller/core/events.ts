/**
 * Engine events: the facts the journal stores. Each carries everything needed to replay it
 * (numbers, times), so replay never consults the clock or the configuration's defaults.
 */
import type { PauseReason } from '../centre/schema.ts';
import type { Booking, RatingSource, Ticket, TransferTarget } from './types.ts';

interface Base {
  seq: number;
  /** When it happened, ms since epoch. */
  at: number;
  /** Who caused it (staff id, device id, "manager:<id>", "system"). */
  by?: string;
  /** The request it answered (on the last event of a command's batch), so a repeat changes nothing… */
  requestId?: string;
  /** …and gets the same answer: the ticket the command was about ('' for none). */
  requestTicketId?: string;
}

export type QueueEvent = Base &
  (
    | {
        type: 'dayStarted';
        day: string;
        expiredTicketIds: string[];
        carriedTicketIds: string[];
        /** Numbering starts after these (non-zero only where carried tickets would collide). */
        lastNumber: Record<string, number>;
      }
    | { type: 'ticketIssued'; ticket: Ticket }
    | { type: 'ticketCalled'; ticketId: string; counterId: string; staffId: string }
    | { type: 'ticketRecalled'; ticketId: string; counterId: string }
    | { type: 'ticketSkipped'; ticketId: string; counterId: string; returnBy: number | null }
    | { type: 'ticketReturned'; ticketId: string }
    | { type: 'ticketNoShow'; ticketId: string }
    | { type: 'serviceStarted'; ticketId: string; counterId: string }
    | {
        type: 'serviceFinished';
        ticketId: string;
        counterId: string;
        staffId: string;
        dossierCode?: string;
        /** The service's configured duration when it finished: the prior of the learned average. */
        expectedServiceMs?: number;
      }
    | {
        type: 'ticketTransferred';
        ticketId: string;
        fromCounterId: string;
        serviceId: string;
        target?: TransferTarget;
      }
    | { type: 'ticketReprinted'; ticketId: string }
    | { type: 'ticketCancelled'; ticketId: string; reason?: string }
    | { type: 'counterOpened'; counterId: string }
    | { type: 'counterClosed'; counterId: string }
    | { type: 'counterPaused'; counterId: string; reason: PauseReason }
    | { type: 'counterResumed'; counterId: string }
    | { type: 'staffLoggedIn'; counterId: string; staffId: string }
    | { type: 'staffLoggedOut'; counterId: string; staffId: string }
    | { type: 'appointmentBooked'; booking: Booking }
    | { type: 'appointmentCancelled'; bookingId: string }
    | {
        type: 'visitRated';
        ticketId: string;
        counterId: string;
        staffId: string;
        level: number;
        notSatisfied: boolean;
        followUpId?: string;
        /**
         * Where the rating came from. Absent on events written before sources (journal format 2):
         * those are the citizen's own, read by `ratingSource()` (keypad, or ticket link).
         */
        source?: RatingSource;
      }
    | { type: 'visitLinked'; ticketId: string; citizenKey?: string; dossierCode?: string }
    | { type: 'followUpClosed'; followUpId: string; note?: string }
  );

export type QueueEventType = QueueEvent['type'];
export type EventOf<T extends QueueEventType> = Extract<QueueEvent, { type: T }>;
/** An event before the engine stamps its seq and time. */
export type NewEvent = QueueEvent extends infer E
  ? E extends QueueEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

/**
 * The source of a rating event. Events from before sources were recorded carry none: a citizen's
 * ticket-page rating had no `by` (rateTicket), a keypad press had the keypad's id (rateVisit, which
 * was also the only way anyone else could rate then), so each reads as what it was.
 */
export function ratingSource(event: EventOf<'visitRated'>): RatingSource {
  return event.source ?? (event.by === undefined ? 'ticket-link' : 'keypad');
}

/** The ticket an event is about, if any (the indexes beside the state follow these). */
export function ticketIdOf(event: QueueEvent): string | undefined {
  return 'ticket' in event ? event.ticket.id : 'ticketId' in event ? event.ticketId : undefined;
}
