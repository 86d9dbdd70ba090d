/**
 * Which calls a hall display announces: the `ticketCalled` and `ticketRecalled` events of the
 * counters in its zone (every counter when it shows the whole centre), with the ticket's label and
 * the counter's number taken from the latest queue view. Pure: used by the hall page.
 */

interface CallEvent {
  type: string;
  seq: number;
  at: number;
  ticketId?: string;
  counterId?: string;
  /** The ticket's label, as the controller sends calls to screens (withLabel in live-updates.ts). */
  label?: string;
}

/** The part of the queue view (queue:state) this needs. */
export interface CallLookup {
  counters: readonly { id: string; number: number; zoneId: string | null }[];
  recentCalls: readonly { ticketId: string; label: string }[];
  tickets: readonly { id: string; label: string }[];
}

export interface HallCall {
  /** The journal seq of the call (or recall) event: the call's id, growing with every call. */
  seq: number;
  ticketId: string;
  label: string;
  counterId: string;
  counterNumber: number;
  zoneId: string | null;
  recall: boolean;
  /** When the ticket was called (or recalled). */
  calledAt: number;
}

/** The label to read aloud: the event's own, else the view's (a ticket's id does not contain it). */
function labelOf(e: CallEvent, view: CallLookup): string | undefined {
  const ticketId = e.ticketId as string;
  return (
    e.label ??
    view.recentCalls.find((c) => c.ticketId === ticketId)?.label ??
    view.tickets.find((t) => t.id === ticketId)?.label
  );
}

/**
 * The calls among `events` to announce on a display of `zoneId` (null: the whole centre), leaving
 * out events already seen (`afterSeq`).
 */
export function hallCalls(
  events: readonly CallEvent[],
  view: CallLookup,
  zoneId: string | null,
  afterSeq: number,
): HallCall[] {
  const calls: HallCall[] = [];
  for (const e of events) {
    if (e.seq <= afterSeq || (e.type !== 'ticketCalled' && e.type !== 'ticketRecalled')) continue;
    if (!e.ticketId || !e.counterId) continue;
    const counter = view.counters.find((c) => c.id === e.counterId);
    if (!counter || (zoneId !== null && counter.zoneId !== zoneId)) continue;
    // Without a label there is nothing to say yet: the view that follows has the call (missedCalls).
    const label = labelOf(e, view);
    if (label === undefined) continue;
    calls.push({
      seq: e.seq,
      ticketId: e.ticketId,
      label,
      counterId: counter.id,
      counterNumber: counter.number,
      zoneId: counter.zoneId,
      recall: e.type === 'ticketRecalled',
      calledAt: e.at,
    });
  }
  return calls;
}

/** The queue view's latest calls, as missedCalls needs them. */
export interface RecentCallsLookup {
  seq: number;
  counters: CallLookup['counters'];
  recentCalls: readonly {
    ticketId: string;
    label: string;
    counterId: string;
    calledAt: number;
    callSeq: number;
  }[];
}

/** How old a call missed during a disconnection may be and still be announced when the link is back. */
export const MISSED_CALL_MAX_AGE_MS = 2 * 60_000;

/**
 * Calls a display has not received (events are not replayed on reconnection, nor to a reloaded
 * page): the zone's calls in the view newer than the last call received (`afterSeq`) and recent
 * enough to be announced, oldest first. Reckoned from what was received, not from what was said,
 * so a call is never announced twice, whatever happened to the page or the controller meanwhile.
 */
export function missedCalls(
  view: RecentCallsLookup,
  zoneId: string | null,
  afterSeq: number,
  now: number,
): HallCall[] {
  const missed: HallCall[] = [];
  for (const c of view.recentCalls) {
    if (c.callSeq <= afterSeq || c.calledAt < now - MISSED_CALL_MAX_AGE_MS) continue;
    const counter = view.counters.find((k) => k.id === c.counterId);
    if (!counter || (zoneId !== null && counter.zoneId !== zoneId)) continue;
    missed.push({
      seq: c.callSeq,
      ticketId: c.ticketId,
      label: c.label,
      counterId: counter.id,
      counterNumber: counter.number,
      zoneId: counter.zoneId,
      recall: false,
      calledAt: c.calledAt,
    });
  }
  return missed.sort((a, b) => a.seq - b.seq);
}

/**
 * Where a hall display's "last call received" goes after a queue state: null (a page that never
 * received anything) starts from the state, announcing nothing of the past; a state older than
 * the cursor comes from another history (a controller started on a new data folder), which is
 * then followed from its start.
 */
export function cursorBefore(received: number | null, viewSeq: number): number | null {
  if (received === null) return null;
  return viewSeq < received ? 0 : received;
}
