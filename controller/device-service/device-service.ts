/**
 * The devices of the centre, whatever carries them: their identity and health (the registry),
 * exactly-once handling of their events, the handlers (dispenser, call pad, rating keypad,
 * scanner), the display states and the print jobs. Transports (MQTT, serial, USB HID) are adapters
 * registered with it: each turns its wire format into `handle()` and handler calls, and the
 * service's print jobs and display states into its wire format. Kiosk pages use it too.
 * Nothing a device sends can throw out of here.
 */

import { DEVICE_LIMITS } from '../../devices/limits.ts';
import { DEVICE_DEFINITIONS } from '../../devices/protocol/definitions.ts';
import type { DeviceEvent, PrintJob } from '../../devices/protocol/messages.ts';
import { deviceById } from '../centre/device-index.ts';
import type { CentreConfig, Device } from '../centre/schema.ts';
import { own } from '../core/own.ts';
import type { Ticket } from '../core/types.ts';
import type { EventBus } from '../event-bus.ts';
import type { Logger } from '../logger.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { CitizenKeys } from './citizen-keys.ts';
import type { DeviceErrorKind, DeviceRegistry } from './device-registry.ts';
import { DisplaySync } from './display-sync.ts';
import { EventDedupe } from './event-dedupe.ts';
import { onKey } from './handlers/call-pad.ts';
import { type Answer, type DeviceContext, refused } from './handlers/context.ts';
import { onButton, type Pressed, pressButton, printJob, printTicket } from './handlers/dispenser.ts';
import { onRate } from './handlers/rating-keypad.ts';
import { onScan } from './handlers/scanner.ts';
import { KioskSessions } from './kiosk-sessions.ts';
import { type PrintOutcome, PrintOutcomes } from './print-outcomes.ts';
import type { DeviceTransport } from './transport.ts';

const LOG_EVERY_MS = 10_000;

export interface DeviceServiceOptions {
  config: () => CentreConfig;
  queue: QueueService;
  registry: DeviceRegistry;
  bus: EventBus;
  citizens: CitizenKeys;
  publicUrl: () => string;
  logger: Logger;
  /** The transports, started in this order (and stopped in reverse). */
  transports: DeviceTransport[];
}

/** What a transport adapter works with. */
export interface DeviceHost {
  /** What the handlers work with (serial and HID scanners and keypads call the handlers with it). */
  readonly context: DeviceContext;
  /** The displays' states, followed by each transport for the displays it carries. */
  readonly displays: DisplaySync;
  /**
   * A device's event, once checked against its schema: exactly once per (boot, seq), of a type its
   * device type sends, through its handler. Resolves with the answer to send back (a repeat gets
   * the answer it got the first time), or undefined when there is nothing to answer.
   */
  handle(device: Device, event: DeviceEvent): Promise<Answer | undefined>;
  /** A message refused before it became an event: counted always, logged at most every 10 s. */
  refuse(device: Device, kind: DeviceErrorKind, detail: string): void;
}

export class DeviceService implements DeviceHost {
  readonly #o: DeviceServiceOptions;
  readonly #dedupe = new EventDedupe();
  readonly #displays: DisplaySync;
  readonly #ctx: DeviceContext;
  readonly #lastLogged = new Map<string, { at: number; suppressed: number }>();
  readonly #started: DeviceTransport[] = [];
  #reviewTimer: NodeJS.Timeout | null = null;

  constructor(options: DeviceServiceOptions) {
    this.#o = options;
    this.#displays = new DisplaySync({
      bus: options.bus,
      config: options.config,
      state: () => options.queue.state,
    });
    this.#ctx = {
      config: options.config,
      submit: (command) => options.queue.submit(command),
      tickets: () => Object.values(options.queue.state.tickets),
      print: (deviceId, job) => this.#print(deviceId, job),
      registry: options.registry,
      prints: new PrintOutcomes(),
      kiosk: new KioskSessions(),
      citizens: options.citizens,
      publicUrl: options.publicUrl,
      logger: options.logger,
      clock: Date.now,
    };
  }

  get context(): DeviceContext {
    return this.#ctx;
  }

  get displays(): DisplaySync {
    return this.#displays;
  }

  /** The transports registered, by kind (for tests and the health page). */
  get transports(): readonly DeviceTransport['kind'][] {
    return this.#o.transports.map((t) => t.kind);
  }

  async start(): Promise<void> {
    const { registry } = this.#o;
    for (const transport of this.#o.transports) {
      await transport.start(this);
      this.#started.push(transport);
    }
    this.#displays.start();
    this.#o.bus.onQueueEvents(this, (events) => {
      for (const e of events) if (e.type === 'ticketReprinted') this.#reprint(e.ticketId);
    });
    this.#reviewTimer = setInterval(() => registry.review(), DEVICE_LIMITS.timeBroadcastMs);
    this.#reviewTimer.unref();
    // Every configured device is expected: one that never connects is reported offline too.
    registry.expect(
      this.#o
        .config()
        .devices.filter((d) => d.transport !== 'hid') // HID devices are expected by HidDevices once node-hid works
        .map((d) => d.id),
    );
  }

  async stop(): Promise<void> {
    if (this.#reviewTimer) clearInterval(this.#reviewTimer);
    this.#reviewTimer = null;
    this.#displays.stop();
    this.#o.bus.removeListeners(this);
    for (const transport of this.#started.splice(0).reverse()) await transport.stop();
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
    return printJob(this.#o.config(), ticket, this.#o.publicUrl(), this.#o.citizens.ticketLinkKey(ticket.id))
      .qrUrl;
  }

  /** Whether `key` is the link key of the ticket's own page (the citizen holding the paper ticket). */
  ticketLinkKeyMatches(ticketId: string, key: string): boolean {
    return this.#o.citizens.ticketLinkKeyMatches(ticketId, key);
  }

  async handle(device: Device, event: DeviceEvent): Promise<Answer | undefined> {
    const { boot, seq } = event;
    const delivery = this.#dedupe.classify(device.id, boot, seq);
    if (delivery === 'duplicate') {
      this.refuse(device, 'duplicate', `event ${boot}/${seq} again`);
      return this.#dedupe.answerTo(device.id, seq) as Answer | undefined;
    }
    if (delivery === 'outOfOrder')
      this.refuse(device, 'outOfOrder', `event ${boot}/${seq} after a later one`);
    if (!(DEVICE_DEFINITIONS[device.type].events as readonly string[]).includes(event.type)) {
      this.refuse(device, 'malformed', `a ${device.type} does not send "${event.type}" events`);
      const answer = refused('invalid', `a ${device.type} does not send "${event.type}"`);
      this.#dedupe.remember(device.id, seq, answer);
      return answer;
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
    const answer = await pending.catch((error: Error) => {
      this.#o.logger.error({ err: error, deviceId: device.id, event: event.type }, 'device event failed');
      return refused('internal', error.message);
    });
    if (answer.status === 'error')
      this.refuse(device, 'refusedEvent', `${event.type}: ${answer.error.message}`);
    this.#dedupe.remember(device.id, seq, answer);
    return answer;
  }

  refuse(device: Device, kind: DeviceErrorKind, detail: string): void {
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

  /** A print job goes to the transport that carries the dispenser. */
  #print(deviceId: string, job: PrintJob): Promise<void> {
    const device = deviceById(this.#o.config().devices, deviceId);
    if (!device) return Promise.reject(new Error(`no device ${deviceId}`));
    const transport = this.#started.find((t) => t.kind === device.transport);
    if (!transport?.print)
      return Promise.reject(new Error(`no ${device.transport} printing for ${deviceId}`));
    return transport.print(deviceId, job);
  }

  /** A reprint comes out of the dispenser that printed the ticket first. */
  #reprint(ticketId: string): void {
    const ticket = own(this.#o.queue.state.tickets, ticketId);
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
}
