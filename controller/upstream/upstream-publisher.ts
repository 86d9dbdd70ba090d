/**
 * The upstream publisher: reports the centre to its province over MQTT (docs/upstream.md).
 *
 * Store and forward without a copy: the journal is the store. The publisher folds journal events
 * into a VisitLedger, sends each visit record QoS 1 in seq order, and keeps a durable cursor
 * (cursor-file.ts) of the acknowledged prefix together with the ledger's checkpoint there. After a
 * link outage or a crash it resumes from the cursor by reading the journal from disk
 * (`readEventsAfter`), then follows the live events of the bus; events on the bus carry their seq, so
 * the hand-over has neither gap nor duplicate. A few records may be sent twice after a crash: the
 * receiver keeps one per message id.
 *
 * Beside the records: a live snapshot (on change, coalesced, and at least every
 * `liveIntervalSeconds`), each day's summary once its records are all taken (again, with the next
 * revision, if it changes), and the birth/death `status` pair with the last will.
 *
 * The hall never waits for any of this: nothing here is on the command path, and a broker that is
 * unreachable, refuses the credentials or goes away is logged once per change and shown in the
 * status, nothing more.
 */
import { createHash } from 'node:crypto';
import { copyFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CentreStatus, LiveSnapshot, VisitRecord } from '../../upstream/protocol/messages.ts';
import { upstreamTopic } from '../../upstream/protocol/topics.ts';
import type { CentreConfig, UpstreamConfig } from '../centre/schema.ts';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceHealth } from '../device-service/device-registry.ts';
import type { EventBus } from '../event-bus.ts';
import { listSegments, readEventsAfter } from '../journal/journal-reader.ts';
import type { Logger } from '../logger.ts';
import type { DashboardAlert } from '../reports/alerts.ts';
import { dailySummary } from '../visits/daily-summary.ts';
import { VisitLedger, type VisitLedgerContext, type VisitLedgerState } from '../visits/visit-ledger.ts';
import { CURSOR_FILE, type Cursor, CursorFile } from './cursor-file.ts';
import { liveSnapshot as buildLiveSnapshot } from './live-snapshot.ts';
import type { LinkStatus, UpstreamTransport } from './mqtt-transport.ts';
import { Outbox } from './outbox.ts';
import { redact } from './redact-url.ts';

/** Records taken between two cursor checkpoints at most (what a crash may send twice). */
const CHECKPOINT_EVERY_RECORDS = 100;
/** Records derived and not yet acknowledged, at most in memory: beyond, the journal waits on disk. */
const HIGH_WATER = 5_000;
/** Live events buffered while catching up from disk, at most (beyond, they are read from disk). */
const BUFFER_LIMIT = 20_000;
/** An acknowledgement not received this long after a send, while connected: sent again. */
const ACK_TIMEOUT_MS = 30_000;
const TICK_MS = 1_000;
/** Journal events folded between two turns of the event loop while catching up. */
const FOLD_SLICE = 200;
/** How often the journal's size after the cursor is measured. */
const DISK_CHECK_MS = 30_000;

export interface UpstreamPublisherOptions {
  /** The broker (for the status; the transport connects to it). */
  url: string;
  config: () => CentreConfig;
  dataDir: string;
  journalDir: string;
  bus: EventBus;
  queue: { readonly state: Readonly<QueueState> };
  devices: () => readonly Pick<DeviceHealth, 'online'>[];
  /** The staff member's pseudonym upstream (CitizenKeys.staffPseudonym). */
  pseudonym: (staffId: string) => string;
  transport: UpstreamTransport;
  logger: Logger;
  clock?: () => number;
  /** Sent in the birth message. */
  software?: string | null;
}

/** What managers, /healthz and the API see. */
export interface UpstreamStatus {
  configured: true;
  broker: string;
  provinceId: string;
  topicRoot: string;
  connected: boolean;
  link: LinkStatus;
  backlog: {
    /** Visit records derived and not yet acknowledged. */
    records: number;
    /** The end of the oldest of them. */
    oldestEndedAt: number | null;
    /** Seq of the last visit record the broker acknowledged. */
    lastAckedSeq: number;
    /** Journal events not yet read by the publisher (more records may come from them). */
    eventsBehind: number;
    /** Journal bytes kept for the province (from the oldest segment still needed). */
    journalBytes: number;
  };
  /** The cursor's journal seq (every event up to it is reported and acknowledged). */
  cursorSeq: number;
  lastAckAt: number | null;
  lastLiveAt: number | null;
  alerts: DashboardAlert[];
}

export type UpstreamState = UpstreamStatus | { configured: false; reason: string };

export class UpstreamPublisher {
  readonly #o: UpstreamPublisherOptions;
  readonly #up: UpstreamConfig;
  readonly #clock: () => number;
  readonly #cursorFile: CursorFile;
  readonly #ctx: VisitLedgerContext;
  #ledger: VisitLedger;
  #outbox: Outbox<Cursor>;
  #running = false;
  /** Live events from the bus not yet folded (seq order). */
  #buffer: QueueEvent[] = [];
  #disk: { iter: AsyncGenerator<QueueEvent[]>; chunk: QueueEvent[]; idx: number } | null = null;
  /** Folding the bus's events as they come (caught up with the journal). */
  #live = false;
  #pumping = false;
  #again = false;
  #readProblem: string | null = null;
  /** The ledger at the start of each day not yet summarized, and the earliest of them. */
  #dayStarts = new Map<string, VisitLedgerState>();
  #summaryFrom: VisitLedgerState;
  /** Records of the days not yet summarized. */
  #dayRecords = new Map<string, VisitRecord[]>();
  /** Days ended (the next one started) whose summary is not yet made. */
  #closing = new Set<string>();
  #daily: Cursor['daily'] = {};
  #sinceCheckpoint = 0;
  #checkpointSeq = 0;
  /** The cursor last written (what a restart resumes from). */
  #committed: Cursor | null = null;
  #writing: Promise<void> = Promise.resolve();
  #toWrite: Cursor | null = null;
  #timers: NodeJS.Timeout[] = [];
  #liveTimer: NodeJS.Timeout | null = null;
  #liveInFlight = false;
  #liveDirty = false;
  #lastLiveAt: number | null = null;
  #lastAckAt: number | null = null;
  #journalBytes = 0;
  #diskCheckedAt = 0;
  #startedAt = 0;
  #raised = new Set<string>();
  #stopped: Promise<void> | null = null;

  constructor(options: UpstreamPublisherOptions) {
    const up = options.config().upstream;
    if (!up) throw new Error('the centre configuration has no upstream block');
    this.#o = options;
    this.#up = up;
    this.#clock = options.clock ?? Date.now;
    this.#cursorFile = new CursorFile(join(options.dataDir, CURSOR_FILE));
    this.#ctx = {
      centreId: options.config().centre.id,
      provinceId: up.provinceId,
      pseudonym: options.pseudonym,
      config: () => options.config(),
    };
    this.#ledger = new VisitLedger(this.#ctx);
    this.#summaryFrom = this.#ledger.snapshot();
    this.#outbox = new Outbox({ maxInFlight: up.maxInFlight, ratePerSecond: up.backlogRatePerSecond });
  }

  get #centreId(): string {
    return this.#ctx.centreId;
  }

  #topic(kind: 'status' | 'visit' | 'live' | 'daily', day?: string): string {
    return upstreamTopic(this.#up.topicPrefix, this.#up.provinceId, this.#centreId, kind, day);
  }

  async start(): Promise<void> {
    const log = this.#o.logger;
    this.#startedAt = this.#clock();
    await this.#resume();
    this.#running = true;
    this.#o.bus.onQueueEvents(this, (events) => this.#onEvents(events));
    this.#o.bus.onDeviceHealth(this, () => this.#liveChanged());
    const software = this.#o.software ?? (await softwareVersion());
    this.#o.transport.start(
      {
        topic: this.#topic('status'),
        payload: JSON.stringify(this.#statusMessage('offline', null, software)),
      },
      {
        onConnect: () => {
          // Birth first, retained; then whatever waits, and a fresh snapshot.
          const birth = this.#statusMessage('online', this.#startedAt, software);
          this.#o.transport
            .publish(this.#topic('status'), JSON.stringify(birth), true)
            .catch(() => undefined);
          // mqtt.js sends again what was in flight when the link went: give it time before we do.
          this.#outbox.touchInFlight(this.#clock());
          this.#liveChanged(true);
          this.#kick();
        },
        onDown: () => undefined,
      },
    );
    this.#software = software;
    this.#timers.push(setInterval(() => this.#tick(), TICK_MS));
    this.#timers.push(setInterval(() => this.#liveChanged(true), this.#up.liveIntervalSeconds * 1000));
    for (const t of this.#timers) t.unref();
    log.info(
      { broker: redact(this.#o.url), topic: this.#topic('visit'), cursorSeq: this.#ledger.seq },
      'upstream: reporting to the province',
    );
    this.#kick();
  }

  #software: string | null = null;

  stop(): Promise<void> {
    this.#stopped ??= this.#stopOnce();
    return this.#stopped;
  }

  async #stopOnce(): Promise<void> {
    this.#running = false;
    this.#o.bus.removeListeners(this);
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
    if (this.#rateTimer) clearTimeout(this.#rateTimer);
    await this.#o.transport.stop({
      topic: this.#topic('status'),
      payload: JSON.stringify(this.#statusMessage('offline', this.#startedAt, this.#software)),
    });
    await this.#writing;
  }

  /** The first journal seq still needed upstream: segments wholly before it may be pruned, no others. */
  oldestSeqStillNeeded(): number {
    return (this.#committed?.summaryFrom.seq ?? 0) + 1;
  }

  status(): UpstreamStatus {
    const now = this.#clock();
    const link = this.#o.transport.status;
    return {
      configured: true,
      broker: redact(this.#o.url),
      provinceId: this.#up.provinceId,
      topicRoot: this.#topic('status').replace(/\/status$/, ''),
      connected: link.state === 'connected',
      link,
      backlog: this.#backlog(),
      cursorSeq: this.#committed?.ledger.seq ?? 0,
      lastAckAt: this.#lastAckAt,
      lastLiveAt: this.#lastLiveAt,
      alerts: this.#alerts(now),
    };
  }

  #backlog(): UpstreamStatus['backlog'] {
    return {
      records: this.#outbox.records + this.#ledger.pendingCount,
      oldestEndedAt: this.#oldestUnsent(),
      lastAckedSeq: this.#outbox.ackedSeq,
      eventsBehind: Math.max(0, this.#o.queue.state.seq - this.#ledger.seq),
      journalBytes: this.#journalBytes,
    };
  }

  #oldestUnsent(): number | null {
    const inOutbox = this.#outbox.oldestEndedAt;
    if (inOutbox !== null) return inOutbox;
    return this.#ledger.peek()[0]?.endedAt ?? null;
  }

  #alerts(now: number): DashboardAlert[] {
    const out: DashboardAlert[] = [];
    // Records still waiting for their rating window are not late: only those ready to go count.
    const oldest = this.#outbox.oldestEndedAt;
    const ageLimit = this.#up.backlogAlertMinutes * 60_000;
    if (oldest !== null && now - oldest > ageLimit) {
      const minutes = Math.floor((now - oldest) / 60_000);
      out.push({
        id: 'upstream:backlogAge',
        kind: 'upstream',
        deviceKind: null,
        severity: now - oldest > 2 * ageLimit ? 'critical' : 'warning',
        since: oldest + ageLimit,
        subject: {},
        message: `Báo cáo lên tỉnh: ${this.#outbox.records} lượt chưa gửi được, cũ nhất ${minutes} phút (ngưỡng ${this.#up.backlogAlertMinutes} phút)`,
        messageEn: `Upstream reporting: ${this.#outbox.records} visit records not yet sent, oldest ${minutes} min (limit ${this.#up.backlogAlertMinutes} min)`,
      });
    }
    const mb = this.#journalBytes / 1_048_576;
    if (mb > this.#up.backlogAlertMegabytes) {
      out.push({
        id: 'upstream:backlogDisk',
        kind: 'upstream',
        deviceKind: null,
        severity: mb > 2 * this.#up.backlogAlertMegabytes ? 'critical' : 'warning',
        since: this.#diskCheckedAt,
        subject: {},
        message: `Báo cáo lên tỉnh: nhật ký giữ lại chờ gửi đã ${mb.toFixed(0)} MB (ngưỡng ${this.#up.backlogAlertMegabytes} MB)`,
        messageEn: `Upstream reporting: the journal kept for the province is ${mb.toFixed(0)} MB (limit ${this.#up.backlogAlertMegabytes} MB)`,
      });
    }
    return out;
  }

  // ── resuming ────────────────────────────────────────────────────────────────────────────────

  async #resume(): Promise<void> {
    const log = this.#o.logger;
    const loaded = await this.#cursorFile.load(this.#centreId, this.#up.provinceId);
    if (loaded.kind === 'corrupt' || loaded.kind === 'otherCentre') {
      const aside = `${join(this.#o.dataDir, CURSOR_FILE)}.${loaded.kind}-${this.#clock()}`;
      await copyFile(join(this.#o.dataDir, CURSOR_FILE), aside).catch(() => undefined);
      log.warn(
        { reason: loaded.reason, keptAs: aside },
        'upstream: the cursor file cannot be used; reporting again from the start of the journal (the province keeps one copy of each record)',
      );
    }
    if (loaded.kind !== 'found') return;
    const cursor = loaded.cursor;
    this.#committed = cursor;
    this.#daily = { ...cursor.daily };
    this.#ledger = new VisitLedger(this.#ctx, cursor.ledger);
    this.#summaryFrom = cursor.summaryFrom;
    this.#checkpointSeq = cursor.ledger.seq;
    this.#outbox = new Outbox(
      { maxInFlight: this.#up.maxInFlight, ratePerSecond: this.#up.backlogRatePerSecond },
      cursor.ackedSeq,
    );
    // The days not yet summarized: their records sent before the cursor, re-derived from the journal.
    const stillPending = new Set(this.#ledger.peek().map((r) => r.id));
    const replay = new VisitLedger(this.#ctx, cursor.summaryFrom);
    const keep = (records: VisitRecord[]) => {
      for (const r of records) if (!stillPending.has(r.id)) this.#remember(r);
    };
    for await (const chunk of readEventsAfter<QueueEvent>(
      this.#o.journalDir,
      cursor.summaryFrom.seq,
      cursor.ledger.seq,
    )) {
      for (const e of chunk) {
        const before = replay.day;
        replay.apply(e);
        if (e.type === 'dayStarted') {
          if (before) this.#closing.add(before);
          this.#dayStarts.set(e.day, replay.snapshot());
        }
        keep(replay.take(e.at));
      }
    }
    keep(replay.take(Number.POSITIVE_INFINITY));
    log.info(
      { cursorSeq: cursor.ledger.seq, ackedSeq: cursor.ackedSeq, summaryFromSeq: cursor.summaryFrom.seq },
      'upstream: resuming from the cursor',
    );
  }

  // ── following the journal ───────────────────────────────────────────────────────────────────

  #onEvents(events: QueueEvent[]): void {
    if (this.#buffer.length + events.length > BUFFER_LIMIT) {
      // Too far behind to hold them: read them from disk when there is room.
      this.#buffer = [];
      this.#live = false;
    } else this.#buffer.push(...events);
    this.#liveChanged();
    this.#kick();
  }

  #kick(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = true;
    void this.#pump();
  }

  /** One pass at a time; a kick during a pass makes another (the flag is cleared in the same turn). */
  async #pump(): Promise<void> {
    try {
      await this.#pumpLoop();
    } finally {
      this.#pumping = false;
    }
    // A kick that came after the last pass looked (an acknowledgement, an event): one more pass.
    if (this.#again) this.#kick();
  }

  async #pumpLoop(): Promise<void> {
    do {
      this.#again = false;
      try {
        await this.#fill();
        if (this.#readProblem) {
          this.#o.logger.info('upstream: reading the journal works again');
          this.#readProblem = null;
        }
      } catch (error) {
        const message = (error as Error).message;
        if (message !== this.#readProblem)
          this.#o.logger.error({ err: error }, 'upstream: cannot read the journal; retrying');
        this.#readProblem = message;
        this.#disk = null;
      }
      this.#send();
    } while (this.#again && this.#running);
  }

  /** Folds events (live from the bus when contiguous, else from disk) while the outbox has room. */
  async #fill(): Promise<void> {
    const room = () => this.#outbox.length < HIGH_WATER;
    while (this.#running && room()) {
      let drop = 0;
      while (drop < this.#buffer.length && (this.#buffer[drop] as QueueEvent).seq <= this.#ledger.seq) drop++;
      if (drop) this.#buffer.splice(0, drop);
      if (this.#buffer[0]?.seq === this.#ledger.seq + 1) {
        this.#disk = null;
        this.#live = true;
        while (room() && this.#buffer[0]?.seq === this.#ledger.seq + 1)
          this.#fold(this.#buffer.shift() as QueueEvent, null);
        this.#route(this.#clock());
        continue;
      }
      // Following the bus and nothing new on it: the next events come with the next batch.
      if (this.#live && this.#buffer.length === 0) break;
      this.#live = false;
      this.#disk ??= {
        iter: readEventsAfter<QueueEvent>(this.#o.journalDir, this.#ledger.seq),
        chunk: [],
        idx: 0,
      };
      const disk = this.#disk;
      if (disk.idx >= disk.chunk.length) {
        const next = await disk.iter.next();
        if (next.done) {
          this.#disk = null;
          if (this.#buffer[0]?.seq === this.#ledger.seq + 1) continue;
          // Caught up with the journal: the bus brings the rest. (Events still being written come on
          // the bus; if the state is ahead and the buffer empty, the disk is read again on the next tick.)
          this.#live = this.#buffer.length === 0 && this.#o.queue.state.seq <= this.#ledger.seq;
          if (this.#live) this.#route(this.#clock());
          break;
        }
        disk.chunk = next.value;
        disk.idx = 0;
      }
      // A slice at a time, so the hall's commands never wait long behind a backlog.
      const sliceEnd = disk.idx + FOLD_SLICE;
      while (room() && disk.idx < disk.chunk.length && disk.idx < sliceEnd) {
        const e = disk.chunk[disk.idx++] as QueueEvent;
        if (e.seq <= this.#ledger.seq) continue;
        this.#fold(e, e.at);
      }
      this.#send();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#checkpoint(false);
  }

  /** One event into the ledger; `takeAt`: the time to take final records at (null: later, by #route). */
  #fold(e: QueueEvent, takeAt: number | null): void {
    const dayBefore = this.#ledger.day;
    this.#ledger.apply(e);
    if (e.type === 'dayStarted') {
      if (dayBefore) this.#closing.add(dayBefore);
      this.#dayStarts.set(e.day, this.#ledger.snapshot());
      if (!dayBefore && this.#dayRecords.size === 0) this.#summaryFrom = this.#ledger.snapshot();
    }
    if (takeAt !== null) this.#route(takeAt);
  }

  /** Takes the records final at `now` into the outbox, then the summaries of days now complete. */
  #route(now: number): void {
    const records = this.#ledger.take(now);
    for (const r of records) {
      this.#outbox.push({
        topic: this.#topic('visit'),
        payload: JSON.stringify(r),
        retain: false,
        seq: r.seq,
        endedAt: r.endedAt,
      });
      this.#remember(r);
    }
    this.#sinceCheckpoint += records.length;
    const summarized = this.#summarizeClosedDays();
    // Following live, each record gets its checkpoint (few and cheap); catching up, every 100.
    if (summarized || this.#sinceCheckpoint >= CHECKPOINT_EVERY_RECORDS || (this.#live && records.length))
      this.#checkpoint(true);
    if (records.length) this.#liveChanged();
  }

  #remember(r: VisitRecord): void {
    const list = this.#dayRecords.get(r.day);
    if (list) list.push(r);
    else this.#dayRecords.set(r.day, [r]);
  }

  /** Each ended day whose records are all taken: its summary, after its records, in the outbox. */
  #summarizeClosedDays(): boolean {
    if (!this.#closing.size) return false;
    const waiting = new Set(this.#ledger.peek().map((r) => r.day));
    let any = false;
    for (const day of [...this.#closing].sort()) {
      if ([...waiting].some((d) => d <= day)) break;
      this.#closing.delete(day);
      const records = this.#dayRecords.get(day) ?? [];
      this.#dayRecords.delete(day);
      this.#dayStarts.delete(day);
      const next = [...this.#dayStarts.entries()].sort(([a], [b]) => a.localeCompare(b))[0];
      this.#summaryFrom = next?.[1] ?? this.#ledger.snapshot();
      const config = this.#o.config();
      const draft = dailySummary(config, this.#up.provinceId, day, records, 1, 0);
      const { at: _at, revision: _revision, ...figures } = draft;
      const digest = createHash('sha256').update(JSON.stringify(figures)).digest('hex').slice(0, 32);
      const sent = this.#daily[day];
      if (sent?.digest === digest) continue;
      const revision = sent ? sent.revision + 1 : 1;
      this.#daily[day] = { revision, digest };
      const summary = { ...draft, revision, at: this.#clock() };
      this.#outbox.push({
        topic: this.#topic('daily', day),
        payload: JSON.stringify(summary),
        retain: true,
        seq: null,
        endedAt: null,
      });
      if (revision > 1)
        this.#o.logger.info(
          { day, revision },
          'upstream: a day’s summary changed; sending its next revision',
        );
      any = true;
    }
    return any;
  }

  /** The cursor as of now, released once everything pushed before it is acknowledged. */
  #checkpoint(force: boolean): void {
    if (!force && this.#ledger.seq === this.#checkpointSeq) return;
    this.#checkpointSeq = this.#ledger.seq;
    this.#sinceCheckpoint = 0;
    this.#outbox.checkpoint({
      version: 1,
      centreId: this.#centreId,
      provinceId: this.#up.provinceId,
      ackedSeq: 0,
      at: 0,
      ledger: this.#ledger.snapshot(),
      summaryFrom: this.#summaryFrom,
      daily: { ...this.#daily },
    });
    const released = this.#outbox.settle();
    if (released) this.#commit(released);
  }

  // ── sending ─────────────────────────────────────────────────────────────────────────────────

  #send(): void {
    if (!this.#running || this.#o.transport.status.state !== 'connected') return;
    const now = this.#clock();
    for (const item of this.#outbox.due(now)) {
      this.#o.transport.publish(item.topic, item.payload, item.retain).then(
        () => {
          this.#lastAckAt = this.#clock();
          const released = this.#outbox.ack(item);
          if (released) this.#commit(released);
          this.#kick();
        },
        () => {
          this.#outbox.fail(item);
        },
      );
    }
    // Held back by the rate alone: look again when the next send is allowed.
    if (
      this.#outbox.length > this.#outbox.inFlight &&
      this.#outbox.inFlight < this.#up.maxInFlight &&
      !this.#rateTimer
    ) {
      const wait = this.#outbox.nextTokenIn(this.#clock());
      if (wait > 0) {
        this.#rateTimer = setTimeout(() => {
          this.#rateTimer = null;
          this.#kick();
        }, wait);
        this.#rateTimer.unref();
      }
    }
  }

  #rateTimer: NodeJS.Timeout | null = null;

  #commit(cursor: Cursor): void {
    cursor.ackedSeq = this.#outbox.ackedSeq;
    cursor.at = this.#clock();
    this.#toWrite = cursor;
    this.#writing = this.#writing.then(async () => {
      const next = this.#toWrite;
      if (!next) return;
      this.#toWrite = null;
      try {
        await this.#cursorFile.save(next);
        this.#committed = next;
      } catch (error) {
        this.#o.logger.error({ err: error }, 'upstream: cannot write the cursor file');
      }
    });
  }

  #tick(): void {
    if (!this.#running) return;
    const now = this.#clock();
    if (this.#o.transport.status.state === 'connected') this.#outbox.expire(now, ACK_TIMEOUT_MS);
    // Records held for a rating go once their window has passed.
    if (this.#live && this.#ledger.pendingCount) this.#route(now);
    if (now - this.#diskCheckedAt >= DISK_CHECK_MS) {
      this.#diskCheckedAt = now;
      void this.#measureJournal();
    }
    this.#logAlerts(now);
    this.#kick();
  }

  async #measureJournal(): Promise<void> {
    try {
      const needed = this.oldestSeqStillNeeded();
      const segments = await listSegments(this.#o.journalDir);
      let bytes = 0;
      for (const [i, s] of segments.entries()) {
        const next = segments[i + 1];
        if (next && next.firstSeq <= needed) continue;
        bytes += (await stat(s.file)).size;
      }
      this.#journalBytes = bytes;
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'upstream: cannot measure the journal');
    }
  }

  #logAlerts(now: number): void {
    const alerts = this.#alerts(now);
    const ids = new Set(alerts.map((a) => a.id));
    for (const a of alerts) if (!this.#raised.has(a.id)) this.#o.logger.warn({ alert: a.id }, a.messageEn);
    for (const id of this.#raised)
      if (!ids.has(id)) this.#o.logger.info({ alert: id }, 'upstream: alert cleared');
    this.#raised = ids;
  }

  // ── live snapshot and status ────────────────────────────────────────────────────────────────

  /** Something changed: a snapshot goes, coalesced (`now`: at once, the periodic one). */
  #liveChanged(now = false): void {
    if (!this.#running) return;
    if (now) {
      if (this.#liveTimer) clearTimeout(this.#liveTimer);
      this.#liveTimer = null;
      this.#publishLive();
      return;
    }
    if (this.#liveTimer) return;
    const wait = Math.max(0, (this.#lastLiveAt ?? 0) + this.#up.liveMinIntervalMs - this.#clock());
    this.#liveTimer = setTimeout(() => {
      this.#liveTimer = null;
      this.#publishLive();
    }, wait);
    this.#liveTimer.unref();
  }

  #publishLive(): void {
    if (!this.#running || this.#o.transport.status.state !== 'connected') return;
    // One snapshot in flight at a time (the next one carries every change since); a lost
    // acknowledgement holds them back only for a while.
    if (this.#liveInFlight && this.#clock() - (this.#lastLiveAt ?? 0) < ACK_TIMEOUT_MS) {
      this.#liveDirty = true;
      return;
    }
    const snapshot = this.liveSnapshot();
    this.#liveInFlight = true;
    this.#lastLiveAt = snapshot.at;
    this.#o.transport.publish(this.#topic('live'), JSON.stringify(snapshot), true).then(
      () => this.#liveDone(),
      () => this.#liveDone(),
    );
  }

  #liveDone(): void {
    this.#liveInFlight = false;
    if (this.#liveDirty) {
      this.#liveDirty = false;
      this.#liveChanged();
    }
  }

  /** The live snapshot as it would be sent now. */
  liveSnapshot(): LiveSnapshot {
    const b = this.#backlog();
    return buildLiveSnapshot(
      this.#o.config(),
      this.#up.provinceId,
      this.#o.queue.state as QueueState,
      this.#o.devices(),
      { records: b.records, oldestEndedAt: b.oldestEndedAt, lastAckedSeq: b.lastAckedSeq },
      this.#clock(),
    );
  }

  #statusMessage(state: 'online' | 'offline', at: number | null, software: string | null): CentreStatus {
    return {
      kind: 'status',
      v: 1,
      centreId: this.#centreId,
      provinceId: this.#up.provinceId,
      state,
      at,
      software,
      centreName: this.#o.config().centre.name,
    };
  }
}

async function softwareVersion(): Promise<string | null> {
  try {
    const pkg = JSON.parse(await readFile(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      name: string;
      version: string;
    };
    return `${pkg.name}/${pkg.version}`.slice(0, 40);
  } catch {
    return null;
  }
}
