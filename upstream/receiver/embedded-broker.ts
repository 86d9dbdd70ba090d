/**
 * The receiver's own MQTT listener (aedes), used when no upstream broker is configured: centres
 * publish to it, the receiver subscribes to it like to any broker. Anyone may connect and publish
 * under the topic prefix; only the receiver itself (a password made at start) may subscribe.
 * Sessions live in memory: a real province runs a real broker (docs/province-receiver.md).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import type { BrokerCredentials } from './settings.ts';

export class EmbeddedBroker {
  readonly #prefix: string;
  readonly #host: string;
  readonly #requestedPort: number;
  #aedes: Aedes | null = null;
  #server: Server | null = null;
  port = 0;
  /** What the receiver's own client connects with. */
  readonly credentials: BrokerCredentials;

  constructor(options: { topicPrefix: string; host: string; port: number }) {
    this.#prefix = options.topicPrefix;
    this.#host = options.host;
    this.#requestedPort = options.port;
    this.credentials = { username: 'province-receiver', password: randomBytes(18).toString('base64url') };
  }

  async start(): Promise<void> {
    const aedes = await Aedes.createBroker({ drainTimeout: 10_000 });
    const own = this.credentials;
    const receivers = new Set<string>();
    const isReceiver = (client: { id: string } | null) => client !== null && receivers.has(client.id);
    aedes.authenticate = (client, username, password, done) => {
      if (username === own.username) {
        const ok = password !== undefined && Buffer.from(password).toString() === own.password;
        if (ok) receivers.add(client.id);
        return done(null, ok);
      }
      done(null, true);
    };
    aedes.authorizePublish = (_client, packet, done) => {
      if (!packet.topic.startsWith(`${this.#prefix}/`)) {
        return done(new Error(`publish only under ${this.#prefix}/`));
      }
      done(null);
    };
    aedes.authorizeSubscribe = (client, sub, done) => {
      // Refused with a SUBACK failure (0x80), the connection stays up.
      if (!isReceiver(client)) return done(null, null);
      done(null, sub);
    };
    aedes.on('clientDisconnect', (client) => receivers.delete(client.id));
    this.#aedes = aedes;
    const server = createServer(aedes.handle);
    this.#server = server;
    this.port = await new Promise<number>((resolvePort, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new Error(
                `port ${this.#requestedPort} is already in use; set RECEIVER_MQTT_PORT to a free port`,
              )
            : error,
        ),
      );
      server.listen(this.#requestedPort, this.#host, () => {
        const address = server.address();
        resolvePort(typeof address === 'object' && address ? address.port : this.#requestedPort);
      });
    });
  }

  async stop(): Promise<void> {
    const server = this.#server;
    const aedes = this.#aedes;
    this.#server = null;
    this.#aedes = null;
    if (aedes) await new Promise<void>((done) => aedes.close(() => done()));
    if (server?.listening) await new Promise<void>((done) => server.close(() => done()));
  }
}
