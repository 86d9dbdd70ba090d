/**
 * Which calls a hall display announces: the `ticketCalled` and `ticketRecalled` events of the
 * counters in its zone (every counter when it shows the whole centre), with the ticket's label and
 * the counter's number taken from the latest queue view. Pure: used by the hall page.
 */

interface CallEvent {
  type: string;
  seq: number;
  ticketId?: string;
  counterId?: string;
}

/** The part of the queue view (queue:state) this needs. */
export interface CallLookup {
  counters: readonly { id: string; number: number; zoneId: string | null }[];
  recentCalls: readonly { ticketId: string; label: string }[];
  tickets: readonly { id: string; label: string }[];
}

export interface HallCall {
  seq: number;
  ticketId: string;
  label: string;
  counterId: string;
  counterNumber: number;
  zoneId: string | null;
  recall: boolean;
}

/** A ticket id is `<service day>:<label>`, so the label is known even before the next view. */
function labelOf(ticketId: string, view: CallLookup): string {
  return (
    view.recentCalls.find((c) => c.ticketId === ticketId)?.label ??
    view.tickets.find((t) => t.id === ticketId)?.label ??
    ticketId.slice(ticketId.lastIndexOf(':') + 1)
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
    calls.push({
      seq: e.seq,
      ticketId: e.ticketId,
      label: labelOf(e.ticketId, view),
      counterId: counter.id,
      counterNumber: counter.number,
      zoneId: counter.zoneId,
      recall: e.type === 'ticketRecalled',
    });
  }
  return calls;
}
