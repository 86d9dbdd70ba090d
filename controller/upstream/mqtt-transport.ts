/**
 * The link to the province's broker, over mqtt.js: MQTT 5 or 3.1.1, TLS, credentials, a persistent
 * session (`clean: false`, session expiry), the last will, reconnects. It says what is wrong once
 * per change of state (not once per retry). mqtt.js keeps unacknowledged messages in memory only:
 * durability is the publisher's cursor, not this queue.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Logger } from '../logger.ts';
import { redact } from './redact-url.ts';

export type LinkState = 'connecting' | 'connected' | 'down';

/** What kind of trouble (screens word it in their language). */
export type LinkProblem = 'unreachable' | 'refused' | 'lost' | 'tls' | 'other';

export interface LinkStatus {
  state: LinkState;
  /** What is wrong while down (unreachable, refused…), in English. */
  problem: string | null;
  problemKind: LinkProblem | null;
  since: number;
}

export interface Will {
  topic: string;
  payload: string;
}

/** What the publisher needs from a link; tests supply a fake one. */
export interface UpstreamTransport {
  /** Starts connecting (and reconnecting) with `will` as the last will (retained, QoS 1). */
  start(will: Will, hooks: { onConnect: () => void; onDown: () => void }): void;
  readonly status: LinkStatus;
  /** Resolves when the broker acknowledges (QoS 1), rejects when the message could not be sent. */
  publish(topic: string, payload: string, retain: boolean): Promise<void>;
  /** Publishes `farewell` (if connected, waiting a little for its acknowledgement) and disconnects cleanly. */
  stop(farewell?: Will): Promise<void>;
}

export interface MqttTransportOptions {
  url: string;
  clientId: string;
  protocolVersion: 4 | 5;
  username?: string;
  password?: string;
  ca?: Buffer;
  logger: Logger;
  /** How long a stopped session is kept by the broker (MQTT 5), seconds. */
  sessionExpirySeconds?: number;
  reconnectPeriodMs?: number;
  clock?: () => number;
}

const FAREWELL_WAIT_MS = 2_000;

export class MqttTransport implements UpstreamTransport {
  readonly #opts: MqttTransportOptions;
  #client: MqttClient | null = null;
  #status: LinkStatus;
  /** The last problem logged, so each is logged once until the state changes. */
  #logged: string | null = null;

  constructor(opts: MqttTransportOptions) {
    this.#opts = opts;
    this.#status = {
      state: 'connecting',
      problem: null,
      problemKind: null,
      since: (opts.clock ?? Date.now)(),
    };
  }

  get status(): LinkStatus {
    return this.#status;
  }

  start(will: Will, hooks: { onConnect: () => void; onDown: () => void }): void {
    const o = this.#opts;
    const options: IClientOptions = {
      clientId: o.clientId,
      protocolVersion: o.protocolVersion,
      clean: false,
      reconnectPeriod: o.reconnectPeriodMs ?? 2_000,
      connectTimeout: 10_000,
      reconnectOnConnackError: true,
      resubscribe: false,
      will: { topic: will.topic, payload: Buffer.from(will.payload), qos: 1, retain: true },
      ...(o.protocolVersion === 5
        ? { properties: { sessionExpiryInterval: o.sessionExpirySeconds ?? 7 * 24 * 3600 } }
        : {}),
      ...(o.username !== undefined ? { username: o.username, password: o.password ?? '' } : {}),
      ...(o.ca ? { ca: o.ca } : {}),
    };
    const client = mqtt.connect(o.url, options);
    this.#client = client;
    client.on('connect', () => {
      this.#set('connected', null, null);
      hooks.onConnect();
    });
    client.on('error', (error: Error & { code?: string | number }) => {
      const { kind, text } = describe(error);
      this.#set('down', text, kind);
    });
    client.on('close', () => {
      if (this.#status.state === 'connected') {
        this.#set('down', 'the connection to the broker was lost', 'lost');
        hooks.onDown();
      } else if (this.#status.state === 'connecting')
        this.#set('down', 'the broker closed the connection', 'lost');
    });
  }

  publish(topic: string, payload: string, retain: boolean): Promise<void> {
    const client = this.#client;
    if (!client) return Promise.reject(new Error('not started'));
    return new Promise((resolve, reject) =>
      client.publish(topic, payload, { qos: 1, retain }, (error) => (error ? reject(error) : resolve())),
    );
  }

  async stop(farewell?: Will): Promise<void> {
    const client = this.#client;
    if (!client) return;
    this.#client = null;
    if (farewell && client.connected) {
      const sent = new Promise<void>((resolve) =>
        client.publish(farewell.topic, farewell.payload, { qos: 1, retain: true }, () => resolve()),
      );
      await Promise.race([sent, new Promise((r) => setTimeout(r, FAREWELL_WAIT_MS).unref())]);
    }
    await new Promise<void>((resolve) => client.end(true, {}, () => resolve()));
  }

  #set(state: LinkState, problem: string | null, problemKind: LinkProblem | null): void {
    const now = (this.#opts.clock ?? Date.now)();
    if (state !== this.#status.state || problem !== this.#status.problem)
      this.#status = {
        state,
        problem,
        problemKind,
        since: state === this.#status.state ? this.#status.since : now,
      };
    const key = `${state}:${problem ?? ''}`;
    if (key === this.#logged) return;
    this.#logged = key;
    const log = this.#opts.logger;
    const where = redact(this.#opts.url);
    if (state === 'connected') log.info({ broker: where }, 'upstream: connected to the province broker');
    else if (state === 'down')
      log.warn(
        { broker: where, problem },
        `upstream: not connected to the province broker: ${problem}; retrying`,
      );
  }
}

/** One line per kind of failure, stable across retries (so it is logged once). */
function describe(error: Error & { code?: string | number }): { kind: LinkProblem; text: string } {
  const code = error.code;
  if (typeof code === 'number') {
    if (code === 4 || code === 134)
      return { kind: 'refused', text: 'the broker refused the user name or password' };
    if (code === 5 || code === 135)
      return { kind: 'refused', text: 'the broker refused the credentials (not authorized)' };
    return { kind: 'refused', text: `the broker refused the connection (${error.message})` };
  }
  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'unreachable', text: 'connection refused (is the broker running?)' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { kind: 'unreachable', text: 'the broker’s host name does not resolve' };
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', text: 'the broker cannot be reached (network)' };
    case 'ECONNRESET':
      return { kind: 'lost', text: 'the connection was reset' };
    default:
      if (/certificate|self.signed|CERT|SSL|TLS/i.test(`${code ?? ''} ${error.message}`))
        return { kind: 'tls', text: `TLS: ${error.message}` };
      return { kind: 'other', text: error.message };
  }
}
