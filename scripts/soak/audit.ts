/**
 * The soak run's audit (issue 10): what the devices were told (acknowledged tickets, calls and
 * ratings) against what the journal holds once the day is over. Pure: events and acknowledgements
 * in, findings out; `npm run soak` prints them as a table and exits non-zero on any loss.
 *
 * A ticket's life is consistent when its events come in an order the hall allows: issued once;
 * called only while waiting; service started only while called; finished only after started (or
 * called); rated at most once, only after it finished; nothing after it was closed (finished and
 * rated, no-show, cancelled, expired) except a rating within its window.
 */
import type { QueueEvent } from '../../controller/core/events.ts';

export interface Acknowledged {
  /** Tickets a dispenser was told were issued: ticket id → label. */
  tickets: Map<string, string>;
  /** Ratings a keypad was told were recorded: ticket id → level. */
  ratings: Map<string, number>;
  /** Calls a call pad was told were made: ticket ids. */
  calls: Set<string>;
}

export interface AuditFinding {
  ticketId: string;
  problem: string;
}

export interface AuditResult {
  events: number;
  seqGaps: number;
  ticketsIssued: number;
  /** Acknowledged tickets missing from the journal. */
  ticketsLost: string[];
  /** Ticket ids issued more than once. */
  ticketsReissued: string[];
  /** Labels given to two tickets of one day. */
  labelsRepeated: string[];
  callsLost: string[];
  ratingsLost: string[];
  /** A rating acknowledged with one level and journaled with another. */
  ratingsChanged: string[];
  ratingsDoubled: string[];
  /** Events that do not follow a ticket's allowed life. */
  inconsistent: AuditFinding[];
  /** Tickets by how their life ended (or 'open' when the journal ends first). */
  outcomes: Record<string, number>;
}

type Life = {
  status: 'waiting' | 'called' | 'serving' | 'done' | 'closed';
  outcome: string;
  rated: boolean;
};

export function auditJournal(events: readonly QueueEvent[], acked: Acknowledged): AuditResult {
  const lives = new Map<string, Life>();
  const labels = new Map<string, string>();
  const result: AuditResult = {
    events: events.length,
    seqGaps: 0,
    ticketsIssued: 0,
    ticketsLost: [],
    ticketsReissued: [],
    labelsRepeated: [],
    callsLost: [],
    ratingsLost: [],
    ratingsChanged: [],
    ratingsDoubled: [],
    inconsistent: [],
    outcomes: {},
  };
  const called = new Set<string>();
  const rated = new Map<string, number>();
  const bad = (ticketId: string, problem: string) => result.inconsistent.push({ ticketId, problem });
  const life = (e: QueueEvent & { ticketId: string }): Life | null => {
    const l = lives.get(e.ticketId);
    if (!l) bad(e.ticketId, `${e.type} (seq ${e.seq}) of a ticket never issued`);
    return l ?? null;
  };
  const expect = (e: QueueEvent & { ticketId: string }, l: Life, allowed: Life['status'][]) => {
    if (!allowed.includes(l.status)) bad(e.ticketId, `${e.type} (seq ${e.seq}) while ${l.status}`);
  };
  let previousSeq: number | null = null;
  for (const e of events) {
    if (previousSeq !== null && e.seq !== previousSeq + 1) result.seqGaps++;
    previousSeq = e.seq;
    switch (e.type) {
      case 'ticketIssued': {
        result.ticketsIssued++;
        if (lives.has(e.ticket.id)) result.ticketsReissued.push(e.ticket.id);
        lives.set(e.ticket.id, { status: 'waiting', outcome: 'open', rated: false });
        const key = `${e.ticket.day} ${e.ticket.label}`;
        const holder = labels.get(key);
        if (holder && holder !== e.ticket.id) result.labelsRepeated.push(key);
        labels.set(key, e.ticket.id);
        break;
      }
      case 'ticketCalled':
      case 'ticketRecalled': {
        const l = life(e);
        if (!l) break;
        expect(e, l, e.type === 'ticketCalled' ? ['waiting'] : ['called', 'waiting']);
        l.status = 'called';
        called.add(e.ticketId);
        break;
      }
      case 'ticketSkipped':
      case 'ticketReturned': {
        const l = life(e);
        if (!l) break;
        expect(e, l, e.type === 'ticketSkipped' ? ['called'] : ['waiting', 'called']);
        l.status = 'waiting';
        break;
      }
      case 'serviceStarted': {
        const l = life(e);
        if (!l) break;
        expect(e, l, ['called']);
        l.status = 'serving';
        break;
      }
      case 'serviceFinished': {
        const l = life(e);
        if (!l) break;
        expect(e, l, ['called', 'serving']);
        l.status = 'done';
        l.outcome = 'served';
        break;
      }
      case 'ticketTransferred': {
        const l = life(e);
        if (!l) break;
        expect(e, l, ['called', 'serving']);
        l.status = 'waiting';
        break;
      }
      case 'ticketNoShow':
      case 'ticketCancelled': {
        const l = life(e);
        if (!l) break;
        expect(e, l, ['waiting', 'called']);
        l.status = 'closed';
        l.outcome = e.type === 'ticketNoShow' ? 'noShow' : 'cancelled';
        break;
      }
      case 'visitRated': {
        const l = life(e);
        if (!l) break;
        if (l.rated || rated.has(e.ticketId)) result.ratingsDoubled.push(e.ticketId);
        expect(e, l, ['done']);
        l.rated = true;
        rated.set(e.ticketId, e.level);
        break;
      }
      case 'dayStarted': {
        for (const id of e.expiredTicketIds) {
          const l = lives.get(id);
          if (!l) continue;
          if (l.status === 'done' || l.status === 'closed')
            bad(id, `expired (seq ${e.seq}) after it was ${l.outcome}`);
          l.status = 'closed';
          l.outcome = 'expired';
        }
        for (const id of e.carriedTicketIds) {
          const l = lives.get(id);
          if (l) l.status = 'waiting';
        }
        break;
      }
      default:
        break;
    }
  }
  for (const [id] of acked.tickets) if (!lives.has(id)) result.ticketsLost.push(id);
  for (const id of acked.calls) if (!called.has(id)) result.callsLost.push(id);
  for (const [id, level] of acked.ratings) {
    const journaled = rated.get(id);
    if (journaled === undefined) result.ratingsLost.push(id);
    else if (journaled !== level) result.ratingsChanged.push(id);
  }
  for (const l of lives.values()) {
    const outcome = l.outcome === 'served' && l.rated ? 'served, rated' : l.outcome;
    result.outcomes[outcome] = (result.outcomes[outcome] ?? 0) + 1;
  }
  return result;
}

/** Whether anything acknowledged was lost, doubled or changed, or a ticket's life is broken. */
export function auditFailed(r: AuditResult): boolean {
  return (
    r.seqGaps > 0 ||
    r.ticketsLost.length > 0 ||
    r.ticketsReissued.length > 0 ||
    r.labelsRepeated.length > 0 ||
    r.callsLost.length > 0 ||
    r.ratingsLost.length > 0 ||
    r.ratingsChanged.length > 0 ||
    r.ratingsDoubled.length > 0 ||
    r.inconsistent.length > 0
  );
}
