/**
 * The embedded MQTT broker (aedes) that the centre's devices connect to: plain TCP, and TLS when
 * a certificate is configured; TLS alone when the plain listener is turned off (MQTT_TLS_ONLY). Who may connect, publish and subscribe is decided by DeviceAccess.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Aedes } from 'aedes';
import { DEVICE_LIMITS } from '../../../devices/limits.ts';
import { closeServer, listen, StartupError } from '../../listen.ts';
import type { Logger } from '../../logger.ts';
import type { DeviceAccess } from './device-access.ts';
import { guardedConnection } from './packet-size-guard.ts';
import { indexedMemoryPersistence } from './retained-index.ts';

export interface TlsListener {
  port: number;
  certFile: string;
  keyFile: string;
  /** No plain listener: devices connect over TLS only. */
  only?: boolean;
}

export interface BrokerListen {
  port: number;
  host: string;
  tls?: TlsListener | null;
}

export class Broker {
  readonly #logger: Logger;
  #aedes: Aedes | null = null;
  #servers: Server[] = [];
  /** The plain listener's port; null when it is not opened (TLS only). */
  port: number | null = null;
  tlsPort: number | null = null;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  get aedes(): Aedes {
    if (!this.#aedes) throw new Error('broker not started');
    return this.#aedes;
  }

  get connectedClients(): number {
    return this.#aedes?.connectedClients ?? 0;
  }

  /** The broker itself, with its access rules; devices can reach it only after listen(). */
  async create(access: DeviceAccess): Promise<Aedes> {
    // A device that stops reading must not stall delivery to the others.
    const aedes = await Aedes.createBroker({
      persistence: indexedMemoryPersistence(),
      drainTimeout: 10_000,
      maxClientsIdLength: DEVICE_LIMITS.clientIdMaxLength,
      keepaliveLimit: DEVICE_LIMITS.keepaliveLimitSeconds,
    });
    aedes.preConnect = access.preConnect;
    aedes.authenticate = access.authenticate;
    aedes.authorizePublish = access.authorizePublish;
    aedes.authorizeSubscribe = access.authorizeSubscribe;
    aedes.on('client', (client) => this.#logger.debug({ clientId: client.id }, 'mqtt client connected'));
    aedes.on('clientDisconnect', (client) =>
      this.#logger.debug({ clientId: client.id }, 'mqtt client disconnected'),
    );
    aedes.on('clientError', (client, error) =>
      this.#logger.debug({ clientId: client.id, err: error.message }, 'mqtt client error'),
    );
    aedes.on('connectionError', (client, error) =>
      this.#logger.debug({ clientId: client?.id, err: error.message }, 'mqtt connection error'),
    );
    this.#aedes = aedes;
    return aedes;
  }

  async listen({ port, host, tls }: BrokerListen): Promise<void> {
    const aedes = this.aedes;
    // Oversize packets are refused from their header, before the broker buffers their body.
    const handle = (socket: import('node:net').Socket) => {
      // Small packets out at once: with Nagle's algorithm a call to a display waited up to 40 ms
      // for the device's delayed ACK whenever the broker was quiet (bench/broker.ts).
      socket.setNoDelay(true);
      return aedes.handle(
        guardedConnection(socket, () =>
          this.#logger.warn(
            { address: socket.remoteAddress },
            'mqtt packet over the size limit: connection closed',
          ),
        ) as unknown as import('node:net').Socket,
      );
    };
    if (!tls?.only) {
      const plain = createServer(handle);
      this.#servers.push(plain);
      this.port = await listen(plain, port, host, 'MQTT_PORT (--mqtt-port)');
    }
    if (tls) {
      let cert: Buffer;
      let key: Buffer;
      try {
        [cert, key] = await Promise.all([readFile(tls.certFile), readFile(tls.keyFile)]);
      } catch (error) {
        throw new StartupError(
          `cannot read the MQTT TLS certificate or key (${(error as Error).message}); check MQTT_TLS_CERT and MQTT_TLS_KEY`,
        );
      }
      const secure = createTlsServer({ cert, key }, handle);
      this.#servers.push(secure);
      this.tlsPort = await listen(secure, tls.port, host, 'MQTT_TLS_PORT (--mqtt-tls-port)');
    }
  }

  /** Closes a device's connection at once (its secret was replaced): it must come back with the new one. */
  disconnect(clientId: string): boolean {
    // aedes keeps its connected clients by id (a null-prototype object, not in its typings).
    const clients = (this.#aedes as unknown as { clients?: Record<string, { close(): void }> } | null)
      ?.clients;
    const client = clients?.[clientId];
    if (!client) return false;
    client.close();
    return true;
  }

  async stop(): Promise<void> {
    const aedes = this.#aedes;
    this.#aedes = null;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    for (const server of this.#servers.splice(0)) await closeServer(server);
  }
}
