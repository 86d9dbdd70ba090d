/**
 * Visit records, derived from the journal's events by a pure fold: the one definition of a visit
 * that the upstream publisher and the centre's reports both use.
 *
 * A record is made when a visit ends: served, no-show, transferred on (one record per leg),
 * cancelled, or expired at the day's end. A served visit may still be rated at its counter's
 * keypad for `ratings.windowMinutes`, so its record is held until it is rated, another visit
 * finishes at that counter (only the last one can be rated), or the window has passed. Records
 * come out in the order of the journal event that ended them (`seq`), so re-deriving them from the
 * same journal always gives the same records, with the same ids, in the same order.
 *
 * Pure: no I/O, time passed in. The state is small (open visits only) and plain JSON, so the
 * publisher can keep it beside its cursor and resume without reading the journal from the start.
 */
import type { VisitOutcome, VisitRecord } from '../../upstream/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import { type QueueEvent, ratingSource } from '../core/events.ts';

const MIN = 60_000;
/**
 * A rating decided just before its window closed may still be on its way to the journal (fsync):
 * on the wall clock a record is taken as final only this long after its window.
 */
export const RATING_SEAL_MARGIN_MS = 60_000;

/** An open leg of a visit: what its record needs, nothing personal. */
interface OpenVisit {
  ticketId: string;
  leg: number;
  serviceId: string;
  priorityClassId: string | null;
  appointment: boolean;
  source: VisitRecord['source'];
  issuedAt: number;
  queuedAt: number;
  calledAt: number | null;
  startedAt: number | null;
  counterId: string | null;
  staffId: string | null;
  recalls: number;
  skips: number;
  fromServiceId: string | null;
}

/** A record made but not yet final: a served visit that may still be rated. */
interface Pending {
  record: VisitRecord;
  /** Until when a rating may still come (null: final). */
  ratingDeadline: number | null;
}

export interface VisitLedgerState {
  version: 1;
  /** Seq of the last event folded in. */
  seq: number;
  day: string;
  open: Record<string, OpenVisit>;
  pending: Pending[];
}

export interface VisitLedgerContext {
  centreId: string;
  provinceId: string;
  /** The staff member's pseudonym, stable within the centre (a keyed hash, never the name). */
  pseudonym: (staffId: string) => string;
  /** Read at every use, so a changed rating window or scale applies from then on. */
  config: () => Pick<CentreConfig, 'ratings'>;
}

export class VisitLedger {
  #state: VisitLedgerState;
  readonly #ctx: VisitLedgerContext;

  constructor(ctx: VisitLedgerContext, state?: VisitLedgerState) {
    this.#ctx = ctx;
    this.#state = state ? structuredClone(state) : { version: 1, seq: 0, day: '', open: {}, pending: [] };
  }

  /** Seq of the last event folded in (0 before any). */
  get seq(): number {
    return this.#state.seq;
  }

  /** The service day of the last `dayStarted` folded in ('' before any). */
  get day(): string {
    return this.#state.day;
  }

  /** Records made and waiting for a possible rating. */
  get pendingCount(): number {
    return this.#state.pending.length;
  }

  /** A copy of the state, to checkpoint beside a cursor. */
  snapshot(): VisitLedgerState {
    return structuredClone(this.#state);
  }

  /** Folds one journal event in. Events must come in seq order; an older one is ignored. */
  apply(event: QueueEvent): void {
    const s = this.#state;
    if (event.seq <= s.seq) return;
    s.seq = event.seq;
    this.#sealByTime(event.at);
    const at = event.at;
    switch (event.type) {
      case 'dayStarted': {
        for (const id of event.expiredTicketIds) this.#end(id, 'expired', event, null);
        for (const id of event.carriedTicketIds) {
          const v = s.open[id];
          if (!v) continue;
          // Carried into a new day: waiting again from its start, as the engine does.
          Object.assign(v, { queuedAt: at, calledAt: null, startedAt: null, counterId: null });
        }
        s.day = event.day;
        return;
      }
      case 'ticketIssued': {
        const t = event.ticket;
        s.open[t.id] = {
          ticketId: t.id,
          leg: 0,
          serviceId: t.serviceId,
          priorityClassId: t.priorityClassId ?? null,
          appointment: t.appointment !== undefined,
          source: t.source,
          issuedAt: t.issuedAt,
          queuedAt: t.arrivedAt,
          calledAt: null,
          startedAt: null,
          counterId: null,
          staffId: null,
          recalls: 0,
          skips: 0,
          fromServiceId: null,
        };
        return;
      }
      case 'ticketCalled': {
        const v = s.open[event.ticketId];
        if (!v) return;
        v.calledAt ??= at;
        v.counterId = event.counterId;
        v.staffId = event.staffId;
        return;
      }
      case 'ticketRecalled': {
        const v = s.open[event.ticketId];
        if (v) v.recalls++;
        return;
      }
      case 'ticketSkipped': {
        const v = s.open[event.ticketId];
        if (!v) return;
        v.skips++;
        if (event.returnBy === null) this.#end(event.ticketId, 'noShow', event, null);
        return;
      }
      case 'ticketNoShow':
        this.#end(event.ticketId, 'noShow', event, null);
        return;
      case 'serviceStarted': {
        const v = s.open[event.ticketId];
        if (v) v.startedAt = at;
        return;
      }
      case 'serviceFinished': {
        const v = s.open[event.ticketId];
        if (!v) return;
        v.staffId = event.staffId;
        v.counterId = event.counterId;
        // Only the visit finished last at a counter can be rated: the one before it is final now.
        for (const p of s.pending)
          if (p.ratingDeadline !== null && p.record.counterId === event.counterId) p.ratingDeadline = null;
        this.#end(event.ticketId, 'served', event, null);
        return;
      }
      case 'ticketTransferred': {
        const v = s.open[event.ticketId];
        if (!v) return;
        this.#end(event.ticketId, 'transferred', event, event.serviceId);
        s.open[event.ticketId] = {
          ...v,
          leg: v.leg + 1,
          serviceId: event.serviceId,
          queuedAt: at,
          calledAt: null,
          startedAt: null,
          counterId: null,
          staffId: null,
          recalls: 0,
          skips: 0,
          fromServiceId: v.serviceId,
        };
        return;
      }
      case 'ticketCancelled':
        this.#end(event.ticketId, 'cancelled', event, null);
        return;
      case 'visitRated': {
        const p = s.pending.find(
          (x) => x.record.ticketId === event.ticketId && x.record.outcome === 'served',
        );
        if (!p || p.record.rating) return;
        // A paper form entered by staff is not the citizen's own electronic rating: the record (what
        // the province receives) stays unrated, and final, since nothing else may rate it now. The
        // centre's reports count paper ratings apart, from the journal (report-source.ts).
        if (ratingSource(event) === 'paper') {
          p.ratingDeadline = null;
          return;
        }
        const scaleSize = this.#ctx.config().ratings.scale.length;
        p.record.rating = { level: event.level, scaleSize, notSatisfied: event.notSatisfied };
        p.record.outcome766 = event.notSatisfied ? 'notSatisfied' : 'satisfied';
        p.ratingDeadline = null;
        return;
      }
      default:
        return;
    }
  }

  /**
   * The records that are final by `now`, oldest first, removed from the ledger. A record waits
   * for every record before it, so they always come out in seq order.
   */
  take(now: number): VisitRecord[] {
    this.#sealByTime(now - RATING_SEAL_MARGIN_MS);
    const out: VisitRecord[] = [];
    const pending = this.#state.pending;
    let i = 0;
    while (i < pending.length && (pending[i] as Pending).ratingDeadline === null) {
      out.push((pending[i] as Pending).record);
      i++;
    }
    if (i) pending.splice(0, i);
    return out;
  }

  /** Every record made so far, final or not (reports of today show visits before their window ends). */
  peek(): VisitRecord[] {
    return this.#state.pending.map((p) => p.record);
  }

  #sealByTime(now: number): void {
    for (const p of this.#state.pending)
      if (p.ratingDeadline !== null && now > p.ratingDeadline) p.ratingDeadline = null;
  }

  #end(ticketId: string, outcome: VisitOutcome, event: QueueEvent, toServiceId: string | null): void {
    const s = this.#state;
    const v = s.open[ticketId];
    if (!v) return;
    delete s.open[ticketId];
    const endedAt = event.at;
    const served = outcome === 'served';
    const serviceFrom = v.startedAt ?? v.calledAt;
    const record: VisitRecord = {
      kind: 'visit',
      v: 1,
      centreId: this.#ctx.centreId,
      provinceId: this.#ctx.provinceId,
      id: `${this.#ctx.centreId}/${v.ticketId}/${v.leg}`,
      seq: event.seq,
      day: s.day,
      ticketId: v.ticketId,
      leg: v.leg,
      serviceId: v.serviceId,
      priorityClassId: v.priorityClassId,
      appointment: v.appointment,
      source: v.source,
      issuedAt: v.issuedAt,
      queuedAt: v.queuedAt,
      calledAt: v.calledAt,
      startedAt: v.startedAt,
      endedAt,
      waitSeconds: v.calledAt === null ? null : Math.max(0, v.calledAt - v.queuedAt) / 1000,
      serviceSeconds: served && serviceFrom !== null ? Math.max(0, endedAt - serviceFrom) / 1000 : null,
      counterId: v.counterId,
      staff: v.staffId ? this.#ctx.pseudonym(v.staffId) : null,
      recalls: v.recalls,
      skips: v.skips,
      rating: null,
      outcome766: served ? 'notRated' : 'notCounted',
      transfer: { fromServiceId: v.fromServiceId, toServiceId },
      outcome,
    };
    const windowMs = this.#ctx.config().ratings.windowMinutes * MIN;
    s.pending.push({ record, ratingDeadline: served ? endedAt + windowMs : null });
  }
}

/** Every record a sequence of journal events yields, all final (the re-derivation used by tests and tools). */
export function deriveVisitRecords(ctx: VisitLedgerContext, events: Iterable<QueueEvent>): VisitRecord[] {
  const ledger = new VisitLedger(ctx);
  const out: VisitRecord[] = [];
  for (const e of events) {
    ledger.apply(e);
    out.push(...ledger.take(e.at));
  }
  out.push(...ledger.take(Number.POSITIVE_INFINITY));
  return out;
}
