/**
 * The receiver's MQTT client: a persistent session (clean: false, a fixed client id, MQTT 3.1.1
 * whose sessions do not expire on disconnect) subscribed at QoS 1 to every centre of the province.
 *
 * Messages are handled one at a time through mqtt.js's `handleMessage`, whose callback sends the
 * PUBACK: it is called only once the message's database write has committed. A process that dies
 * before that has acknowledged nothing, and the broker delivers the message again to the same
 * session. A failing database is retried (the message stays unacknowledged, later messages wait).
 */
import { readFile } from 'node:fs/promises';
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from './logger.ts';
import type { BrokerCredentials } from './settings.ts';

export interface SubscriberOptions {
  url: string;
  clientId: string;
  filter: string;
  credentials: BrokerCredentials | null;
  caFile: string | null;
  logger: Logger;
  /** Stores the message; resolves once it is durable. Throwing means "not stored, try again". */
  handle: (topic: string, payload: Buffer, packet: IPublishPacket) => Promise<void>;
}

export type LinkState = 'connecting' | 'subscribed' | 'disconnected' | 'refused' | 'stopped';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export class Subscriber {
  readonly #o: SubscriberOptions;
  #client: MqttClient | null = null;
  #state: LinkState = 'connecting';
  #stateDetail = '';
  #stopping = false;
  #subscribedWaiters: Array<() => void> = [];
  /** Messages stored since start. */
  handled = 0;

  constructor(options: SubscriberOptions) {
    this.#o = options;
  }

  get state(): { state: LinkState; detail: string } {
    return { state: this.#state, detail: this.#stateDetail };
  }

  async start(): Promise<void> {
    const o = this.#o;
    const options: IClientOptions = {
      clientId: o.clientId,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: 2_000,
      connectTimeout: 10_000,
      keepalive: 30,
      resubscribe: true,
      ...(o.credentials ? { username: o.credentials.username, password: o.credentials.password } : {}),
      ...(o.caFile ? { ca: await readFile(o.caFile) } : {}),
    };
    const client = mqtt.connect(o.url, options);
    this.#client = client;
    client.handleMessage = (packet, callback) => {
      if (packet.cmd !== 'publish') return callback();
      void this.#handleUntilStored(packet as IPublishPacket).then((stored) => {
        // Stopping: leave it unacknowledged, the broker delivers it again to this session.
        if (stored) {
          this.handled++;
          callback();
        }
      });
    };
    client.on('connect', (connack) => {
      client.subscribe(o.filter, { qos: 1 }, (error, granted) => {
        if (error || !granted || granted.some((g) => g.qos !== 1)) {
          this.#setState(
            'refused',
            `subscription to ${o.filter} refused${error ? `: ${error.message}` : ''}`,
          );
          return;
        }
        this.#setState('subscribed', connack.sessionPresent ? 'session resumed' : 'new session');
        for (const w of this.#subscribedWaiters.splice(0)) w();
      });
    });
    client.on('close', () => {
      if (!this.#stopping) this.#setState('disconnected', 'connection closed; reconnecting');
    });
    client.on('error', (error) => {
      const refused = /Not authorized|Bad username|refused/i.test(error.message);
      this.#setState(refused ? 'refused' : 'disconnected', error.message);
    });
  }

  /** Resolves once subscribed (after start, or after the next reconnect). */
  subscribed(): Promise<void> {
    if (this.#state === 'subscribed') return Promise.resolve();
    return new Promise((resolve) => this.#subscribedWaiters.push(resolve));
  }

  /** Closes at once; messages not yet stored stay unacknowledged at the broker. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#setState('stopped', '');
    const client = this.#client;
    this.#client = null;
    if (client) await new Promise<void>((done) => client.end(true, {}, () => done()));
  }

  async #handleUntilStored(packet: IPublishPacket): Promise<boolean> {
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    let delay = RETRY_MIN_MS;
    let failing = false;
    while (!this.#stopping) {
      try {
        await this.#o.handle(packet.topic, payload, packet);
        if (failing) this.#o.logger.info({ topic: packet.topic }, 'storing works again');
        return !this.#stopping;
      } catch (error) {
        if (!failing) {
          this.#o.logger.error(
            { topic: packet.topic, err: (error as Error).message },
            'cannot store an upstream message; retrying, nothing acknowledged meanwhile',
          );
          failing = true;
        }
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, RETRY_MAX_MS);
      }
    }
    return false;
  }

  #setState(state: LinkState, detail: string): void {
    if (state === this.#state && detail === this.#stateDetail) return;
    const changed = state !== this.#state;
    this.#state = state;
    this.#stateDetail = detail;
    if (!changed) return;
    const log = state === 'subscribed' || state === 'stopped' ? 'info' : 'warn';
    this.#o.logger[log]({ broker: redact(this.#o.url), detail }, `upstream broker: ${state}`);
  }
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
