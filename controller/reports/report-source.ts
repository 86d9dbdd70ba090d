/**
 * The centre's reports from the journal on disk: reads the events once, folds them into visit
 * records (VisitLedger, the same records that go upstream) and counter time (CounterTimeLedger),
 * keeps what belongs to the period's days, and builds the report. Records of today that are not
 * final yet (a served visit whose rating window is still open) are included from `ledger.peek()`.
 *
 * The journal is append-only, so the fold at each `dayStarted` never changes: it is remembered
 * (the ledger's small JSON state), and a later report starts reading at the first day it needs
 * instead of at the beginning of the journal.
 */
import type { VisitRecord } from '../../upstream/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import { type QueueEvent, ratingSource } from '../core/events.ts';
import { serviceDay } from '../core/service-day.ts';
import { readEventsAfter } from '../journal/journal-reader.ts';
import { listSegments, readSegment } from '../journal/segment-files.ts';
import { parseSegment } from '../journal/segment-reader.ts';
import { VisitLedger, type VisitLedgerState } from '../visits/visit-ledger.ts';
import { CounterTimeLedger } from './counter-time.ts';
import { daysSoFar, PrunedPeriodError, type ReportPeriod } from './period.ts';
import { type PaperRating, type PeriodReport, periodReport } from './period-report.ts';

export interface ReportSourceOptions {
  /** DATA_DIR/journal. */
  journalDir: string;
  config: () => CentreConfig;
  /** The staff pseudonym of the records sent upstream (CitizenKeys.staffPseudonym). */
  pseudonym: (staffId: string) => string;
  /** In the records only; no figure depends on it. */
  provinceId?: string;
  clock?: () => number;
}

/** The fold just after a day's `dayStarted`: where a later report may start reading. */
interface DayCheckpoint {
  day: string;
  event: QueueEvent;
  ledger: VisitLedgerState;
}

export interface PeriodData {
  records: VisitRecord[];
  provisional: number;
  times: ReturnType<CounterTimeLedger['days']>;
  /** Journal events read to build it. */
  eventsRead: number;
  /** Ratings from paper forms by ticket id (not in the records: those carry the citizen's own only). */
  paper: Map<string, PaperRating>;
}

export class ReportSource {
  readonly #opts: ReportSourceOptions;
  readonly #checkpoints: DayCheckpoint[] = [];
  /** Every dayStarted up to this seq is in #checkpoints. */
  #indexedThrough = 0;
  /** The first event the journal still holds, once retention deleted its beginning. */
  #earliest: { file: string; day: string; seq: number; at: number } | null = null;

  constructor(options: ReportSourceOptions) {
    this.#opts = options;
  }

  /** The report of a period; a period not begun yet is a PeriodError. */
  async report(period: ReportPeriod): Promise<PeriodReport> {
    const config = this.#opts.config();
    const now = (this.#opts.clock ?? Date.now)();
    const days = daysSoFar(period, serviceDay(now, config.centre.timezone));
    const kept = await this.earliestKeptDay();
    if (kept !== null && period.firstDay < kept) {
      throw new PrunedPeriodError(
        `the journal keeps the days from ${kept} on (retention.journalKeepDays = ${config.retention.journalKeepDays}); ${period.id} begins before`,
      );
    }
    const data = await this.load(days, now);
    // Staff who signed in during the period are known by id even if since removed from the configuration.
    const ids = new Set(config.staff.map((s) => s.id));
    for (const t of data.times.values()) for (const id of Object.keys(t.staff)) ids.add(id);
    const staffByPseudonym = new Map([...ids].map((id) => [this.#opts.pseudonym(id), id]));
    return periodReport({
      config,
      period,
      days,
      records: data.records,
      provisional: data.provisional,
      times: data.times,
      paperRatings: data.paper,
      staffByPseudonym,
      generatedAt: now,
    });
  }

  /** The visit records and counter time of the given days (in order), read from the journal. */
  async load(days: readonly string[], now: number): Promise<PeriodData> {
    const first = days[0];
    const last = days.at(-1);
    if (first === undefined || last === undefined) throw new Error('no days to load');
    const config = this.#opts.config;
    const ctx = {
      centreId: config().centre.id,
      provinceId: this.#opts.provinceId ?? 'local',
      pseudonym: this.#opts.pseudonym,
      config,
    };
    const wanted = new Set(days);
    const start = this.#startFor(first) ?? this.#prunedStart();
    const ledger = new VisitLedger(ctx, start?.ledger);
    const time = new CounterTimeLedger(config().centre.timezone);
    if (start) time.apply(start.event);
    const records: VisitRecord[] = [];
    const paper = new Map<string, PaperRating>();
    const keep = (rs: VisitRecord[]) => {
      for (const r of rs) if (wanted.has(r.day)) records.push(r);
    };
    let eventsRead = 0;
    let past = false;
    read: for await (const batch of readEventsAfter<QueueEvent>(
      this.#opts.journalDir,
      start?.event.seq ?? 0,
    )) {
      for (const e of batch) {
        eventsRead++;
        if (e.type === 'dayStarted' && e.day > last) past = true;
        ledger.apply(e);
        if (!past) time.apply(e);
        if (e.type === 'visitRated' && ratingSource(e) === 'paper' && !paper.has(e.ticketId)) {
          paper.set(e.ticketId, { counterId: e.counterId, level: e.level, notSatisfied: e.notSatisfied });
        }
        if (e.type === 'dayStarted') this.#remember(e, ledger);
        keep(ledger.take(e.at));
        // Past the period: stop once no record of it waits for a rating any more.
        if (past && !ledger.peek().some((r) => r.day <= last)) break read;
      }
    }
    keep(ledger.take(now));
    const before = records.length;
    keep(ledger.peek());
    return { records, provisional: records.length - before, times: time.days(now), eventsRead, paper };
  }

  /**
   * The first whole day the journal still holds, or null when it holds every day from the first:
   * retention deletes whole days up to a snapshot, so the day of the first event kept is whole.
   */
  async earliestKeptDay(): Promise<string | null> {
    const first = (await listSegments(this.#opts.journalDir))[0];
    if (!first || first.firstSeq <= 1) return null;
    if (this.#earliest?.file !== first.file) {
      const parsed = parseSegment<QueueEvent>(await readSegment(first), first.file, true);
      const at = parsed.events[0]?.at;
      if (at === undefined) return null;
      const day = serviceDay(at, this.#opts.config().centre.timezone);
      this.#earliest = { file: first.file, day, seq: first.firstSeq, at };
      // A remembered day whose fold starts in deleted segments can no longer be read on from.
      const lost = this.#checkpoints.findIndex((c) => c.event.seq >= first.firstSeq - 1);
      this.#checkpoints.splice(0, lost === -1 ? this.#checkpoints.length : lost);
    }
    return this.#earliest.day;
  }

  /**
   * Where a read starts when retention deleted the journal's beginning: the deleted `dayStarted` of
   * the first day kept (it opened no visit: every one still open was closed or carried by it).
   */
  #prunedStart(): DayCheckpoint | undefined {
    const kept = this.#earliest;
    if (!kept) return undefined;
    const event: QueueEvent = {
      type: 'dayStarted',
      seq: kept.seq - 1,
      at: kept.at,
      day: kept.day,
      expiredTicketIds: [],
      carriedTicketIds: [],
      lastNumber: {},
    };
    const ledger = new VisitLedger({
      centreId: '',
      provinceId: '',
      pseudonym: this.#opts.pseudonym,
      config: this.#opts.config,
    });
    ledger.apply(event);
    return { day: kept.day, event, ledger: ledger.snapshot() };
  }

  #startFor(firstDay: string): DayCheckpoint | undefined {
    // The first remembered day at or after firstDay (no day between is missing: the index has every
    // dayStarted up to its last); else the last one before it, reading on from there.
    let before: DayCheckpoint | undefined;
    for (const c of this.#checkpoints) {
      if (c.day >= firstDay) return c;
      before = c;
    }
    return before;
  }

  #remember(e: Extract<QueueEvent, { type: 'dayStarted' }>, ledger: VisitLedger): void {
    // Every read starts at a remembered day (or the journal's start) and reads on from there, so
    // the days it meets after the last remembered one extend the index without a gap.
    if (e.seq <= this.#indexedThrough) return;
    this.#checkpoints.push({ day: e.day, event: e, ledger: ledger.snapshot() });
    this.#indexedThrough = e.seq;
  }
}
