/**
 * The staffing advice's correction by simulation, for the manager dashboard: the coming hours
 * (staffing-scenario.ts) are simulated in a worker thread (staffing-worker.ts) so the controller's
 * event loop keeps serving devices and screens meanwhile; at most one run at a time, a new one at
 * most every `everyMs` (or as soon as the hour changes), and the last result is kept and served with
 * when it was computed. Constructor only assigns; the worker starts on a request and ends when it
 * has had nothing to do for `idleMs` (a second V8 isolate with the simulator loaded, ~20–30 MB
 * resident, for a run every 10 minutes at most), or by stop().
 */
import { threadId as mainThreadId, Worker } from 'node:worker_threads';
import type { LiveScenario } from './staffing-scenario.ts';
import type { CorrectionJob, CorrectionReply } from './staffing-worker.ts';

export interface StaffingCorrection {
  computedAt: number;
  hourStarts: number[];
  /** Per dashboard pool: staff per hour after the simulation's correction, and Erlang C's figure for the same scenario. */
  pools: Record<string, { advised: number[]; erlang: number[] }>;
  /** Whether the advised staffing met the target in every simulated hour. */
  met: boolean;
  /** The thread the simulation ran on (never the controller's own). */
  threadId: number;
}

export type CorrectionRunner = (job: CorrectionJob) => Promise<CorrectionReply>;

const DEFAULT_EVERY_MS = 10 * 60_000;
/** A simulation of a provincial centre's three hours takes seconds; this only catches a hung worker. */
const JOB_TIMEOUT_MS = 5 * 60_000;
/** The worker thread ends after this long without a job, and starts again on the next. */
const DEFAULT_IDLE_MS = 60_000;

/** Runs jobs in one worker thread (TypeScript sources through tsx, or the compiled build). */
export class WorkerRunner {
  readonly #idleMs: number;
  #worker: Worker | null = null;
  #idleTimer: NodeJS.Timeout | null = null;
  #pending = new Map<number, { resolve: (r: CorrectionReply) => void; reject: (e: Error) => void }>();

  constructor(options: { idleMs?: number } = {}) {
    this.#idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  }

  /** A worker thread is up (between a job and the end of the idle time after it). */
  get alive(): boolean {
    return this.#worker !== null;
  }

  run(job: CorrectionJob): Promise<CorrectionReply> {
    this.#cancelIdle();
    const worker = this.#ensure();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(job.id);
        reject(new Error(`staffing simulation took longer than ${JOB_TIMEOUT_MS} ms`));
        void this.stop();
      }, JOB_TIMEOUT_MS);
      timer.unref();
      this.#pending.set(job.id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      worker.postMessage(job);
    });
  }

  async stop(): Promise<void> {
    this.#cancelIdle();
    const worker = this.#worker;
    this.#worker = null;
    this.#fail(new Error('staffing worker stopped'));
    await worker?.terminate();
  }

  #cancelIdle(): void {
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#idleTimer = null;
  }

  /** Once no job is pending, the thread (and its heap) is let go after the idle time. */
  #idleLater(): void {
    if (this.#pending.size > 0 || !this.#worker) return;
    this.#cancelIdle();
    this.#idleTimer = setTimeout(() => {
      this.#idleTimer = null;
      if (this.#pending.size === 0) void this.stop();
    }, this.#idleMs);
    this.#idleTimer.unref();
  }

  #fail(error: Error): void {
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const fromSources = import.meta.url.endsWith('.ts');
    const url = new URL(
      fromSources ? './staffing-worker-sources.mjs' : './staffing-worker.js',
      import.meta.url,
    );
    const worker = new Worker(url);
    worker.unref();
    worker.on('message', (reply: CorrectionReply) => {
      const p = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      p?.resolve(reply);
      this.#idleLater();
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      this.#fail(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`staffing worker exited (${code})`)));
    this.#worker = worker;
    return worker;
  }
}

export interface StaffingAdvisorOptions {
  everyMs?: number;
  /** How jobs run; a worker thread unless a test gives another. */
  runner?: { run: CorrectionRunner; stop(): Promise<void> };
  onError?: (error: Error) => void;
}

export class StaffingAdvisor {
  readonly #everyMs: number;
  readonly #runner: { run: CorrectionRunner; stop(): Promise<void> };
  readonly #onError: (error: Error) => void;
  #latest: StaffingCorrection | null = null;
  #running: Promise<void> | null = null;
  #nextId = 1;
  #stopped = false;

  constructor(options: StaffingAdvisorOptions = {}) {
    this.#everyMs = options.everyMs ?? DEFAULT_EVERY_MS;
    this.#runner = options.runner ?? new WorkerRunner();
    this.#onError = options.onError ?? (() => {});
  }

  /** The last correction, if it covers the hour `now` is in (or the first open hours, before opening). */
  latest(now: number): StaffingCorrection | null {
    const c = this.#latest;
    if (!c) return null;
    // Computed before opening, it is for the first open hours: served from when it was computed.
    const first = Math.min(c.hourStarts[0] ?? Number.POSITIVE_INFINITY, c.computedAt);
    const last = c.hourStarts[c.hourStarts.length - 1] ?? Number.NEGATIVE_INFINITY;
    return now >= first && now < last + 3_600_000 ? c : null;
  }

  /** Starts a simulation of `live` unless one runs or the last is recent and for this hour. Never waits for it. */
  request(live: LiveScenario | null, now: number): void {
    if (this.#stopped || this.#running || !live) return;
    const c = this.#latest;
    if (c && c.hourStarts[0] === live.hourStarts[0] && now - c.computedAt < this.#everyMs) return;
    const job: CorrectionJob = { id: this.#nextId++, scenario: live.scenario, seed: 1 };
    this.#running = this.#runner
      .run(job)
      .then((reply) => {
        if ('error' in reply) throw new Error(reply.error);
        if (reply.threadId === mainThreadId) throw new Error('staffing simulation ran on the main thread');
        const pools: StaffingCorrection['pools'] = {};
        for (const [key, poolId] of Object.entries(live.poolIds))
          pools[poolId] = { advised: reply.byHour[key] ?? [], erlang: reply.erlang[key] ?? [] };
        this.#latest = {
          computedAt: now,
          hourStarts: live.hourStarts,
          pools,
          met: reply.met,
          threadId: reply.threadId,
        };
      })
      .catch((err: Error) => this.#onError(err))
      .finally(() => {
        this.#running = null;
      });
  }

  /** Resolves when no simulation is running (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.#running;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#runner.stop();
    await this.#running;
  }
}
