/**
 * The embedded MQTT broker (aedes) that the centre's devices connect to. Device authentication,
 * topic ACLs and the device protocol sit on top of it (docs/protocol.md).
 */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { closeServer, listen } from '../listen.ts';
import type { Logger } from '../logger.ts';

export class Broker {
  readonly #logger: Logger;
  #aedes: Aedes | null = null;
  #server: Server | null = null;
  port = 0;

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

  async start(port: number, host: string): Promise<void> {
    const aedes = await Aedes.createBroker();
    aedes.on('client', (client) => this.#logger.debug({ clientId: client.id }, 'mqtt client connected'));
    aedes.on('clientDisconnect', (client) =>
      this.#logger.debug({ clientId: client.id }, 'mqtt client disconnected'),
    );
    aedes.on('clientError', (client, error) =>
      this.#logger.warn({ clientId: client.id, err: error.message }, 'mqtt client error'),
    );
    const server = createServer(aedes.handle);
    this.#aedes = aedes;
    this.#server = server;
    this.port = await listen(server, port, host, 'MQTT_PORT (--mqtt-port)');
  }

  async stop(): Promise<void> {
    const server = this.#server;
    const aedes = this.#aedes;
    this.#server = null;
    this.#aedes = null;
    if (aedes) await new Promise<void>((resolve) => aedes.close(() => resolve()));
    if (server) await closeServer(server);
  }
}
