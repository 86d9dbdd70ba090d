/**
 * Live updates over socket.io: every durable event batch as `queue:events` (without personal
 * data: publicEvent), and the live queue view
 * as `queue:state` — on connection (so a screen that reconnects recovers its full state) and after
 * changes, coalesced so a burst of tickets sends one state, not hundreds. Device health likewise as
 * `devices:state`, and each alert raised or cleared as `devices:alert`.
 */
import type { Server as SocketServer } from 'socket.io';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceRegistry } from '../device-service/device-registry.ts';
import type { EventBus } from '../event-bus.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { queueView } from '../queue/views.ts';

const STATE_COALESCE_MS = 150;

export class LiveUpdates {
  readonly #io: SocketServer;
  readonly #bus: EventBus;
  readonly #queue: QueueService;
  readonly #registry: DeviceRegistry;
  readonly #clock: () => number;
  #pending: NodeJS.Timeout | null = null;
  #pendingDevices: NodeJS.Timeout | null = null;

  constructor(options: {
    io: SocketServer;
    bus: EventBus;
    queue: QueueService;
    registry: DeviceRegistry;
    clock?: () => number;
  }) {
    this.#io = options.io;
    this.#bus = options.bus;
    this.#queue = options.queue;
    this.#registry = options.registry;
    this.#clock = options.clock ?? Date.now;
  }

  start(): void {
    this.#io.on('connection', (socket) => {
      socket.emit('queue:state', this.#view());
      socket.emit('devices:state', this.#devices());
    });
    this.#bus.onDeviceAlert(this, (alert) => this.#io.emit('devices:alert', alert));
    this.#bus.onDeviceHealth(this, () => {
      this.#pendingDevices ??= setTimeout(() => {
        this.#pendingDevices = null;
        this.#io.emit('devices:state', this.#devices());
      }, STATE_COALESCE_MS);
    });
    this.#bus.onQueueEvents(this, (events) => {
      const visible = events
        .map(publicEvent)
        .filter((e): e is QueueEvent => e !== null)
        .map((e) => withLabel(e, this.#queue.state));
      if (visible.length) this.#io.emit('queue:events', visible);
      this.#pending ??= setTimeout(() => {
        this.#pending = null;
        this.#io.emit('queue:state', this.#view());
      }, STATE_COALESCE_MS);
    });
  }

  stop(): void {
    this.#bus.removeListeners(this);
    this.#io.removeAllListeners('connection');
    if (this.#pending) clearTimeout(this.#pending);
    if (this.#pendingDevices) clearTimeout(this.#pendingDevices);
    this.#pending = null;
    this.#pendingDevices = null;
  }

  #devices() {
    return { devices: this.#registry.all(), alerts: this.#registry.alerts() };
  }

  #view() {
    return queueView(this.#queue.config, this.#queue.state, this.#clock());
  }
}

/**
 * What public screens may see of an event. They do not need to know who a citizen is, not even as
 * a hash (citizenKey); a dossier code would let anyone look the dossier (and its owner) up on the
 * public-service portal; booking ids would let anyone check someone else's booking in; notes and
 * reasons are free text. All of that stays in the controller.
 */
/**
 * A call or recall as screens get it: with the label of its ticket (what the hall reads aloud),
 * since a ticket's id does not contain its label and the next queue view may come later.
 */
export function withLabel(event: QueueEvent, state: Readonly<QueueState>): QueueEvent & { label?: string } {
  if (event.type !== 'ticketCalled' && event.type !== 'ticketRecalled') return event;
  const label = state.tickets[event.ticketId]?.label;
  return label === undefined ? event : { ...event, label };
}

export function publicEvent(event: QueueEvent): QueueEvent | null {
  // Request ids are the callers' own (a device's next one is predictable): not for everyone to see.
  const { requestId: _r, ...e } = event;
  switch (e.type) {
    case 'appointmentBooked':
    case 'appointmentCancelled':
      return null;
    case 'ticketIssued': {
      const { citizenKey: _k, dossierCode: _d, appointment, ...ticket } = e.ticket;
      return {
        ...e,
        ticket: appointment
          ? { ...ticket, appointment: { slotStart: appointment.slotStart, slotEnd: appointment.slotEnd } }
          : ticket,
      };
    }
    case 'visitLinked': {
      const { citizenKey: _k, dossierCode: _d, ...rest } = e;
      return rest;
    }
    case 'serviceFinished': {
      const { dossierCode: _d, ...rest } = e;
      return rest;
    }
    // Free text typed by staff and managers may name the citizen.
    case 'ticketCancelled': {
      const { reason: _t, ...rest } = e;
      return rest;
    }
    case 'followUpClosed': {
      const { note: _n, ...rest } = e;
      return rest;
    }
    default:
      return e;
  }
}
