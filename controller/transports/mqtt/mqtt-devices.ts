/**
 * The MQTT transport: the network devices' door into the device service, on the embedded broker.
 * Every message a device publishes is checked (size, rate, JSON, schema) before it becomes a device
 * event of the service; every refusal is answered, logged and counted against that device. It
 * publishes the service's display states, rating prompts and print jobs to the MQTT devices, and
 * the time. Each device is limited on its own, so one bad device cannot stall the others.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { DEVICE_LIMITS } from '../../../devices/limits.ts';
import {
  availabilitySchema,
  birthSchema,
  commandReplySchema,
  deviceEventSchema,
  deviceStateSchema,
  MAX_PAYLOAD_BYTES,
  type PrintJob,
} from '../../../devices/protocol/messages.ts';
import {
  centreRoot,
  DEVICE_OUT,
  type DeviceOutKind,
  parseDeviceTopic,
} from '../../../devices/protocol/topics.ts';
import { deviceById } from '../../centre/device-index.ts';
import type { CentreConfig, Device } from '../../centre/schema.ts';
import { serviceDay } from '../../core/service-day.ts';
import type { DeviceRegistry } from '../../device-service/device-registry.ts';
import type { DeviceHost } from '../../device-service/device-service.ts';
import { type Answer, refused } from '../../device-service/handlers/context.ts';
import { type DeviceTransport, NoAnswerError } from '../../device-service/transport.ts';
import type { Logger } from '../../logger.ts';
import { CommandTimeoutError, MqttLink } from './mqtt-link.ts';
import { RateLimiter } from './rate-limiter.ts';

const TIME_BROADCAST_MS = DEVICE_LIMITS.timeBroadcastMs;
/** Per device: sustained messages per second, and the burst allowed on top. */
const RATE = { perSecond: DEVICE_LIMITS.ratePerSecond, burst: DEVICE_LIMITS.rateBurst };

export interface MqttDevicesOptions {
  aedes: Aedes;
  config: () => CentreConfig;
  registry: DeviceRegistry;
  logger: Logger;
}

export class MqttDevices implements DeviceTransport {
  readonly kind = 'mqtt';
  readonly #o: MqttDevicesOptions;
  readonly #link: MqttLink;
  readonly #limiter = new RateLimiter(RATE.perSecond, RATE.burst);
  /** The connection each device id has now (a device that reconnects takes its session over). */
  readonly #connections = new Map<string, Client>();
  readonly #subscriptions: {
    topic: string;
    deliver: (packet: AedesPublishPacket, cb: () => void) => void;
  }[] = [];
  #host: DeviceHost | null = null;
  #timeTimer: NodeJS.Timeout | null = null;

  constructor(options: MqttDevicesOptions) {
    this.#o = options;
    this.#link = new MqttLink(options.aedes, () => options.config().centre.id, options.logger);
  }

  get link(): MqttLink {
    return this.#link;
  }

  async start(host: DeviceHost): Promise<void> {
    const { aedes } = this.#o;
    this.#host = host;
    aedes.on('client', this.#onClient);
    aedes.on('clientDisconnect', this.#onClientGone);
    const root = centreRoot(this.#o.config().centre.id);
    for (const kind of DEVICE_OUT) {
      const topic = `${root}/dev/+/${kind}`;
      const deliver = (packet: AedesPublishPacket, cb: () => void) => {
        cb(); // never hold the broker up: handling continues on our side
        this.#receive(packet, kind);
      };
      this.#subscriptions.push({ topic, deliver });
      await new Promise<void>((resolve) => aedes.subscribe(topic, deliver, () => resolve()));
    }
    host.displays.onCounterDisplay((counterId, display) => {
      for (const d of this.#mine('callDisplay')) if (d.counterId === counterId) this.#show(d, display);
    });
    host.displays.onHallDisplay((zoneId, display) => {
      for (const d of this.#mine('hallDisplay')) if ((d.zoneId ?? '') === zoneId) this.#show(d, display);
    });
    host.displays.onRatePrompt((counterId, prompt) => {
      for (const d of this.#mine('ratingKeypad'))
        if (d.counterId === counterId) this.#promptRating(d, prompt);
    });
    await this.#broadcastTime();
    this.#timeTimer = setInterval(() => void this.#broadcastTime(), TIME_BROADCAST_MS);
    this.#timeTimer.unref();
  }

  async stop(): Promise<void> {
    const { aedes } = this.#o;
    if (this.#timeTimer) clearInterval(this.#timeTimer);
    this.#timeTimer = null;
    this.#link.stop();
    aedes.off('client', this.#onClient);
    aedes.off('clientDisconnect', this.#onClientGone);
    this.#connections.clear();
    for (const { topic, deliver } of this.#subscriptions.splice(0)) {
      await new Promise<void>((resolve) => aedes.unsubscribe(topic, deliver, () => resolve()));
    }
    this.#host = null;
  }

  /** A `print` command to the dispenser; its error reply or its silence is a failed print. */
  print(deviceId: string, job: PrintJob): Promise<void> {
    return this.#link.command(deviceId, { type: 'print', ticket: job }).then(
      (reply) => {
        if (reply.status === 'error') throw new Error(reply.error?.message ?? 'error');
      },
      (error: Error) => {
        throw error instanceof CommandTimeoutError ? new NoAnswerError(error.message) : error;
      },
    );
  }

  #mine(type: Device['type']): Device[] {
    return this.#o.config().devices.filter((d) => d.type === type && d.transport === 'mqtt');
  }

  #show(device: Device, display: unknown): void {
    this.#link.publish(device.id, 'display', display, true).catch(() => undefined);
  }

  #promptRating(device: Device, prompt: { ticketLabel: string; expiresAt: number }): void {
    this.#link
      .command(device.id, { type: 'ratePrompt', ...prompt }, DEVICE_LIMITS.ratePromptTimeoutMs)
      .then((reply) => {
        if (reply.status === 'error') {
          this.#o.registry.countError(
            device.id,
            'commandFailed',
            `ratePrompt: ${reply.error?.message ?? 'error'}`,
          );
        }
      })
      .catch((error: Error) =>
        this.#o.registry.countError(device.id, 'commandFailed', `ratePrompt: ${error.message}`),
      );
  }

  #onClient = (client: Client) => {
    this.#connections.set(client.id, client);
    this.#o.registry.connected(client.id);
  };

  #onClientGone = (client: Client) => {
    // A device that reconnected took its session over: the old connection's end is not "offline".
    const current = this.#connections.get(client.id);
    if (current && current !== client) return;
    this.#connections.delete(client.id);
    this.#o.registry.disconnected(client.id);
  };

  #receive(packet: AedesPublishPacket, kind: DeviceOutKind): void {
    const host = this.#host;
    if (!host) return;
    const topic = parseDeviceTopic(this.#o.config().centre.id, packet.topic);
    const device = topic && deviceById(this.#o.config().devices, topic.deviceId);
    if (!device) return; // the ACL lets only configured devices publish here
    this.#o.registry.seen(device.id);
    if (!this.#limiter.take(device.id))
      return host.refuse(device, 'rateLimited', `more than ${RATE.perSecond} messages/s`);
    const payload = packet.payload as Buffer;
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return host.refuse(
        device,
        'oversized',
        `${kind} of ${payload.length} bytes (max ${MAX_PAYLOAD_BYTES})`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return host.refuse(device, 'malformed', `${kind} is not JSON`);
    }
    try {
      this.#dispatch(host, device, kind, json);
    } catch (error) {
      this.#o.logger.error({ err: error, deviceId: device.id, kind }, 'device message handling failed');
    }
  }

  #dispatch(host: DeviceHost, device: Device, kind: DeviceOutKind, json: unknown): void {
    const { registry } = this.#o;
    switch (kind) {
      case 'birth': {
        const birth = birthSchema.safeParse(json);
        if (!birth.success) return host.refuse(device, 'malformed', `birth: ${summary(birth.error)}`);
        if (birth.data.type !== device.type) {
          return host.refuse(
            device,
            'malformed',
            `birth says type "${birth.data.type}", configured as "${device.type}"`,
          );
        }
        registry.birth(device.id, birth.data);
        this.#sendSetup(device);
        return;
      }
      case 'avail': {
        const avail = availabilitySchema.safeParse(json);
        if (!avail.success) return host.refuse(device, 'malformed', `avail: ${summary(avail.error)}`);
        return;
      }
      case 'state': {
        const state = deviceStateSchema.safeParse(json);
        if (!state.success) return host.refuse(device, 'malformed', `state: ${summary(state.error)}`);
        registry.state(device.id, state.data);
        return;
      }
      case 'reply': {
        const reply = commandReplySchema.safeParse(json);
        if (!reply.success) return host.refuse(device, 'malformed', `reply: ${summary(reply.error)}`);
        if (!this.#link.reply(device.id, reply.data)) {
          this.#o.logger.debug(
            { deviceId: device.id, tx: reply.data.tx },
            'reply to no pending command (late?)',
          );
        }
        return;
      }
      case 'evt': {
        const parsed = deviceEventSchema.safeParse(json);
        if (!parsed.success) {
          const { boot, seq } = (json ?? {}) as { boot?: unknown; seq?: unknown };
          host.refuse(device, 'malformed', `evt: ${summary(parsed.error)}`);
          if (typeof boot === 'string' && typeof seq === 'number') {
            this.#answer(device, boot, seq, refused('invalid', summary(parsed.error)));
          }
          return;
        }
        const { boot, seq } = parsed.data;
        void host.handle(device, parsed.data).then((answer) => {
          if (answer) this.#answer(device, boot, seq, answer);
        });
        return;
      }
    }
  }

  #answer(device: Device, boot: string, seq: number, answer: Answer): void {
    this.#link.publish(device.id, 'res', { boot, seq, ...answer }).catch(() => undefined);
  }

  #sendSetup(device: Device): void {
    const config = this.#o.config();
    const counter = config.counters.find((c) => c.id === device.counterId);
    const services =
      device.type === 'dispenser'
        ? config.services.filter((s) => !device.zoneId || !s.zoneId || s.zoneId === device.zoneId)
        : [];
    this.#link
      .command(device.id, {
        type: 'setup',
        centreName: config.centre.name,
        counter: counter ? { id: counter.id, number: counter.number, name: counter.name } : null,
        services: services.map((s) => ({ id: s.id, name: s.name, prefix: s.prefix })),
        priorityClasses: config.queue.priorityClasses.map((p) => ({ id: p.id, name: p.name })),
        ratingScale: config.ratings.scale.map((l) => l.label),
      })
      .then((reply) => {
        if (reply.status === 'error') {
          this.#o.registry.countError(
            device.id,
            'commandFailed',
            `setup: ${reply.error?.message ?? 'error'}`,
          );
        }
      })
      .catch((error: Error) =>
        this.#o.registry.countError(device.id, 'commandFailed', `setup: ${error.message}`),
      );
  }

  async #broadcastTime(): Promise<void> {
    const config = this.#o.config();
    const now = Date.now();
    await this.#link
      .broadcast('time', {
        now,
        timezone: config.centre.timezone,
        day: serviceDay(now, config.centre.timezone),
      })
      .catch(() => undefined);
  }
}

function summary(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
