/**
 * The province receiver, put together: database (migrated), MQTT subscription, HTTP page and API.
 * `startReceiver()` starts it in process (npm run receiver, the demo, tests); `stop()` closes
 * everything it opened, in reverse order.
 */
import type { Server } from 'node:http';
import type { IPublishPacket } from 'mqtt';
import { provinceFilter } from '../protocol/topics.ts';
import { lockDataDir } from './data-dir-lock.ts';
import { type Db, openDatabase, redactUrl } from './db.ts';
import { EmbeddedBroker } from './embedded-broker.ts';
import { createApp } from './http.ts';
import { ingest } from './ingest.ts';
import { type Logger, silentLogger } from './logger.ts';
import { migrate } from './migrate.ts';
import type { ReceiverSettings } from './settings.ts';
import { ReceiverStore } from './store.ts';
import { Subscriber } from './subscriber.ts';

export type ReceiverOptions = Partial<ReceiverSettings> & {
  logger?: Logger;
  /** Embedded PostgreSQL in memory instead of `dataDir` (tests). */
  memoryDatabase?: boolean;
  /** Called after a message's write commits and before it is acknowledged (tests of the ack order). */
  afterStore?: (topic: string, payload: Buffer) => Promise<void> | void;
};

export interface RunningReceiver {
  httpPort: number;
  /** The embedded listener's port; null when subscribed to an external broker. */
  mqttPort: number | null;
  /** Where centres publish: the external broker or the embedded listener. */
  brokerUrl: string;
  database: string;
  store: ReceiverStore;
  subscriber: Subscriber;
  stop(): Promise<void>;
}

export const RECEIVER_DEFAULTS: ReceiverSettings = {
  brokerUrl: null,
  mqttPort: 1884,
  databaseUrl: null,
  dataDir: 'data-province',
  httpPort: 8090,
  host: '0.0.0.0',
  topicPrefix: 'qms-province',
  provinceId: 'quang-nam',
  provinceName: 'tỉnh Quảng Nam',
  clientId: 'province-receiver-quang-nam',
  credentials: null,
  caFile: null,
  timeZone: 'Asia/Ho_Chi_Minh',
  logLevel: 'info',
};

export async function startReceiver(options: ReceiverOptions = {}): Promise<RunningReceiver> {
  const s: ReceiverSettings = {
    ...RECEIVER_DEFAULTS,
    clientId: `province-receiver-${options.provinceId ?? RECEIVER_DEFAULTS.provinceId}`,
    ...stripUndefined(options),
  };
  const logger = options.logger ?? silentLogger;
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => {});
  };
  try {
    if (!s.databaseUrl && !options.memoryDatabase) {
      const unlock = lockDataDir(s.dataDir);
      stops.push(async () => unlock());
    }
    const db: Db = await openDatabase(
      s.databaseUrl
        ? { url: s.databaseUrl }
        : options.memoryDatabase
          ? { memory: true }
          : { dataDir: s.dataDir },
    );
    stops.push(() => db.close());
    const database = s.databaseUrl
      ? redactUrl(s.databaseUrl)
      : options.memoryDatabase
        ? 'PGlite (memory)'
        : `PGlite ${s.dataDir}`;
    const applied = await migrate(db);
    logger.info({ database, applied }, 'database ready');
    const store = new ReceiverStore(db);
    const ctx = { store, topicPrefix: s.topicPrefix, provinceId: s.provinceId };

    let brokerUrl = s.brokerUrl;
    let credentials = s.credentials;
    let mqttPort: number | null = null;
    if (!brokerUrl) {
      const broker = new EmbeddedBroker({ topicPrefix: s.topicPrefix, host: s.host, port: s.mqttPort });
      await broker.start();
      stops.push(() => broker.stop());
      mqttPort = broker.port;
      brokerUrl = `mqtt://127.0.0.1:${broker.port}`;
      credentials = broker.credentials;
    }

    const subscriber = new Subscriber({
      url: brokerUrl,
      clientId: s.clientId,
      filter: provinceFilter(s.topicPrefix, s.provinceId),
      credentials,
      caFile: s.caFile,
      logger,
      handle: async (topic: string, payload: Buffer, packet: IPublishPacket) => {
        const result = await ingest(ctx, topic, payload, packet.retain, Date.now());
        if ('reason' in result) {
          logger.warn({ topic, reason: result.reason }, 'upstream message kept as a dead letter');
        } else logger.debug({ topic, ...result }, 'upstream message');
        await options.afterStore?.(topic, payload);
      },
    });
    await subscriber.start();
    stops.push(() => subscriber.stop());

    const app = createApp({ store, subscriber, settings: s, database, logger });
    const server = await new Promise<Server>((resolve, reject) => {
      const srv = app.listen(s.httpPort, s.host, (error?: Error) => {
        if (!error) return resolve(srv);
        reject(
          (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
            ? new Error(`port ${s.httpPort} is already in use; set RECEIVER_HTTP_PORT to a free port`)
            : error,
        );
      });
    });
    stops.push(
      () =>
        new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
    );
    const address = server.address();
    const httpPort = typeof address === 'object' && address ? address.port : s.httpPort;
    return {
      httpPort,
      mqttPort,
      brokerUrl: s.brokerUrl ?? `mqtt://localhost:${mqttPort}`,
      database,
      store,
      subscriber,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
