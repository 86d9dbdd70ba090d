/**
 * The MQTT devices' door into the controller: every message a device publishes is checked
 * (size, rate, JSON, schema, event type for its device type, exactly-once) before it becomes an
 * engine command; every refusal is answered, logged and counted against that device. Nothing a
 * device sends can throw out of here, and each device is limited on its own, so one bad device
 * cannot stall the others.
 */
import type { Aedes, AedesPublishPacket, Client } from 'aedes';
import { DEVICE_LIMITS } from '../../../devices/limits.ts';
import { DEVICE_DEFINITIONS } from '../../../devices/protocol/definitions.ts';
import {
  availabilitySchema,
  birthSchema,
  commandReplySchema,
  type DeviceEvent,
  deviceEventSchema,
  deviceStateSchema,
  MAX_PAYLOAD_BYTES,
} from '../../../devices/protocol/messages.ts';
import {
  centreRoot,
  DEVICE_OUT,
  type DeviceOutKind,
  parseDeviceTopic,
} from '../../../devices/protocol/topics.ts';
import type { CentreConfig, Device } from '../../centre/schema.ts';
import { serviceDay } from '../../core/service-day.ts';
import type { Ticket } from '../../core/types.ts';
import type { CitizenKeys } from '../../device-service/citizen-keys.ts';
import type { DeviceErrorKind, DeviceRegistry } from '../../device-service/device-registry.ts';
import { DisplaySync } from '../../device-service/display-sync.ts';
import { EventDedupe } from '../../device-service/event-dedupe.ts';
import { onKey } from '../../device-service/handlers/call-pad.ts';
import { type Answer, type DeviceContext, refused } from '../../device-service/handlers/context.ts';
import {
  onButton,
  type Pressed,
  pressButton,
  printJob,
  printTicket,
} from '../../device-service/handlers/dispenser.ts';
import { onRate } from '../../device-service/handlers/rating-keypad.ts';
import { onScan } from '../../device-service/handlers/scanner.ts';
import { KioskSessions } from '../../device-service/kiosk-sessions.ts';
import { type PrintOutcome, PrintOutcomes } from '../../device-service/print-outcomes.ts';
import type { EventBus } from '../../event-bus.ts';
import type { Logger } from '../../logger.ts';
import type { QueueService } from '../../queue/queue-service.ts';
import type { HidDevices } from '../hid/hid-devices.ts';
import type { SerialDevices } from '../serial/serial-devices.ts';
import { MqttLink } from './mqtt-link.ts';
import { RateLimiter } from './rate-limiter.ts';

const TIME_BROADCAST_MS = DEVICE_LIMITS.timeBroadcastMs;
/** Per device: sustained messages per second, and the burst allowed on top. */
const RATE = { perSecond: DEVICE_LIMITS.ratePerSecond, burst: DEVICE_LIMITS.rateBurst };
const LOG_EVERY_MS = 10_000;

export interface GatewayOptions {
  aedes: Aedes;
  config: () => CentreConfig;
  queue: QueueService;
  registry: DeviceRegistry;
  bus: EventBus;
  citizens: CitizenKeys;
  publicUrl: () => string;
  logger: Logger;
  /** Devices on this PC's serial ports, behind the same handlers and displays. */
  serial?: SerialDevices;
  /** USB HID scanners and keypads on this PC. */
  hid?: HidDevices;
}

export class DeviceGateway {
  readonly #o: GatewayOptions;
  readonly #link: MqttLink;
  readonly #dedupe = new EventDedupe();
  readonly #limiter = new RateLimiter(RATE.perSecond, RATE.burst);
  readonly #displays: DisplaySync;
  readonly #ctx: DeviceContext;
  readonly #lastLogged = new Map<string, { at: number; suppressed: number }>();
  readonly #subscriptions: {
    topic: string;
    deliver: (packet: AedesPublishPacket, cb: () => void) => void;
  }[] = [];
  #timeTimer: NodeJS.Timeout | null = null;

  constructor(options: GatewayOptions) {
    this.#o = options;
    const centreId = () => options.config().centre.id;
    this.#link = new MqttLink(options.aedes, centreId, options.logger);
    this.#displays = new DisplaySync({
      link: this.#link,
      bus: options.bus,
      registry: options.registry,
      config: options.config,
      state: () => options.queue.state,
    });
    this.#ctx = {
      config: options.config,
      submit: (command) => options.queue.submit(command),
      tickets: () => Object.values(options.queue.state.tickets),
      link: this.#link,
      printSerial: (deviceId, job) =>
        options.serial ? options.serial.print(deviceId, job) : Promise.reject(new Error('no serial devices')),
      registry: options.registry,
      prints: new PrintOutcomes(),
      kiosk: new KioskSessions(),
      citizens: options.citizens,
      publicUrl: options.publicUrl,
      logger: options.logger,
      clock: Date.now,
    };
  }

  get link(): MqttLink {
    return this.#link;
  }

  /** Prints a ticket on a dispenser, however it is attached. */
  print(deviceId: string, ticket: Ticket): void {
    printTicket(this.#ctx, deviceId, ticket);
  }

  /**
   * A kiosk page on a dispenser's touch screen: its service buttons and the codes its keyboard-mode
   * scanner types go through the same handlers as the dispenser's own buttons and a kiosk scanner,
   * so the held identity, one ticket per citizen, printing and the paper check all apply.
   */
  kioskPress(
    dispenser: Device,
    event: { serviceId: string; priorityClassId?: string },
    requestId: string,
  ): Promise<Pressed> {
    return pressButton(this.#ctx, { device: dispenser, requestId }, event, true);
  }

  /** A code typed in at the kiosk page (a ticket it gives is shown on the page, printed if it can be). */
  async kioskScan(dispenser: Device, code: string, requestId: string): Promise<Answer> {
    return onScan(this.#ctx, { device: dispenser, requestId }, { data: code }, { printAt: dispenser.id });
  }

  /** The priority class of the citizen held for this zone's next button press, if one is held. */
  heldIdentity(
    zoneId: string | undefined,
  ): { priorityClassId: string | null; ageKnown: boolean; expiresAt: number } | null {
    const held = this.#ctx.kiosk.peek(zoneId);
    return held
      ? { priorityClassId: held.priorityClassId ?? null, ageKnown: held.ageKnown, expiresAt: held.expiresAt }
      : null;
  }

  /** A kiosk page was left or reset: the citizen it identified is not kept for the next one. */
  releaseIdentity(zoneId: string | undefined): void {
    this.#ctx.kiosk.clear(zoneId);
  }

  canPrint(dispenserId: string): boolean {
    return this.#o.registry.canPrint(dispenserId);
  }

  /** What became of a ticket's paper, if it was printed (or not) lately. */
  printOutcome(ticketId: string): PrintOutcome | undefined {
    return this.#ctx.prints.get(ticketId);
  }

  /** The citizen's live ticket page, as printed in the ticket's QR code. */
  ticketLink(ticket: Ticket): string {
    return printJob(this.#o.config(), ticket, this.#o.publicUrl()).qrUrl;
  }

  get displays(): DisplaySync {
    return this.#displays;
  }

  async start(): Promise<void> {
    const { aedes, registry } = this.#o;
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
    await this.#o.serial?.start(this.#ctx, this.#displays);
    await this.#o.hid?.start(this.#ctx);
    this.#displays.start();
    this.#o.bus.onQueueEvents(this, (events) => {
      for (const e of events) if (e.type === 'ticketReprinted') this.#reprint(e.ticketId);
    });
    await this.#broadcastTime();
    this.#timeTimer = setInterval(() => {
      void this.#broadcastTime();
      registry.review();
    }, TIME_BROADCAST_MS);
    this.#timeTimer.unref();
    // Every configured MQTT device is expected: one that never connects is reported offline too.
    registry.expect(
      this.#o
        .config()
        .devices.filter((d) => d.transport !== 'hid') // HID devices are expected by HidDevices once node-hid works
        .map((d) => d.id),
    );
  }

  async stop(): Promise<void> {
    const { aedes } = this.#o;
    if (this.#timeTimer) clearInterval(this.#timeTimer);
    this.#displays.stop();
    this.#o.bus.removeListeners(this);
    await this.#o.serial?.stop();
    await this.#o.hid?.stop();
    this.#link.stop();
    aedes.off('client', this.#onClient);
    aedes.off('clientDisconnect', this.#onClientGone);
    for (const { topic, deliver } of this.#subscriptions.splice(0)) {
      await new Promise<void>((resolve) => aedes.unsubscribe(topic, deliver, () => resolve()));
    }
  }

  #onClient = (client: Client) => this.#o.registry.connected(client.id);
  #onClientGone = (client: Client) => {
    // A device that reconnected took its session over: the old connection's end is not "offline".
    const current = (this.#o.aedes as unknown as { clients: Record<string, Client | undefined> }).clients[
      client.id
    ];
    if (current && current !== client) return;
    this.#o.registry.disconnected(client.id);
  };

  #receive(packet: AedesPublishPacket, kind: DeviceOutKind): void {
    const topic = parseDeviceTopic(this.#o.config().centre.id, packet.topic);
    const device = topic && this.#o.config().devices.find((d) => d.id === topic.deviceId);
    if (!device) return; // the ACL lets only configured devices publish here
    const { registry } = this.#o;
    registry.seen(device.id);
    if (!this.#limiter.take(device.id))
      return this.#bad(device, 'rateLimited', `more than ${RATE.perSecond} messages/s`);
    const payload = packet.payload as Buffer;
    if (payload.length > MAX_PAYLOAD_BYTES) {
      return this.#bad(device, 'oversized', `${kind} of ${payload.length} bytes (max ${MAX_PAYLOAD_BYTES})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      return this.#bad(device, 'malformed', `${kind} is not JSON`);
    }
    try {
      this.#dispatch(device, kind, json);
    } catch (error) {
      this.#o.logger.error({ err: error, deviceId: device.id, kind }, 'device message handling failed');
    }
  }

  #dispatch(device: Device, kind: DeviceOutKind, json: unknown): void {
    const { registry } = this.#o;
    switch (kind) {
      case 'birth': {
        const birth = birthSchema.safeParse(json);
        if (!birth.success) return this.#bad(device, 'malformed', `birth: ${summary(birth.error)}`);
        if (birth.data.type !== device.type) {
          return this.#bad(
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
        if (!avail.success) return this.#bad(device, 'malformed', `avail: ${summary(avail.error)}`);
        return;
      }
      case 'state': {
        const state = deviceStateSchema.safeParse(json);
        if (!state.success) return this.#bad(device, 'malformed', `state: ${summary(state.error)}`);
        registry.state(device.id, state.data);
        return;
      }
      case 'reply': {
        const reply = commandReplySchema.safeParse(json);
        if (!reply.success) return this.#bad(device, 'malformed', `reply: ${summary(reply.error)}`);
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
          this.#bad(device, 'malformed', `evt: ${summary(parsed.error)}`);
          if (typeof boot === 'string' && typeof seq === 'number') {
            this.#answer(device, boot, seq, refused('invalid', summary(parsed.error)));
          }
          return;
        }
        this.#event(device, parsed.data);
        return;
      }
    }
  }

  #event(device: Device, event: DeviceEvent): void {
    const { boot, seq } = event;
    const delivery = this.#dedupe.classify(device.id, boot, seq);
    if (delivery === 'duplicate') {
      this.#bad(device, 'duplicate', `event ${boot}/${seq} again`);
      const answer = this.#dedupe.answerTo(device.id, seq) as Answer | undefined;
      if (answer) this.#answer(device, boot, seq, answer);
      return;
    }
    if (delivery === 'outOfOrder') this.#bad(device, 'outOfOrder', `event ${boot}/${seq} after a later one`);
    if (!(DEVICE_DEFINITIONS[device.type].events as readonly string[]).includes(event.type)) {
      this.#bad(device, 'malformed', `a ${device.type} does not send "${event.type}" events`);
      const answer = refused('invalid', `a ${device.type} does not send "${event.type}"`);
      this.#dedupe.remember(device.id, seq, answer);
      return this.#answer(device, boot, seq, answer);
    }
    const handled = { device, requestId: `${device.id}:${boot}:${seq}` };
    let pending: Promise<Answer>;
    switch (event.type) {
      case 'button':
        pending = onButton(this.#ctx, handled, event);
        break;
      case 'key':
        pending = onKey(this.#ctx, handled, event);
        break;
      case 'rate':
        pending = onRate(this.#ctx, handled, event);
        break;
      case 'scan':
        pending = onScan(this.#ctx, handled, event);
        break;
    }
    pending
      .catch((error: Error) => {
        this.#o.logger.error({ err: error, deviceId: device.id, event: event.type }, 'device event failed');
        return refused('internal', error.message);
      })
      .then((answer) => {
        if (answer.status === 'error')
          this.#bad(device, 'refusedEvent', `${event.type}: ${answer.error.message}`);
        this.#dedupe.remember(device.id, seq, answer);
        this.#answer(device, boot, seq, answer);
      });
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

  /** A reprint comes out of the dispenser that printed the ticket first. */
  #reprint(ticketId: string): void {
    const ticket = this.#o.queue.state.tickets[ticketId];
    const devices = this.#o.config().devices;
    const issuer = devices.find((d) => d.id === (ticket?.printedOn ?? ticket?.issuedBy));
    if (!ticket || !issuer) return;
    // A ticket checked in at a kiosk scanner was printed on a dispenser of the same zone.
    const dispenser =
      issuer.type === 'dispenser'
        ? issuer
        : devices.find(
            (d) => d.type === 'dispenser' && d.zoneId === issuer.zoneId && this.#o.registry.canPrint(d.id),
          );
    if (dispenser) printTicket(this.#ctx, dispenser.id, ticket);
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

  /** Counted always; logged at most once per 10 s per device and kind, with how many were not. */
  #bad(device: Device, kind: DeviceErrorKind, detail: string): void {
    this.#o.registry.countError(device.id, kind, detail);
    const key = `${device.id}:${kind}`;
    const now = Date.now();
    const last = this.#lastLogged.get(key);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.suppressed++;
      return;
    }
    this.#o.logger.warn(
      { deviceId: device.id, kind, suppressed: last?.suppressed ?? 0 },
      `device message refused: ${detail}`,
    );
    this.#lastLogged.set(key, { at: now, suppressed: 0 });
  }
}

function summary(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}
