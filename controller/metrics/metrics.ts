/**
 * `GET /metrics` in the Prometheus text format (prom-client), for the usual monitoring tools.
 *
 * Counters count what happened since the process started (Prometheus handles the reset at a
 * restart: use `increase()` / `rate()`), from the durable queue events on the bus, so they are
 * counted independently of the API's figures yet agree with them. Gauges are read from the state
 * at each scrape. Labels are configuration ids (services, device types, rating levels): no personal
 * data, no ticket ids. The names are listed in docs/deployment.md#metrics.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueEvent } from '../core/events.ts';
import type { DeviceHealth } from '../device-service/device-registry.ts';
import type { EventBus } from '../event-bus.ts';
import type { JournalCommit } from '../journal/journal.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { UpstreamState } from '../upstream/upstream-publisher.ts';

export interface MetricsOptions {
  bus: EventBus;
  queue: () => QueueService | null;
  devices: () => DeviceHealth[];
  upstream: () => UpstreamState;
  /** Whether the controller is ready (the same as /healthz/ready). */
  ready: () => boolean;
  clock?: () => number;
}

export class HallMetrics {
  readonly registry = new Registry();
  readonly #o: MetricsOptions;
  readonly #clock: () => number;
  readonly #issued: Counter<'service'>;
  readonly #called: Counter<'service'>;
  readonly #firstCalls: Counter<'service' | 'within_target'>;
  readonly #finished: Counter<'service'>;
  readonly #ratings: Counter<'level'>;
  readonly #fsync: Histogram;
  readonly #group: Histogram;

  constructor(options: MetricsOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    const registers = [this.registry];
    this.#issued = new Counter({
      name: 'hall_tickets_issued_total',
      help: 'Tickets issued since the controller started, by service',
      labelNames: ['service'],
      registers,
    });
    this.#called = new Counter({
      name: 'hall_tickets_called_total',
      help: 'Calls of tickets to a counter (recalls not counted, calls after a skip or transfer counted), by service',
      labelNames: ['service'],
      registers,
    });
    this.#firstCalls = new Counter({
      name: 'hall_first_calls_total',
      help: "Tickets called for the first time, by service and whether the wait was within the centre's wait target (15 minutes by default)",
      labelNames: ['service', 'within_target'],
      registers,
    });
    this.#finished = new Counter({
      name: 'hall_tickets_finished_total',
      help: 'Visits finished at a counter (served), by service',
      labelNames: ['service'],
      registers,
    });
    this.#ratings = new Counter({
      name: 'hall_ratings_total',
      help: 'Ratings given by citizens, by level (1 = best)',
      labelNames: ['level'],
      registers,
    });
    this.#fsync = new Histogram({
      name: 'hall_journal_fsync_seconds',
      help: 'Time of each journal fdatasync (one per group commit)',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.#group = new Histogram({
      name: 'hall_journal_group_events',
      help: 'Events written by each journal group commit (one write and one fdatasync)',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    });
    const o = this.#o;
    const now = () => this.#clock();
    new Gauge({
      name: 'hall_ready',
      help: '1 when the controller is ready (everything listens, the journal writes, the disk has room)',
      registers,
      collect() {
        this.set(o.ready() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'hall_tickets_waiting',
      help: 'Tickets waiting now, by service',
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        const queue = o.queue();
        if (!queue) return;
        for (const s of queue.config.services) this.set({ service: s.id }, 0);
        for (const t of Object.values(queue.state.tickets))
          if (t.status === 'waiting') this.inc({ service: t.serviceId });
      },
    });
    new Gauge({
      name: 'hall_longest_wait_seconds',
      help: 'How long the longest-waiting ticket has waited, by service (0 when nobody waits)',
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        const queue = o.queue();
        if (!queue) return;
        const at = now();
        const oldest = new Map<string, number>(queue.config.services.map((s) => [s.id, at]));
        for (const t of Object.values(queue.state.tickets))
          if (t.status === 'waiting')
            oldest.set(t.serviceId, Math.min(oldest.get(t.serviceId) ?? at, t.arrivedAt));
        for (const [service, since] of oldest) this.set({ service }, Math.max(0, (at - since) / 1000));
      },
    });
    new Gauge({
      name: 'hall_devices',
      help: 'Configured devices in place, by type and whether they are online',
      labelNames: ['type', 'status'],
      registers,
      collect() {
        this.reset();
        for (const d of o.devices()) {
          if (!d.installed) continue;
          this.inc({ type: d.type, status: d.online ? 'online' : 'offline' });
        }
      },
    });
    new Gauge({
      name: 'hall_journal_seq',
      help: 'Seq of the last event in the queue journal',
      registers,
      collect() {
        this.set(o.queue()?.state.seq ?? 0);
      },
    });
    new Gauge({
      name: 'hall_disk_free_bytes',
      help: "Free space on the data folder's disk, as last measured",
      registers,
      collect() {
        const free = o.queue()?.disk.freeBytes;
        if (typeof free === 'number') this.set(free);
      },
    });
    new Gauge({
      name: 'hall_upstream_backlog_records',
      help: 'Visit records not yet acknowledged by the province (absent when reporting is not configured)',
      labelNames: ['province'],
      registers,
      collect() {
        this.reset();
        const up = o.upstream();
        if (up.configured) this.set({ province: up.provinceId }, up.backlog.records);
      },
    });
    new Gauge({
      name: 'hall_upstream_events_behind',
      help: 'Journal events the upstream publisher has not read yet',
      labelNames: ['province'],
      registers,
      collect() {
        this.reset();
        const up = o.upstream();
        if (up.configured) this.set({ province: up.provinceId }, up.backlog.eventsBehind);
      },
    });
    new Gauge({
      name: 'hall_upstream_lag_seconds',
      help: 'Age of the oldest visit record the province has not acknowledged (0 when none)',
      labelNames: ['province'],
      registers,
      collect() {
        this.reset();
        const up = o.upstream();
        if (!up.configured) return;
        const oldest = up.backlog.oldestEndedAt;
        this.set({ province: up.provinceId }, oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
      },
    });
    new Gauge({
      name: 'hall_upstream_connected',
      help: "1 while connected to the province's broker",
      labelNames: ['province'],
      registers,
      collect() {
        this.reset();
        const up = o.upstream();
        if (up.configured) this.set({ province: up.provinceId }, up.connected ? 1 : 0);
      },
    });
  }

  /** Starts counting queue events and the process's own figures (event-loop lag, memory, CPU). */
  start(): void {
    collectDefaultMetrics({ register: this.registry });
    this.#o.bus.onQueueEvents(this, (events) => this.#count(events));
  }

  stop(): void {
    this.#o.bus.removeListeners(this);
  }

  /** The journal's group commits (wired as the journal's onCommit). */
  journalCommit(commit: JournalCommit): void {
    this.#fsync.observe(commit.fsyncSeconds);
    this.#group.observe(commit.events);
  }

  async render(): Promise<string> {
    this.#zeroSeries();
    return this.registry.metrics();
  }

  /** Every service and rating level shows from the first scrape, at 0 until something happens. */
  #zeroSeries(): void {
    const queue = this.#o.queue();
    if (!queue) return;
    for (const { id: service } of queue.config.services) {
      for (const counter of [this.#issued, this.#called, this.#finished]) counter.inc({ service }, 0);
      for (const within_target of ['yes', 'no']) this.#firstCalls.inc({ service, within_target }, 0);
    }
    for (let level = 1; level <= queue.config.ratings.scale.length; level++)
      this.#ratings.inc({ level: String(level) }, 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  #count(events: QueueEvent[]): void {
    const queue = this.#o.queue();
    if (!queue) return;
    const target = queue.config.queue.waitTargetMinutes * 60_000;
    for (const e of events) {
      switch (e.type) {
        case 'ticketIssued':
          this.#issued.inc({ service: e.ticket.serviceId });
          break;
        case 'ticketCalled': {
          const t = queue.state.tickets[e.ticketId];
          if (!t) break;
          this.#called.inc({ service: t.serviceId });
          if (t.firstCalledAt === e.at) {
            const within = e.at - t.arrivedAt <= target ? 'yes' : 'no';
            this.#firstCalls.inc({ service: t.serviceId, within_target: within });
          }
          break;
        }
        case 'serviceFinished': {
          const t = queue.state.tickets[e.ticketId];
          if (t) this.#finished.inc({ service: t.serviceId });
          break;
        }
        case 'visitRated':
          this.#ratings.inc({ level: String(e.level) });
          break;
        default:
          break;
      }
    }
  }
}
