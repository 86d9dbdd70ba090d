/**
 * The controller: builds the shared pieces (bus, configuration, queue, broker, HTTP) and starts
 * them in order; stops them in reverse. Constructors only assign; all I/O is in start()/stop().
 */
import { join } from 'node:path';
import { CentreStore } from './centre/centre-store.ts';
import type { QueueEvent } from './core/events.ts';
import { EventBus } from './event-bus.ts';
import { type AccessPolicy, openAccess } from './http/access.ts';
import { HttpService } from './http/server.ts';
import { Journal } from './journal/journal.ts';
import type { Logger } from './logger.ts';
import { Broker } from './mqtt/broker.ts';
import { Housekeeping } from './queue/housekeeping.ts';
import { QueueService } from './queue/queue-service.ts';
import { LiveUpdates } from './realtime/live-updates.ts';
import type { Settings } from './settings.ts';

export interface Started {
  httpPort: number;
  mqttPort: number;
  centre: string;
  dataDir: string;
  configFile: string;
  replayed: number;
}

export class Controller {
  readonly bus = new EventBus();
  readonly #settings: Settings;
  readonly #logger: Logger;
  readonly #access: AccessPolicy;
  #queue: QueueService | null = null;
  #broker: Broker | null = null;
  #http: HttpService | null = null;
  #live: LiveUpdates | null = null;
  #housekeeping: Housekeeping | null = null;
  #stopping: Promise<void> | null = null;

  constructor(settings: Settings, logger: Logger, access: AccessPolicy = openAccess) {
    this.#settings = settings;
    this.#logger = logger;
    this.#access = access;
  }

  get queue(): QueueService {
    if (!this.#queue) throw new Error('controller not started');
    return this.#queue;
  }

  async start(): Promise<Started> {
    const s = this.#settings;
    const log = this.#logger;
    this.bus.onListenerError((error) => log.error({ err: error }, 'event listener failed'));
    try {
      const centre = await CentreStore.open({
        dataDir: s.dataDir,
        seedFile: s.configFile,
        importConfig: s.importConfig,
        logger: log.child({ part: 'config' }),
      });
      const journal = new Journal<QueueEvent>({
        dir: join(s.dataDir, 'journal'),
        logger: log.child({ part: 'journal' }),
      });
      const opened = await QueueService.open({
        config: centre.config,
        journal,
        bus: this.bus,
        logger: log.child({ part: 'queue' }),
      });
      this.#queue = opened.service;
      for (const repair of opened.repairs)
        log.warn(repair, 'journal tail was torn by a power cut and has been repaired');

      this.#broker = new Broker(log.child({ part: 'mqtt' }));
      await this.#broker.start(s.mqttPort, s.host);

      const broker = this.#broker;
      this.#http = new HttpService({
        queue: this.#queue,
        access: this.#access,
        logger: log.child({ part: 'http' }),
        health: () => ({ mqtt: { port: broker.port, clients: broker.connectedClients } }),
      });
      this.#live = new LiveUpdates({ io: this.#http.io, bus: this.bus, queue: this.#queue });
      this.#live.start();
      this.#housekeeping = new Housekeeping(this.#queue, log.child({ part: 'housekeeping' }));
      this.#housekeeping.start();
      await this.#http.start(s.httpPort, s.host);

      return {
        httpPort: this.#http.port,
        mqttPort: this.#broker.port,
        centre: centre.config.centre.name,
        dataDir: s.dataDir,
        configFile: centre.file,
        replayed: opened.replayed,
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
    this.#housekeeping?.stop();
    this.#live?.stop();
    await this.#http?.stop().catch((e) => this.#logger.warn({ err: e }, 'http stop failed'));
    await this.#broker?.stop().catch((e) => this.#logger.warn({ err: e }, 'mqtt stop failed'));
    await this.#queue?.close().catch((e) => this.#logger.error({ err: e }, 'journal close failed'));
    this.bus.removeListeners(this);
  }
}
