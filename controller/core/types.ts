/** The queue's state: what the engine knows, rebuilt from the journal's events on start. */
import type { PauseReason } from '../centre/schema.ts';
import type { ServiceTimeModel } from './service-time.ts';

/**
 * Where a rating came from: the counter's rating keypad, the citizen's own ticket page (the link in
 * the ticket's QR code), or a paper form the citizen filled in, recorded by staff. Only the first two
 * are the citizen's own electronic rating; paper is counted apart (docs/reports.md).
 */
export const RATING_SOURCES = ['keypad', 'ticket-link', 'paper'] as const;
export type RatingSource = (typeof RATING_SOURCES)[number];

export const TICKET_SOURCES = ['kiosk', 'dispenser', 'appointment', 'staff'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** waiting → called → serving → done, with the side exits of a visit. */
export type TicketStatus =
  | 'waiting' // in the queue
  | 'called' // called to a counter, not yet being served
  | 'serving' // at the counter
  | 'skipped' // did not come when called; may return until `returnBy`
  | 'done' // served
  | 'noShow' // skipped and never came back (or skipped too often)
  | 'cancelled'
  | 'expired'; // still open when the service day ended

export const ACTIVE_STATUSES: readonly TicketStatus[] = ['waiting', 'called', 'serving', 'skipped'];

export interface Appointment {
  bookingId?: string;
  /** Booked slot, ms since epoch. */
  slotStart: number;
  slotEnd: number;
}

export interface TransferTarget {
  counterId?: string;
  staffId?: string;
}

export interface Ticket {
  /** `<service day>:<label>`, unique in the centre for ever. */
  id: string;
  /** What the citizen sees and hears: prefix + zero-padded number, e.g. "1023". */
  label: string;
  day: string;
  serviceId: string;
  number: number;
  /** Seq of the event that issued it: the tie-breaker "issued first". */
  issueSeq: number;
  status: TicketStatus;
  source: TicketSource;
  /** The device (or caller) that issued it: a reprint goes to the same dispenser. */
  issuedBy?: string;
  /** The dispenser that printed it when that is not `issuedBy` (POST /api/tickets with printAt). */
  printedOn?: string;
  priorityClassId?: string;
  appointment?: Appointment;
  issuedAt: number;
  /** When the citizen arrived: kept across transfers, so waiting is measured for the whole visit. */
  arrivedAt: number;
  /** When the ticket joined its current queue (issue, transfer or return). */
  queuedAt: number;
  /** Only this counter / staff member may call it (a transfer to a named counter or person). */
  target?: TransferTarget;
  counterId?: string;
  staffId?: string;
  firstCalledAt?: number;
  calledAt?: number;
  /** Seq of the event of its latest call or recall: the id of that call on the hall displays. */
  callSeq?: number;
  serviceStartedAt?: number;
  finishedAt?: number;
  returnBy?: number;
  skipCount: number;
  recallCount: number;
  transferCount: number;
  dossierCode?: string;
  closedReason?: string;
  /** Keyed hash of the citizen's ID number when their chip ID card was scanned; never the number. */
  citizenKey?: string;
  /** `source` is absent on ratings recorded before sources existed (the citizen's: keypad or ticket link). */
  rating?: { level: number; at: number; notSatisfied: boolean; source?: RatingSource };
  /** At issue: people ahead in the same service and the estimated wait, as printed. */
  peopleAheadAtIssue: number;
  estimatedWaitMinutesAtIssue: number | null;
  /** At issue: the range given with it, [low, high] minutes (absent on tickets issued before ranges). */
  estimatedWaitRangeAtIssue?: [number, number];
  /** At issue: the forecast before calibration (minutes), to learn the ranges from (wait-estimate.ts). */
  forecastMinutesAtIssue?: number;
}

export interface Booking {
  bookingId: string;
  serviceId: string;
  slotStart: number;
  slotEnd: number;
  status: 'booked' | 'checkedIn' | 'cancelled';
  ticketId?: string;
}

/** A "not satisfied" rating, for the manager to follow up. */
export interface FollowUp {
  id: string;
  ticketId: string;
  ticketLabel: string;
  counterId: string;
  staffId: string;
  level: number;
  openedAt: number;
  status: 'open' | 'closed';
  closedAt?: number;
  note?: string;
}

export type CounterStatus = 'closed' | 'open' | 'paused';

export interface CounterState {
  id: string;
  status: CounterStatus;
  staffId?: string;
  currentTicketId?: string;
  pauseReason?: PauseReason;
  pausedAt?: number;
  /** Paused time today per reason, so idle time is accounted. */
  pausedMs: Partial<Record<PauseReason, number>>;
  openedAt?: number;
  /** Since when the counter has been ready to call with nobody at it (opened, resumed, signed in, visit ended). */
  availableSince?: number;
}

export interface QueueState {
  /** The local service day this state is for. */
  day: string;
  /** Seq of the last event applied. */
  seq: number;
  /** Last number issued today, per service. */
  lastNumber: Record<string, number>;
  /** Today's tickets and any carried over, by id. */
  tickets: Record<string, Ticket>;
  counters: Record<string, CounterState>;
  /** requestId → the ticket it concerned ('' when none), so a repeated request changes nothing. */
  requests: Record<string, string>;
  /** Bookings not yet past, by booking id. */
  appointments: Record<string, Booking>;
  /** Open follow-ups (closed ones leave at the next day). */
  followUps: Record<string, FollowUp>;
  /** Running average of service durations per service (ms, carried across days), for wait estimates. */
  avgServiceMs: Record<string, number>;
  /** Learned service-time models per service and per service@staff (service-time.ts). Absent in older snapshots. */
  serviceTimes?: Record<string, ServiceTimeModel>;
  /** The latest errors of estimates given at issue, as log ratios (wait-estimate.ts): the ranges' calibration. */
  waitErrors?: number[];
  /**
   * Last numbers of the recent days that ended, by day: if the clock brings a day back (a wrong
   * date corrected), its numbering continues above them. Absent in older snapshots.
   */
  pastDays?: Record<string, Record<string, number>>;
}
