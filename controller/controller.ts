/**
 * The controller: builds the shared pieces (bus, configuration, queue, broker, devices, HTTP) and
 * starts them in order; stops them in reverse. Constructors only assign; all I/O is in start()/stop().
 */
import { join } from 'node:path';
import { AccountStore } from './accounts/account-store.ts';
import { AuditLog } from './accounts/audit-log.ts';
import { seedDemoAccounts } from './accounts/demo-accounts.ts';
import { Sessions } from './accounts/sessions.ts';
import { CentreStore } from './centre/centre-store.ts';
import { DEMO_CENTRE_FILE } from './centre/load.ts';
import type { QueueEvent } from './core/events.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { CitizenKeys } from './device-service/citizen-keys.ts';
import { DeviceRegistry } from './device-service/device-registry.ts';
import { DeviceService } from './device-service/device-service.ts';
import type { DeviceTransport } from './device-service/transport.ts';
import { EventBus } from './event-bus.ts';
import { openDataFormat } from './formats/data-format.ts';
import type { AccessPolicy } from './http/access.ts';
import { HttpService } from './http/server.ts';
import { SessionAccess } from './http/session-access.ts';
import { leaveCountersOf } from './http/session-routes.ts';
import { Journal, removeStaleTemps } from './journal/journal.ts';
import { JournalRetentionTask } from './journal/retention-task.ts';
import type { Logger } from './logger.ts';
import { HallMetrics } from './metrics/metrics.ts';
import { defaultPublicUrl } from './public-url.ts';
import { Housekeeping } from './queue/housekeeping.ts';
import { QueueService } from './queue/queue-service.ts';
import { LiveUpdates } from './realtime/live-updates.ts';
import { ReportSource } from './reports/report-source.ts';
import { KioskCredentials } from './security/kiosk-credentials.ts';
import type { Settings } from './settings.ts';
import { HidDevices } from './transports/hid/hid-devices.ts';
import { Broker } from './transports/mqtt/broker.ts';
import { DeviceAccess } from './transports/mqtt/device-access.ts';
import { MqttDevices } from './transports/mqtt/mqtt-devices.ts';
import { SerialDevices } from './transports/serial/serial-devices.ts';
import type { UpstreamPublisher, UpstreamState } from './upstream/upstream-publisher.ts';
import { planUpstream } from './upstream/upstream-setup.ts';

export interface Started {
  httpPort: number;
  /** null: no plain MQTT listener (MQTT_TLS_ONLY). */
  mqttPort: number | null;
  mqttTlsPort: number | null;
  centre: string;
  dataDir: string;
  configFile: string;
  publicUrl: string;
  replayed: number;
  devices: number;
  /** The demo centre's published accounts are in force (the banner prints them). */
  demoAccounts: boolean;
}

export class Controller {
  readonly bus = new EventBus();
  readonly #settings: Settings;
  readonly #logger: Logger;
  readonly #access: AccessPolicy | null;
  #centre: CentreStore | null = null;
  #queue: QueueService | null = null;
  #registry: DeviceRegistry | null = null;
  #broker: Broker | null = null;
  #deviceService: DeviceService | null = null;
  #http: HttpService | null = null;
  #live: LiveUpdates | null = null;
  #housekeeping: Housekeeping | null = null;
  #retention: JournalRetentionTask | null = null;
  #upstream: UpstreamPublisher | null = null;
  #upstreamState: UpstreamState = { configured: false, reason: 'not started' };
  #stopping: Promise<void> | null = null;
  #lock: DataDirLock | null = null;
  /** Everything listens and the state is loaded (/healthz readiness). */
  #ready = false;
  /** The part being started while not ready (/healthz/ready names it). */
  #starting = 'the data folder';
  #metrics: HallMetrics | null = null;

  /** `access`: who callers are; by default their session (accounts in the data folder). */
  constructor(settings: Settings, logger: Logger, access?: AccessPolicy) {
    this.#settings = settings;
    this.#logger = logger;
    this.#access = access ?? null;
  }

  get queue(): QueueService {
    if (!this.#queue) throw new Error('controller not started');
    return this.#queue;
  }

  get devices(): DeviceRegistry {
    if (!this.#registry) throw new Error('controller not started');
    return this.#registry;
  }

  get deviceService(): DeviceService {
    if (!this.#deviceService) throw new Error('controller not started');
    return this.#deviceService;
  }

  get centre(): CentreStore {
    if (!this.#centre) throw new Error('controller not started');
    return this.#centre;
  }

  async start(): Promise<Started> {
    const s = this.#settings;
    const log = this.#logger;
    this.bus.onListenerError((error) => log.error({ err: error }, 'event listener failed'));
    try {
      this.#lock = await DataDirLock.acquire(s.dataDir);
      await removeStaleTemps(s.dataDir, log); // writes a power cut or a full disk cut short
      // Before anything reads the folder: refuse newer formats, bring older ones forward.
      await openDataFormat(s.dataDir, log.child({ part: 'data-format' }));
      const centre = await CentreStore.open({
        dataDir: s.dataDir,
        seedFile: s.configFile,
        importConfig: s.importConfig,
        logger: log.child({ part: 'config' }),
      });
      this.#centre = centre;
      const config = () => centre.config;
      const metrics = new HallMetrics({
        bus: this.bus,
        queue: () => this.#queue,
        devices: () => this.#registry?.all() ?? [],
        upstream: () => this.#upstream?.status() ?? this.#upstreamState,
        ready: () => this.#ready,
      });
      this.#metrics = metrics;
      metrics.start();
      this.#starting = 'the queue journal (replay)';
      const journal = new Journal<QueueEvent>({
        dir: join(s.dataDir, 'journal'),
        logger: log.child({ part: 'journal' }),
        onCommit: (commit) => metrics.journalCommit(commit),
      });
      const opened = await QueueService.open({
        config: centre.config,
        journal,
        bus: this.bus,
        logger: log.child({ part: 'queue' }),
      });
      const queue = opened.service;
      this.#queue = queue;
      for (const repair of opened.repairs)
        log.warn(repair, 'journal tail was torn by a power cut and has been repaired');

      const registry = new DeviceRegistry({ config, bus: this.bus });
      this.#registry = registry;
      const access = new DeviceAccess({
        centreId: () => centre.config.centre.id,
        devices: () => centre.config.devices,
        monitorSecretHash: () => centre.config.monitor?.secretHash,
        logger: log.child({ part: 'mqtt-access' }),
        onRefused: (deviceId, _reason, detail) => registry.countError(deviceId, 'unauthorized', detail),
      });
      const broker = new Broker(log.child({ part: 'mqtt' }));
      this.#broker = broker;
      await broker.create(access);

      const citizens = await CitizenKeys.open(s.dataDir);
      const upstreamLog = log.child({ part: 'upstream' });
      const plan = await planUpstream(s.upstreamUrl, centre.config, s.dataDir, upstreamLog);
      if (plan.configured) {
        // Loaded only when reporting (like mqtt.js, which it uses): most starts do without it (issue 14).
        const { UpstreamPublisher } = await import('./upstream/upstream-publisher.ts');
        this.#upstream = new UpstreamPublisher({
          url: plan.url,
          config,
          dataDir: s.dataDir,
          journalDir: join(s.dataDir, 'journal'),
          bus: this.bus,
          queue,
          devices: () => registry.all(),
          pseudonym: (staffId) => citizens.staffPseudonym(staffId),
          transport: plan.transport,
          logger: upstreamLog,
        });
      } else {
        this.#upstreamState = plan;
        if (s.upstreamUrl) upstreamLog.error(`upstream: not reporting to the province: ${plan.reason}`);
      }
      const accounts = await AccountStore.open(s.dataDir);
      const sessions = await Sessions.open(s.dataDir, {
        idleMinutes: s.sessionIdleMinutes,
        // A staff member serving a citizen at the counter they signed in to is at work, touching the
        // console or not (a long "5 on the spot" visit): their session does not go idle meanwhile.
        inUse: (session) => {
          const counter = session.counterId ? queue.state.counters[session.counterId] : undefined;
          return counter !== undefined && counter.staffId === session.staffId && !!counter.currentTicketId;
        },
      });
      // Whenever sessions end (sign-out, removed account, new password, expiry), the live connections
      // they opened are closed at once: their screens stop receiving staff and manager updates.
      sessions.onEnded((ended, why) => {
        this.#live?.revalidate();
        if (why === 'expired' || why === 'removed') {
          leaveCountersOf(queue, sessions, ended).catch((err) =>
            log.warn({ err }, 'could not leave the counter of an ended session'),
          );
        }
      });
      // Accounts matter only under the session policy (tests of other parts supply their own).
      const usesSessions = this.#access === null;
      const demoAccounts = usesSessions && s.configFile === DEMO_CENTRE_FILE;
      if (usesSessions && s.configFile === DEMO_CENTRE_FILE) {
        const seeded = await seedDemoAccounts(accounts, centre.config);
        if (seeded.length)
          log.warn({ accounts: seeded }, 'demo accounts created (published passwords: demo only)');
      } else if (usesSessions && accounts.isEmpty) {
        log.warn('no accounts yet: create the first manager with "npm run account" (see docs/accounts.md)');
      }
      // Registered kiosks (pairing, `npm run kiosk-token`): only under the session policy.
      const kiosks = usesSessions ? new KioskCredentials(s.dataDir) : null;
      await kiosks?.load();
      const httpAccess = this.#access ?? new SessionAccess(sessions, (u) => accounts.find(u)?.name, kiosks);
      this.#http = new HttpService({
        queue,
        access: httpAccess,
        ...(kiosks ? { kiosks } : {}),
        disconnectDevice: (deviceId) => broker.disconnect(deviceId),
        onKioskRevoked: (kioskId) => this.#live?.disconnect((id) => id.endsWith(`:${kioskId}`)),
        accounts,
        sessions,
        audit: new AuditLog(s.dataDir),
        reports: new ReportSource({
          journalDir: join(s.dataDir, 'journal'),
          config,
          pseudonym: (id) => citizens.staffPseudonym(id),
        }),
        registry,
        centre,
        print: (deviceId, ticket) => this.#deviceService?.print(deviceId, ticket),
        logger: log.child({ part: 'http' }),
        dataDir: s.dataDir,
        screensDir: s.screensDir,
        espeakProgram: s.espeakProgram,
        deviceService: () => this.#deviceService,
        upstream: () => this.#upstream?.status() ?? this.#upstreamState,
        health: () => ({
          mqtt: { port: broker.port, tlsPort: broker.tlsPort, clients: broker.connectedClients },
        }),
        ready: () => this.#ready,
        starting: () => this.#starting,
        metrics,
        metricsAllow: s.metricsAllow,
      });
      const http = this.#http;
      const publicUrl = () => s.publicUrl ?? defaultPublicUrl(s.host, http.port).url;
      // One transport per way the centre's devices are attached, and only those: a serial-only centre
      // runs without the MQTT one (the broker listens all the same, for the monitor), an MQTT-only
      // centre never loads serialport or node-hid.
      const attached = new Set(centre.config.devices.map((d) => d.transport));
      const transports: DeviceTransport[] = [];
      if (attached.has('mqtt'))
        transports.push(
          new MqttDevices({ aedes: broker.aedes, config, registry, logger: log.child({ part: 'devices' }) }),
        );
      if (attached.has('serial'))
        transports.push(new SerialDevices({ config, registry, logger: log.child({ part: 'serial' }) }));
      if (attached.has('hid'))
        transports.push(new HidDevices({ config, registry, logger: log.child({ part: 'hid' }) }));
      this.#deviceService = new DeviceService({
        config,
        queue,
        registry,
        bus: this.bus,
        citizens,
        publicUrl,
        logger: log.child({ part: 'devices' }),
        transports,
      });
      this.#live = new LiveUpdates({ io: http.io, bus: this.bus, queue, registry, access: httpAccess });
      this.#live.start();
      this.#housekeeping = new Housekeeping(queue, log.child({ part: 'housekeeping' }));
      this.#housekeeping.start();
      this.#retention = new JournalRetentionTask({
        dir: join(s.dataDir, 'journal'),
        config,
        // Reporting configured but not running: nothing may go before the province has it.
        neededFrom: () => this.#upstream?.oldestSeqStillNeeded() ?? (s.upstreamUrl ? 1 : null),
        logger: log.child({ part: 'retention' }),
      });
      this.#retention.start();
      // Reporting upstream never stops the hall from starting.
      await this.#upstream?.start().catch((error: Error) => {
        upstreamLog.error({ err: error }, 'upstream: cannot start reporting to the province');
        this.#upstreamState = { configured: false, reason: `could not start: ${error.message}` };
        this.#upstream = null;
      });
      this.#starting = 'the HTTP server';
      await http.start(s.httpPort, s.host);
      // Listening for devices only once the device service follows them, so no birth goes unanswered.
      this.#starting = 'the device service (serial, USB, MQTT devices)';
      await this.#deviceService.start();
      this.#starting = 'the MQTT broker';
      await broker.listen({ port: s.mqttPort, host: s.host, tls: s.mqttTls });
      const guessed = s.publicUrl ? null : defaultPublicUrl(s.host, http.port);
      if (guessed?.guess)
        log.warn(
          { publicUrl: guessed.url, why: guessed.guess },
          'PUBLIC_URL is not set: ticket QR codes link to a guessed address; set PUBLIC_URL to the address phones on the centre Wi-Fi reach',
        );
      this.#ready = true;
      void queue.snapshotAfterStart();

      return {
        httpPort: http.port,
        mqttPort: broker.port,
        mqttTlsPort: broker.tlsPort,
        centre: centre.config.centre.name,
        dataDir: s.dataDir,
        configFile: centre.file,
        publicUrl: publicUrl(),
        replayed: opened.replayed,
        devices: centre.config.devices.length,
        demoAccounts,
      };
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Stops taking requests, lets commands in flight reach the journal, then closes everything. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stopOnce();
    return this.#stopping;
  }

  async #stopOnce(): Promise<void> {
    this.#ready = false;
    this.#starting = 'nothing: the controller is stopping';
    this.#metrics?.stop();
    const warn = (what: string) => (e: unknown) => this.#logger.warn({ err: e }, `${what} stop failed`);
    this.#housekeeping?.stop();
    await this.#retention?.stop();
    await this.#upstream?.stop().catch(warn('upstream'));
    this.#live?.stop();
    await this.#deviceService?.stop().catch(warn('devices'));
    this.#registry?.stop();
    await this.#http?.stop().catch(warn('http'));
    await this.#broker?.stop().catch(warn('mqtt'));
    await this.#queue?.close().catch((e) => this.#logger.error({ err: e }, 'journal close failed'));
    await this.#lock?.release();
  }
}
