/**
 * The queue service: runs commands through the engine and makes their events durable before
 * anyone hears of them. Commands are decided one at a time (the engine is synchronous), while
 * their journal writes are group-committed, so a burst costs one fsync per batch, not per ticket.
 */
import type { CentreConfig } from '../centre/schema.ts';
import type { Command } from '../core/commands.ts';
import { type Outcome, QueueEngine } from '../core/engine.ts';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState } from '../core/types.ts';
import type { EventBus } from '../event-bus.ts';
import { DiskFullError, type Journal, type JournalRepair } from '../journal/journal.ts';
import type { Logger } from '../logger.ts';
import { ClockGuard, type ClockJump } from './clock-guard.ts';

/** The journal failed: the command may or may not be on disk, so nothing more is accepted. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

/** The disk is full: this command is refused (nothing recorded); the queue goes on once there is room. */
export class QueueDiskFullError extends QueueUnavailableError {
  override name = 'QueueDiskFullError';
}

/** Recording resumes only with at least this much free (and start-up snapshots need it on top of their size). */
const MIN_FREE_BYTES = 4 * 1024 * 1024;
/**
 * A snapshot every this many events within a day: a provincial centre's day is ~9,000 events (it
 * never gets one); a 50,000-ticket day ~140,000 (7 of them, each a ~0.3 s pause to serialize).
 */
const SNAPSHOT_EVERY_EVENTS = 20_000;
/** Far more than twice any day's snapshot (26 MB at 50,000 tickets). */
const PLENTY_FREE_BYTES = 1024 * 1024 * 1024;

/**
 * The free space that lets recording resume after a full disk: 4 MiB, or a quarter of a small
 * file system (a 2 MiB tmpfs would otherwise never have room enough to resume).
 */
export function roomToResume(totalBytes: number): number {
  return totalBytes > 0 ? Math.min(MIN_FREE_BYTES, Math.floor(totalBytes / 4)) : MIN_FREE_BYTES;
}
/** How often a full disk is checked for room again. */
const DISK_CHECK_MS = 5_000;
/** How often the free space is checked otherwise (for the low-space alert). */
const FREE_SPACE_CHECK_MS = 60_000;

export interface QueueServiceOptions {
  config: CentreConfig;
  journal: Journal<QueueEvent>;
  bus: EventBus;
  logger: Logger;
  /** The engine's time. By default the wall clock through a ClockGuard (jumps held until confirmed). */
  clock?: () => number;
  /** A snapshot within a day every this many events (default SNAPSHOT_EVERY_EVENTS). */
  snapshotEveryEvents?: number;
}

export class QueueService {
  readonly #journal: Journal<QueueEvent>;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #clock: () => number;
  readonly #snapshotEvery: number;
  #engine: QueueEngine;
  #failed: Error | null = null;
  /** Set while the disk is full: commands are refused before they change anything. */
  #full: DiskFullError | null = null;
  /** Rebuilding the state from the disk after a full disk refused a batch. */
  #rebuilding: Promise<void> = Promise.resolve();
  #diskTimer: NodeJS.Timeout | null = null;
  /** When the disk was found full. */
  #fullSince = 0;
  /** Free bytes on the data disk at the last check (null until checked). */
  #freeBytes: number | null = null;
  #freeTimer: NodeJS.Timeout | null = null;
  /** `<day>:<service>` whose numbers have wrapped, already logged. */
  readonly #wrapped = new Set<string>();
  /** Settles when every event appended so far is on disk. */
  #durable: Promise<void> = Promise.resolve();
  /** Events the start replayed after its snapshot, and the snapshot that then follows (once). */
  #replayed = 0;
  /** Events appended since the last snapshot (or replayed at start without one). */
  #sinceSnapshot = 0;
  #startSnapshot: Promise<void> | null = null;

  readonly #guard: ClockGuard | null;

  private constructor(options: QueueServiceOptions, engine: QueueEngine, guard: ClockGuard | null) {
    this.#journal = options.journal;
    this.#bus = options.bus;
    this.#logger = options.logger;
    this.#guard = guard;
    this.#clock = options.clock ?? (() => guard?.now() ?? Date.now());
    this.#snapshotEvery = options.snapshotEveryEvents ?? SNAPSHOT_EVERY_EVENTS;
    this.#engine = engine;
  }

  /** Opens the journal and rebuilds the state: snapshot, then every event after it. */
  static async open(
    options: QueueServiceOptions,
  ): Promise<{ service: QueueService; replayed: number; repairs: JournalRepair[] }> {
    const { snapshot, events, repairs, snapshotWrittenAt } = await options.journal.open();
    const lastRecordedAt = Math.max(events.at(-1)?.at ?? 0, snapshotWrittenAt ?? 0) || undefined;
    const guard = options.clock
      ? null
      : new ClockGuard({
          boundMs: options.config.queue.clockJumpMinutes * 60_000,
          lastRecordedAt,
          onChange: (jump) => logClockJump(options.logger, jump),
        });
    if (guard?.jump) logClockJump(options.logger, guard.jump);
    const clock = options.clock ?? (() => guard?.now() ?? Date.now());
    const engine = snapshot
      ? new QueueEngine(options.config, snapshot.state as QueueState)
      : QueueEngine.empty(options.config, clock());
    engine.replay(events);
    const service = new QueueService(options, engine, guard);
    service.#replayed = events.length;
    service.#sinceSnapshot = events.length;
    await service.checkFreeSpace();
    service.#freeTimer = setInterval(() => void service.checkFreeSpace(), FREE_SPACE_CHECK_MS);
    service.#freeTimer.unref();
    return { service, replayed: events.length, repairs };
  }

  get state(): Readonly<QueueState> {
    return this.#engine.state;
  }

  get config(): CentreConfig {
    return this.#engine.config;
  }

  /** Applies a configuration already saved to the live store (see staff-routes.ts). */
  reconfigure(config: CentreConfig): void {
    this.#engine.reconfigure(config);
  }

  /** The time the queue goes by: the wall clock, or while a jump is held, the time continued from before it. */
  now(): number {
    return this.#clock();
  }

  /**
   * A wall-clock jump the queue does not follow until a manager confirms it, if any — as of now: the
   * guard looks at the clock again, so /healthz and the dashboard see a jump (or its end) before the
   * next command or tick does.
   */
  get clockJump(): ClockJump | null {
    this.#guard?.now();
    return this.#guard?.jump ?? null;
  }

  /** Free bytes on the data disk at the last check, and whether that is below alerts.minFreeDiskMb. */
  get disk(): { freeBytes: number | null; low: boolean; minFreeBytes: number; fullSince: number | null } {
    const minFreeBytes = this.#engine.config.alerts.minFreeDiskMb * 1024 * 1024;
    return {
      freeBytes: this.#freeBytes,
      low: this.#freeBytes !== null && this.#freeBytes < minFreeBytes,
      minFreeBytes,
      fullSince: this.#full ? this.#fullSince : null,
    };
  }

  /** Checks the free space (every minute), logging when it falls below alerts.minFreeDiskMb. */
  async checkFreeSpace(): Promise<void> {
    const wasLow = this.disk.low;
    this.#freeBytes = await this.#journal.freeBytes().catch(() => null);
    const { low, freeBytes, minFreeBytes } = this.disk;
    if (low && !wasLow) {
      this.#logger.warn(
        { freeBytes, minFreeBytes },
        'disk: the data disk is nearly full (below alerts.minFreeDiskMb); free space before it stops recording',
      );
    }
  }

  /** The full disk that makes the queue refuse commands for now, if any. */
  get diskFull(): Error | null {
    return this.#full;
  }

  /**
   * Once the disk is full: whether there is room again, in which case recording resumes. Called
   * every few seconds while the disk is full, and by tests.
   */
  async checkDisk(): Promise<boolean> {
    if (!this.#full) return true;
    await this.#rebuilding;
    const { free, total } = await this.#journal.space().catch(() => ({ free: 0, total: 0 }));
    if (free < roomToResume(total)) return false;
    this.#journal.resume();
    this.#full = null;
    if (this.#diskTimer) clearInterval(this.#diskTimer);
    this.#diskTimer = null;
    this.#freeBytes = free;
    this.#logger.warn({ freeBytes: free }, 'disk has room again: recording resumed');
    return true;
  }

  /** The journal error that stopped the queue, if any. */
  get failure(): Error | null {
    return this.#failed;
  }

  get engine(): QueueEngine {
    return this.#engine;
  }

  /** Runs a command; resolves once its events are durable (or it was refused). */
  async submit(command: Command): Promise<Outcome> {
    this.#throwIfFailed();
    if (this.#full) throw new QueueDiskFullError(this.#full.message);
    if (command.type === 'confirmClock') this.#guard?.accept();
    const outcome = this.#engine.execute(command, this.#clock());
    const ticket = outcome.ticket ? structuredClone(outcome.ticket) : null;
    if (outcome.events.length === 0) {
      // A repeat may point at a ticket whose events are still being written: answer once they are.
      await this.#durable.catch(() => undefined);
      this.#throwIfFailed();
      return { ...outcome, ticket };
    }
    const durable = this.#journal.append(outcome.events);
    this.#durable = durable;
    // A new day starts a new journal segment with a snapshot, so a start-up replays one day at most;
    // a very big day (a festival, a city centre) gets one every SNAPSHOT_EVERY_EVENTS as well, so a
    // start after a power cut replays that many at most.
    this.#sinceSnapshot += outcome.events.length;
    if (outcome.events.some((e) => e.type === 'dayStarted') || this.#sinceSnapshot >= this.#snapshotEvery)
      this.#snapshot();
    try {
      await durable;
    } catch (error) {
      if (error instanceof DiskFullError) {
        await this.#diskFull(error);
        throw new QueueDiskFullError(error.message);
      }
      this.#fail(error as Error);
      throw new QueueUnavailableError(`the queue journal failed: ${(error as Error).message}`);
    }
    this.#bus.emitQueueEvents(outcome.events);
    this.#noteWrappedNumbers(outcome.events);
    return { ...outcome, ticket };
  }

  /** Says once a day per service that its numbers ran past their width and now wrap (decide.nextNumber). */
  #noteWrappedNumbers(events: readonly QueueEvent[]): void {
    const digits = this.#engine.config.queue.numberDigits;
    for (const e of events) {
      if (e.type !== 'ticketIssued' || e.ticket.number < 10 ** digits) continue;
      const key = `${e.ticket.day}:${e.ticket.serviceId}`;
      if (this.#wrapped.has(key)) continue;
      this.#wrapped.add(key);
      this.#logger.warn(
        {
          serviceId: e.ticket.serviceId,
          number: e.ticket.number,
          label: e.ticket.label,
          numberDigits: digits,
        },
        `service ${e.ticket.serviceId} has issued more than ${10 ** digits - 1} tickets today: labels start again from the lowest, skipping those still open (widened only if all are open); ticket ids stay unique`,
      );
    }
  }

  /**
   * A full disk refused a batch: memory holds events the disk does not. Rebuild the state from the
   * disk (which the journal has cut back to its last fsynced batch), refuse commands until there is
   * room, and check for room every few seconds. Never fatal: the centre keeps showing its queue.
   */
  async #diskFull(error: DiskFullError): Promise<void> {
    if (!this.#full) {
      this.#full = error;
      this.#fullSince = this.#clock();
      this.#logger.error(
        { err: error.cause },
        'disk full: commands are refused until space is freed; the queue shown is what is on disk',
      );
      this.#rebuilding = this.#rebuild().catch((err) => this.#fail(err as Error));
      this.#diskTimer = setInterval(() => void this.checkDisk(), DISK_CHECK_MS);
      this.#diskTimer.unref();
    }
    await this.#rebuilding;
  }

  async #rebuild(): Promise<void> {
    const { snapshot, events } = await this.#journal.reopen();
    const engine = snapshot
      ? new QueueEngine(this.#engine.config, snapshot.state as QueueState)
      : QueueEngine.empty(this.#engine.config, this.#clock());
    engine.replay(events);
    this.#engine = engine; // the refused events were never published, so screens saw none of them
  }

  /**
   * After a start that replayed events: a fresh snapshot, so the next start (after a power cut) does
   * not replay them again; without one the journal still has it all. Called once the controller is
   * ready, not during the start: serializing a big day's state holds the event loop (about 0.5 s at
   * 50,000 tickets) and readiness need not wait for it. Written only when there is room for it, so a
   * start needs no free space beyond a small bound. Idempotent: the same promise each time.
   */
  snapshotAfterStart(): Promise<void> {
    this.#startSnapshot ??= (async () => {
      if (this.#replayed === 0 || this.#failed || this.#full) return;
      if (!(await hasRoomForSnapshot(this.#journal, this.#engine.state))) {
        this.#logger.warn(
          { replayed: this.#replayed },
          'little free space: no snapshot after replay (the next start replays these events again)',
        );
        return;
      }
      await this.#durable.catch(() => undefined);
      if (this.#engine.state.seq !== this.#journal.lastSeq) return; // a rebuild is under way
      this.#sinceSnapshot = 0;
      await this.#journal.writeSnapshot(this.#engine.state.seq, this.#engine.state).catch((error) => {
        this.#logger.warn(
          { err: error },
          'snapshot after replay failed; the journal still holds every event',
        );
      });
    })();
    return this.#startSnapshot;
  }

  /** Flushes the journal and leaves a snapshot, so the next start replays nothing. */
  async close(): Promise<void> {
    if (this.#diskTimer) clearInterval(this.#diskTimer);
    this.#diskTimer = null;
    if (this.#freeTimer) clearInterval(this.#freeTimer);
    this.#freeTimer = null;
    await this.#rebuilding;
    if (!this.#failed && !this.#full && this.#engine.state.seq === this.#journal.lastSeq) {
      await this.#journal.writeSnapshot(this.#engine.state.seq, this.#engine.state).catch((error) => {
        this.#logger.warn({ err: error }, 'snapshot at shutdown failed; the journal still holds every event');
      });
    }
    await this.#journal.close();
  }

  #throwIfFailed(): void {
    if (this.#failed) throw new QueueUnavailableError(`the queue journal failed: ${this.#failed.message}`);
  }

  #snapshot(): void {
    this.#sinceSnapshot = 0;
    this.#journal.writeSnapshot(this.#engine.state.seq, this.#engine.state).catch((error) => {
      this.#logger.warn({ err: error }, 'snapshot failed; the journal still holds every event');
    });
  }

  #fail(error: Error): void {
    if (this.#failed) return;
    this.#failed = error;
    this.#logger.fatal({ err: error }, 'queue journal failed: refusing further commands');
    this.#bus.emitFatal(error);
  }
}

/** Whether the disk has room for a snapshot of this state (twice its size, plus the small bound). */
async function hasRoomForSnapshot(journal: Journal<QueueEvent>, state: QueueState): Promise<boolean> {
  const free = await journal.freeBytes().catch(() => Number.POSITIVE_INFINITY);
  // Measuring the state means serializing it (a quarter of a second for a very big day): only when
  // the disk is anywhere near tight.
  if (free >= PLENTY_FREE_BYTES) return true;
  return free >= 2 * Buffer.byteLength(JSON.stringify(state)) + MIN_FREE_BYTES;
}

function logClockJump(logger: Logger, jump: ClockJump | null): void {
  if (!jump) {
    logger.warn('clock: the wall clock agrees with the queue again (returned, or confirmed by a manager)');
    return;
  }
  const minutes = Math.round(jump.byMs / 60_000);
  logger.warn(
    {
      byMinutes: minutes,
      wallClock: new Date(jump.wallAt).toISOString(),
      queueTime: new Date(jump.at).toISOString(),
    },
    `clock: the wall clock jumped ${minutes > 0 ? 'forward' : 'back'} ${Math.abs(minutes)} min; the queue keeps its own time (no ticket expires, no day is skipped) until the clock returns or a manager confirms it (POST /api/clock/confirm)`,
  );
}
