/** The HTTP server: the API under /api, /healthz, and socket.io on the same port. */
import { createServer, type Server as HttpServer } from 'node:http';
import express from 'express';
import { Server as SocketServer } from 'socket.io';
import type { AccountStore } from '../accounts/account-store.ts';
import type { AuditLog } from '../accounts/audit-log.ts';
import { LoginThrottle } from '../accounts/login-throttle.ts';
import type { Sessions } from '../accounts/sessions.ts';
import { SignInFailures } from '../accounts/sign-in-failures.ts';
import type { CentreStore } from '../centre/centre-store.ts';
import type { Ticket } from '../core/types.ts';
import type { DeviceRegistry } from '../device-service/device-registry.ts';
import type { DeviceService } from '../device-service/device-service.ts';
import { elapsedMs } from '../elapsed-clock.ts';
import { closeServer, listen } from '../listen.ts';
import type { Logger } from '../logger.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { ReportSource } from '../reports/report-source.ts';
import { StaffingAdvisor } from '../reports/staffing-advisor.ts';
import { AddressAllowList } from '../security/address-allow-list.ts';
import type { KioskCredentials } from '../security/kiosk-credentials.ts';
import { KioskPairing } from '../security/kiosk-pairing.ts';
import { RateLimit } from '../security/rate-limit.ts';
import type { UpstreamState } from '../upstream/upstream-publisher.ts';
import type { AccessPolicy } from './access.ts';
import { createApiRouter, guardWith } from './api.ts';
import { createDashboardRouter } from './dashboard-routes.ts';
import { createDeviceRouter } from './device-routes.ts';
import { errorHandler, HttpError, notFoundRoute } from './errors.ts';
import { createHealthRouter, notReadyParts } from './health-routes.ts';
import { createKioskPairingRouter } from './kiosk-pairing-routes.ts';
import { createKioskRouter } from './kiosk-routes.ts';
import { createPagesRouter } from './pages.ts';
import { createReportRouter } from './report-routes.ts';
import { securityHeaders } from './security-headers.ts';
import { auditManagerActions, createSessionRouter } from './session-routes.ts';
import { createStaffRouter } from './staff-routes.ts';
import { createStaffingRouter } from './staffing-routes.ts';
import { createTicketLinkRouter } from './ticket-link-routes.ts';
import { createUpstreamRouter, upstreamHealth } from './upstream-routes.ts';
import { createVoiceRouter } from './voice-routes.ts';

export interface HttpOptions {
  queue: QueueService;
  access: AccessPolicy;
  logger: Logger;
  registry: DeviceRegistry;
  centre: CentreStore;
  print?: (deviceId: string, ticket: Ticket) => void;
  /** What /healthz reports beyond the queue (broker state and the like). */
  health: () => Record<string, unknown>;
  /** Whether everything listens and the state is loaded; until then /healthz answers 503 "starting". */
  ready?: () => boolean;
  /** While not ready: the part being started (/healthz/ready names it). */
  starting?: () => string;
  /** GET /metrics (Prometheus text format). */
  metrics?: { contentType: string; render: () => Promise<string> };
  /** Addresses or subnets allowed to read /metrics besides this machine (METRICS_ALLOW). */
  metricsAllow?: readonly string[];
  dataDir: string;
  /** The built screens (display/dist). */
  screensDir: string;
  /** The hall voice's program (ESPEAK_NG; default espeak-ng on PATH). */
  espeakProgram?: string;
  /** The device service, once started (kiosk pages print and scan through it). */
  deviceService: () => DeviceService | null;
  accounts: AccountStore;
  sessions: Sessions;
  audit: AuditLog;
  /** The centre's daily and monthly reports, from the journal. */
  reports: ReportSource;
  /** The staffing advice's correction by simulation (a worker thread unless given). */
  staffingAdvisor?: StaffingAdvisor;
  /** The upstream publisher's state (GET /api/upstream, /healthz, the dashboard's alerts). */
  upstream?: () => UpstreamState;
  /** Registered kiosks (pairing, revocation); absent where tests use open access. */
  kiosks?: KioskCredentials;
  /** Closes a device's MQTT connection (its secret was replaced). */
  disconnectDevice?: (deviceId: string) => void;
  /** A kiosk's credential was revoked (its live connections are closed). */
  onKioskRevoked?: (kioskId: string) => void;
}

/** Anonymous callers (phones, the hall TV): requests per address per minute, API only. */
const ANONYMOUS_PER_MINUTE = 600;
/** How often failed sign-ins are summed up into the audit log. */
const FAILURES_FLUSH_MS = 60_000;
/** How often sessions past their idle or absolute end are removed (and their live connections closed). */
export const SESSION_EXPIRY_CHECK_MS = 5_000;

export class HttpService {
  readonly io: SocketServer;
  readonly #server: HttpServer;
  readonly #closeVoice: () => Promise<void>;
  readonly #failures = new SignInFailures();
  readonly #audit: AuditLog;
  readonly #log: Logger;
  readonly #staffing: StaffingAdvisor;
  readonly #sessions: Sessions;
  #flushTimer: NodeJS.Timeout | null = null;
  #expiryTimer: NodeJS.Timeout | null = null;
  port = 0;

  constructor(options: HttpOptions) {
    const app = express();
    this.#audit = options.audit;
    this.#sessions = options.sessions;
    this.#log = options.logger;
    this.#staffing =
      options.staffingAdvisor ??
      new StaffingAdvisor({ onError: (err) => options.logger.warn({ err }, 'staffing simulation failed') });
    app.disable('x-powered-by');
    app.use(securityHeaders());
    const anonymousLimit = new RateLimit({ windowMs: 60_000, max: ANONYMOUS_PER_MINUTE });
    app.use('/api', (req, res, next) => {
      if (!options.access.identify(req)?.anonymous) return next();
      const wait = anonymousLimit.take(req.socket.remoteAddress ?? 'unknown', elapsedMs());
      if (wait === 0) return next();
      res.set('retry-after', String(Math.ceil(wait / 1000)));
      next(new HttpError(429, 'tooManyRequests', 'too many requests from this address: wait a little'));
    });
    app.use(express.json({ limit: '32kb' }));
    const upstream =
      options.upstream ?? ((): UpstreamState => ({ configured: false, reason: 'UPSTREAM_URL is not set' }));
    const notReady = () => notReadyParts(options);
    const metricsReaders = new AddressAllowList(options.metricsAllow ?? []);
    app.use(
      createHealthRouter({
        queue: options.queue,
        notReady,
        metrics: options.metrics,
        // Counts, device errors and traffic tell an attacker a lot: the monitoring server and managers.
        mayReadMetrics: (req) =>
          metricsReaders.allows(req.socket.remoteAddress) ||
          options.access.identify(req)?.roles.includes('manager') === true,
      }),
    );
    app.get('/healthz', (_req, res) => {
      const { queue } = options;
      const ready = options.ready?.() ?? true;
      const status = queue.failure ? 'failed' : queue.diskFull ? 'diskFull' : ready ? 'ok' : 'starting';
      const error = queue.failure ?? queue.diskFull;
      res.status(status === 'ok' ? 200 : 503).json({
        status,
        ...(error ? { error: error.message } : {}),
        live: !queue.failure,
        notReady: notReady(),
        centre: queue.config.centre.id,
        day: queue.state.day,
        journalSeq: queue.state.seq,
        uptimeSeconds: Math.round(process.uptime()),
        disk: { freeBytes: queue.disk.freeBytes, low: queue.disk.low },
        clock: queue.clockJump
          ? { status: 'jumped', byMs: queue.clockJump.byMs, wallAt: queue.clockJump.wallAt }
          : { status: 'ok' },
        ...options.health(),
        upstream: upstreamHealth(upstream()),
      });
    });
    const guard = guardWith(options.access);
    const log = options.logger;
    app.use(
      '/api',
      auditManagerActions(options.audit, (err) => log.error({ err }, 'audit log write failed')),
    );
    app.use(
      '/api',
      createSessionRouter({
        access: options.access,
        guard,
        queue: options.queue,
        accounts: options.accounts,
        sessions: options.sessions,
        throttle: new LoginThrottle(),
        failures: this.#failures,
        audit: options.audit,
      }),
    );
    if (options.kiosks) {
      app.use(
        '/api',
        createKioskPairingRouter({
          queue: options.queue,
          kiosks: options.kiosks,
          pairing: new KioskPairing(),
          guard,
          requests: new RateLimit({ windowMs: 60_000, max: 10 }),
          onRevoked: options.onKioskRevoked,
        }),
      );
    }
    app.use('/api', createStaffRouter({ queue: options.queue, centre: options.centre, guard }));
    app.use(
      '/api',
      createApiRouter({
        queue: options.queue,
        access: options.access,
        print: options.print,
        canPrint: (id) => options.registry.canPrint(id),
      }),
    );
    app.use(
      '/api',
      createDeviceRouter({
        registry: options.registry,
        centre: options.centre,
        guard,
        ...(options.disconnectDevice ? { disconnectDevice: options.disconnectDevice } : {}),
      }),
    );
    app.use('/api', createKioskRouter({ queue: options.queue, deviceService: options.deviceService, guard }));
    app.use(
      '/api',
      createTicketLinkRouter({ queue: options.queue, deviceService: options.deviceService, guard }),
    );
    app.use('/api', createReportRouter({ reports: options.reports, guard }));
    app.use(
      '/api',
      createStaffingRouter({
        queue: options.queue,
        reports: options.reports,
        guard,
        advisor: this.#staffing,
      }),
    );
    app.use(
      '/api',
      createDashboardRouter({
        queue: options.queue,
        registry: options.registry,
        guard,
        otherAlerts: () => {
          const state = upstream();
          return state.configured ? state.alerts : [];
        },
      }),
    );
    app.use('/api', createUpstreamRouter({ upstream, guard }));
    const voice = createVoiceRouter({
      config: () => options.queue.config,
      dataDir: options.dataDir,
      program: options.espeakProgram ?? 'espeak-ng',
      logger: options.logger.child({ part: 'voice' }),
    });
    this.#closeVoice = voice.close;
    app.use(voice.router);
    app.use(createPagesRouter(options.screensDir));
    app.use(notFoundRoute);
    app.use(errorHandler(options.logger));
    this.#server = createServer(app);
    this.io = new SocketServer(this.#server, { serveClient: false });
  }

  async start(port: number, host: string): Promise<void> {
    this.port = await listen(this.#server, port, host, 'HTTP_PORT (--http-port)');
    this.#flushTimer = setInterval(() => void this.#flushFailures(), FAILURES_FLUSH_MS);
    this.#flushTimer.unref();
    this.#expiryTimer = setInterval(() => {
      this.#sessions.expire().catch((err) => this.#log.warn({ err }, 'could not remove expired sessions'));
    }, SESSION_EXPIRY_CHECK_MS);
    this.#expiryTimer.unref();
  }

  /** Writes the summary of failed sign-ins since the last flush (one line per name and address). */
  async #flushFailures(): Promise<void> {
    const lines = this.#failures.flush();
    await this.#audit.appendAll(lines).catch((err) => this.#log.error({ err }, 'audit log write failed'));
  }

  async stop(): Promise<void> {
    if (this.#flushTimer) clearInterval(this.#flushTimer);
    if (this.#expiryTimer) clearInterval(this.#expiryTimer);
    this.#flushTimer = null;
    this.#expiryTimer = null;
    await this.#flushFailures();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    await this.#closeVoice();
    await this.#staffing.stop();
    this.#server.closeAllConnections();
    await closeServer(this.#server);
  }
}
