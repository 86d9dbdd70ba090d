/**
 * A ticket as it is at issue, before it joins the state: the one shape of a fresh ticket, for the
 * issue itself (decide.ts) and for the probe whose wait a kiosk or hall announces (wait-estimate.ts).
 */
import type { QueueState, Ticket } from './types.ts';

export type NewTicketFields = Pick<Ticket, 'id' | 'label' | 'serviceId' | 'number' | 'source'> &
  Partial<Pick<Ticket, 'priorityClassId' | 'appointment' | 'citizenKey' | 'printedOn'>>;

export function newTicket(state: QueueState, fields: NewTicketFields, now: number): Ticket {
  return {
    ...fields,
    day: state.day,
    issueSeq: state.seq + 1, // the seq its ticketIssued event will get
    status: 'waiting',
    issuedAt: now,
    arrivedAt: now,
    queuedAt: now,
    skipCount: 0,
    recallCount: 0,
    transferCount: 0,
    peopleAheadAtIssue: 0,
    estimatedWaitMinutesAtIssue: null,
  };
}
