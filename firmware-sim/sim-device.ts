/**
 * A simulated device that speaks protocol v1 (docs/protocol.md) as real firmware would: a real
 * MQTT client with a last will, a birth message, a boot id and event sequence numbers, resending an
 * event until it is answered, and replying to commands by transaction id. Fault modes make it
 * misbehave the ways cheap devices do. Each device type adds its behaviour on top.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import mqtt, { type MqttClient } from 'mqtt';
import type { DeviceType } from '../controller/centre/schema.ts';
import type {
  CommandReply,
  DeviceCommand,
  DeviceEvent,
  EventResponse,
  TimeBroadcast,
} from '../devices/protocol/messages.ts';
import { broadcastTopic, deviceTopic } from '../devices/protocol/topics.ts';

export interface SimOptions {
  /** mqtt://host:port or mqtts://… */
  url: string;
  centreId: string;
  deviceId: string;
  secret: string;
  firmware?: string;
  /** Milliseconds to wait for an answer before sending the same event again. */
  resendAfterMs?: number;
  /** Extra options for TLS (ca, rejectUnauthorized). */
  tls?: { ca?: Buffer | string; rejectUnauthorized?: boolean };
}

export interface Faults {
  /** Send every event twice (a QoS 1 repeat the controller must not count twice). */
  duplicates?: boolean;
  /** Wait this long before replying to a command. */
  slowAcksMs?: number;
}

/** As docs/protocol.md asks of firmware: remember the last few `tx` (never print a ticket twice). */
const REMEMBERED_REPLIES = 16;

type Distribute<T> = T extends unknown ? Omit<T, 'boot' | 'seq'> : never;
export type OutgoingEvent = Distribute<DeviceEvent>;

export abstract class SimDevice extends EventEmitter {
  abstract readonly type: DeviceType;
  readonly options: SimOptions;
  readonly faults: Faults = {};
  readonly answers: EventResponse[] = [];
  readonly commands: DeviceCommand[] = [];
  boot = randomUUID().slice(0, 12);
  protected client: MqttClient | null = null;
  #seq = 0;
  readonly #waiting = new Map<number, (answer: EventResponse) => void>();
  /** The replies to the last commands, by tx: a command QoS 1 delivers again is answered, not redone. */
  readonly #replies = new Map<string, Promise<string>>();
  clock: TimeBroadcast | null = null;

  constructor(options: SimOptions) {
    super();
    this.options = options;
  }

  get id(): string {
    return this.options.deviceId;
  }

  topic(kind: Parameters<typeof deviceTopic>[2]): string {
    return deviceTopic(this.options.centreId, this.options.deviceId, kind);
  }

  /** Connects, announces itself (birth, online) and subscribes; resolves once subscribed. */
  async start(): Promise<void> {
    const { url, deviceId, secret, tls } = this.options;
    const client = mqtt.connect(url, {
      clientId: deviceId,
      username: deviceId,
      password: secret,
      clean: true,
      keepalive: 30,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
      will: { topic: this.topic('avail'), payload: Buffer.from('{"state":"offline"}'), qos: 1, retain: true },
      ...(tls ?? {}),
    });
    this.client = client;
    client.on('message', (topic, payload) => this.#onMessage(topic, payload));
    client.on('connect', () => {
      // As docs/device-protocol asks of firmware: small packets out at once. With Nagle's algorithm a
      // press right after acknowledging a reply waits for the broker's delayed ACK (~40 ms).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      void this.#announce();
    });
    client.on('error', (error) => this.emit('mqttError', error));
    await new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        client.end(true);
        reject(error);
      };
      client.once('error', fail);
      this.once('ready', () => {
        client.off('error', fail);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync(true);
  }

  /** Drops the connection without a goodbye (power cut): the broker publishes the last will. */
  async cutPower(): Promise<void> {
    const client = this.client;
    this.client = null;
    client?.stream.destroy();
    await client?.endAsync(true);
  }

  /** A reboot: new boot id, sequence from 0. */
  async reboot(): Promise<void> {
    await this.cutPower();
    this.boot = randomUUID().slice(0, 12);
    this.#seq = 0;
    await this.start();
  }

  /**
   * Fault: publishes `count` broken messages on its own event topic as fast as it can: bytes that
   * are not JSON, JSON of the wrong shape, and payloads over the size limit, in turn.
   */
  async sendGarbage(count: number): Promise<void> {
    const client = this.client;
    if (!client) throw new Error(`${this.id} is not connected`);
    const junk = [
      Buffer.from([0xff, 0xfe, 0x00, 0x42]),
      Buffer.from('{"type":"rate","level":"many"}'),
      Buffer.alloc(8192, 0x41),
    ];
    for (let i = 0; i < count; i++) {
      client.publish(this.topic('evt'), junk[i % junk.length] as Buffer, { qos: 0 });
      if (i % 100 === 99) await sleep(0); // let the socket drain, as a real chip would have to
    }
  }

  /** Fault: drops and restores its connection `times` times, `gapMs` apart (a loose cable, a reboot loop). */
  async flap(times: number, gapMs: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await this.cutPower();
      await sleep(gapMs);
      await this.start().catch(() => undefined); // refusals while flapping are expected
    }
  }

  /** Sends an event; resolves with the controller's answer (resending the same event until it comes). */
  async send(event: OutgoingEvent, timeoutMs = 10_000): Promise<EventResponse> {
    const seq = this.#seq++;
    const payload = JSON.stringify({ ...event, boot: this.boot, seq, ts: Date.now() });
    const answered = new Promise<EventResponse>((resolve) => this.#waiting.set(seq, resolve));
    const deadline = Date.now() + timeoutMs;
    const resendAfter = this.options.resendAfterMs ?? 3000;
    for (;;) {
      // A publish waits for its PUBACK, which a lost connection may never bring: bounded by the deadline.
      const sent = Promise.all([
        this.publish(this.topic('evt'), payload),
        this.faults.duplicates ? this.publish(this.topic('evt'), payload) : undefined,
      ]).catch(() => undefined);
      await Promise.race([sent, sleep(Math.max(0, deadline - Date.now()))]);
      const answer = await Promise.race([
        answered,
        sleep(Math.min(resendAfter, deadline - Date.now())).then(() => null),
      ]);
      if (answer) return answer;
      if (Date.now() >= deadline) {
        this.#waiting.delete(seq);
        throw new Error(`${this.id}: no answer to event ${seq} within ${timeoutMs} ms`);
      }
    }
  }

  publish(topic: string, payload: string | Buffer, retain = false): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error(`${this.id} is not connected`));
    return client.publishAsync(topic, payload, { qos: 1, retain }).then(() => undefined);
  }

  /** The device's answer to a command; subclasses override for the commands they understand. */
  protected async handleCommand(command: DeviceCommand): Promise<Omit<CommandReply, 'tx'>> {
    if (command.type === 'setup' || command.type === 'message') return { status: 'ok' };
    return {
      status: 'error',
      error: { code: 'unsupported', message: `${this.type} does not do ${command.type}` },
    };
  }

  protected onDisplay(_payload: unknown): void {}

  protected capabilities(): string[] {
    return [];
  }

  /** Extra announcements after birth (a dispenser's printer state). */
  protected async afterBirth(): Promise<void> {}

  async #announce(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      await client.subscribeAsync(
        [
          this.topic('cmd'),
          this.topic('res'),
          this.topic('display'),
          broadcastTopic(this.options.centreId, 'time'),
        ],
        { qos: 1 },
      );
      const birth = {
        proto: 1,
        type: this.type,
        fw: this.options.firmware ?? 'sim-1.0.0',
        hw: 'firmware-sim',
        caps: this.capabilities(),
        boot: this.boot,
      };
      await this.publish(this.topic('birth'), JSON.stringify(birth), true);
      await this.publish(this.topic('avail'), '{"state":"online"}', true);
      await this.afterBirth();
      this.emit('ready');
    } catch (error) {
      this.emit('mqttError', error);
    }
  }

  #onMessage(topic: string, payload: Buffer): void {
    let message: unknown;
    try {
      message = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    if (topic === this.topic('res')) {
      const answer = message as EventResponse;
      if (answer.boot !== this.boot) return;
      const resolve = this.#waiting.get(answer.seq);
      this.#waiting.delete(answer.seq);
      if (!resolve) return; // an answer to a repeat we already had
      this.answers.push(answer);
      resolve(answer);
      this.emit('answer', answer);
    } else if (topic === this.topic('cmd')) {
      const command = message as DeviceCommand;
      this.commands.push(command);
      this.emit('command', command);
      void this.#reply(command);
    } else if (topic === this.topic('display')) {
      this.onDisplay(message);
      this.emit('display', message);
    } else if (topic === broadcastTopic(this.options.centreId, 'time')) {
      this.clock = message as TimeBroadcast;
    }
  }

  async #reply(command: DeviceCommand): Promise<void> {
    let reply = this.#replies.get(command.tx);
    if (!reply) {
      reply = this.handleCommand(command)
        .catch((error: Error) => ({
          status: 'error' as const,
          error: { code: 'internal', message: error.message },
        }))
        .then((r) => JSON.stringify({ ...r, tx: command.tx }));
      this.#replies.set(command.tx, reply);
      if (this.#replies.size > REMEMBERED_REPLIES)
        this.#replies.delete(this.#replies.keys().next().value as string);
    }
    const payload = await reply;
    if (this.faults.slowAcksMs) await sleep(this.faults.slowAcksMs);
    await this.publish(this.topic('reply'), payload).catch(() => undefined);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
