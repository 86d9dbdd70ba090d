/**
 * Live updates over socket.io: every durable event batch as `queue:events` (without personal
 * data: publicEvent), and the live queue view: whole as `queue:state` on connection (so a screen
 * that reconnects recovers its full state) and when a screen asks (`queue:resync`, having missed a
 * revision), and after changes as a `queue:patch` of what changed (queue-patch.ts), coalesced so a
 * burst of tickets sends one patch, not hundreds. Device health likewise as
 * `devices:state`, and each alert raised or cleared as `devices:alert`.
 *
 * Who gets what is an allow-list (AUDIENCES): each connection is identified once, from its
 * handshake (the session cookie, or a kiosk's credential), and joins the room of its audience —
 * public, kiosk, staff or manager. An event not in the list goes to nobody. Device health (firmware,
 * last errors) never reaches the public; a kiosk is only told that devices changed
 * (`devices:changed`), so it asks again whether it can print.
 */
import type { Socket, Server as SocketServer } from 'socket.io';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState } from '../core/types.ts';
import type { DeviceRegistry } from '../device-service/device-registry.ts';
import type { EventBus } from '../event-bus.ts';
import type { AccessPolicy, Principal } from '../http/access.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { queueView } from '../queue/views.ts';
import { diffQueue, type QueueView } from './queue-patch.ts';
import { ServiceWaits } from './service-waits.ts';

const STATE_COALESCE_MS = 150;
/**
 * A revision holds the event loop while it is made (the forecast of every waiting ticket, the diff):
 * ~35 ms with 2,600 waiting. Devices' commands that arrive meanwhile wait for it, so the next one is
 * made no sooner than this many times its cost after the last: the screens' lists then take at most
 * a tenth of the loop, and a call pad's "next" rarely meets one. The hall's calls do not wait: they
 * go out at once as `queue:events`.
 */
const STATE_COST_FACTOR = 10;
const STATE_COALESCE_MAX_MS = 2_000;
/** A newcomer given a state older than this gets a fresh one (as a patch, to all) soon after. */
const FRESH_ON_CONNECT_MS = 1_000;
/** A screen asking for the whole state again is answered at most this often. */
const RESYNC_MIN_MS = 500;

/** How long to gather changes before the next whole list, given what the last one cost. */
function coalescing(lastCostMs: number): number {
  return Math.min(STATE_COALESCE_MAX_MS, Math.max(STATE_COALESCE_MS, lastCostMs * STATE_COST_FACTOR));
}

export const AUDIENCE_NAMES = ['public', 'kiosk', 'staff', 'manager'] as const;
export type Audience = (typeof AUDIENCE_NAMES)[number];

/** Every event the controller sends over socket.io, and who may receive it. */
export const AUDIENCES = {
  'queue:state': ['public', 'kiosk', 'staff', 'manager'],
  'queue:patch': ['public', 'kiosk', 'staff', 'manager'],
  'queue:events': ['public', 'kiosk', 'staff', 'manager'],
  'devices:state': ['staff', 'manager'],
  'devices:alert': ['staff', 'manager'],
  'devices:changed': ['kiosk', 'staff', 'manager'],
} as const satisfies Record<string, readonly Audience[]>;
export type LiveEvent = keyof typeof AUDIENCES;

export function audienceOf(principal: Principal | null): Audience {
  if (!principal) return 'public';
  if (principal.roles.includes('manager')) return 'manager';
  if (principal.roles.includes('staff') || principal.roles.includes('device')) return 'staff';
  if (principal.roles.includes('kiosk')) return 'kiosk';
  return 'public';
}

export class LiveUpdates {
  readonly #io: SocketServer;
  readonly #bus: EventBus;
  readonly #queue: QueueService;
  readonly #registry: DeviceRegistry;
  readonly #clock: () => number;
  readonly #access: AccessPolicy | null;
  #pending: NodeJS.Timeout | null = null;
  /** What making the last revision cost, in ms of the event loop. */
  #publishCostMs = 0;
  /** The last state every joined screen has (as the whole state or through patches), and its revision. */
  #last: QueueView | null = null;
  #rev = 0;
  #pendingDevices: NodeJS.Timeout | null = null;
  readonly #waits = new ServiceWaits();
  /** What making and sending the last devices:state cost, in ms of the event loop. */
  #devicesCostMs = 0;

  constructor(options: {
    io: SocketServer;
    bus: EventBus;
    queue: QueueService;
    registry: DeviceRegistry;
    /** Who a connection is; without it every connection is public. */
    access?: AccessPolicy;
    clock?: () => number;
  }) {
    this.#access = options.access ?? null;
    this.#io = options.io;
    this.#bus = options.bus;
    this.#queue = options.queue;
    this.#registry = options.registry;
    this.#clock = options.clock ?? Date.now;
  }

  start(): void {
    this.#io.on('connection', (socket) => {
      const principal = this.#access?.identify(socket.request) ?? null;
      const audience = audienceOf(principal);
      socket.data.principalId = principal?.id ?? null;
      socket.data.anonymous = principal?.anonymous === true;
      // The newcomer gets the revision the others hold, made current first if the queue has moved
      // since (never older than the events a screen may already have: a hall takes a state older
      // than its last call for another history and announces its recent calls again); if it is
      // only old in time (a quiet hall), a fresh one follows for everyone as a patch. A storm of
      // reconnections (a restart) thus costs one view, not one per screen.
      this.#upToDate();
      if (this.#clock() - (this.#last as QueueView).now >= FRESH_ON_CONNECT_MS) this.#schedule();
      this.#send(socket, audience, 'queue:state', () => this.#whole());
      void socket.join(audience);
      this.#send(socket, audience, 'devices:state', () => this.#devices());
      let answered = Number.NEGATIVE_INFINITY;
      socket.on('queue:resync', () => {
        const at = performance.now();
        if (at - answered < RESYNC_MIN_MS) return;
        answered = at;
        this.#upToDate();
        this.#send(socket, audience, 'queue:state', () => this.#whole());
      });
    });
    this.#bus.onDeviceAlert(this, (alert) => this.#emit('devices:alert', alert));
    this.#bus.onDeviceHealth(this, () => {
      // Every device's health, coalesced like the queue's revisions (by their cost: with 1,000
      // devices the list is ~10 ms to make and encode), and only made when someone will get it.
      this.#pendingDevices ??= setTimeout(() => {
        this.#pendingDevices = null;
        const started = performance.now();
        if (this.#heard('devices:state')) this.#emit('devices:state', this.#devices());
        this.#emit('devices:changed', {});
        this.#devicesCostMs = performance.now() - started;
      }, coalescing(this.#devicesCostMs));
    });
    this.#bus.onQueueEvents(this, (events) => {
      const visible = events
        .map(publicEvent)
        .filter((e): e is QueueEvent => e !== null)
        .map((e) => withLabel(e, this.#queue.state));
      if (visible.length) this.#emit('queue:events', visible);
      this.#schedule();
    });
  }

  /** Closes the live connections of a caller whose right to them ended (revoked kiosk, removed account). */
  disconnect(principalId: (id: string) => boolean): void {
    for (const socket of this.#io.sockets.sockets.values()) {
      const id = socket.data.principalId;
      if (typeof id === 'string' && principalId(id)) socket.disconnect(true);
    }
  }

  /**
   * Closes every connection whose caller is no longer who it was when it connected: its session ended
   * (signed out, idle, removed account, new password) or its kiosk was revoked. Identifying reads the
   * handshake again; it never counts as the user's activity.
   */
  revalidate(): void {
    if (!this.#access) return;
    for (const socket of this.#io.sockets.sockets.values()) {
      const was = socket.data.principalId;
      if (typeof was !== 'string' || socket.data.anonymous) continue;
      if (this.#access.identify(socket.request)?.id !== was) socket.disconnect(true);
    }
  }

  /** Whether a joined screen would receive this event (socket.io encodes a broadcast even for nobody). */
  #heard(event: LiveEvent): boolean {
    const rooms = this.#io.sockets.adapter.rooms;
    return (AUDIENCES[event] as readonly Audience[]).some((r) => (rooms.get(r)?.size ?? 0) > 0);
  }

  #emit(event: LiveEvent, payload: unknown): void {
    if (!this.#heard(event)) return;
    const rooms: readonly Audience[] = AUDIENCES[event];
    this.#io.to([...rooms]).emit(event, payload);
  }

  /** Sends `payload` (made only if this audience may have it) to one screen. */
  #send(socket: Socket, audience: Audience, event: LiveEvent, payload: () => unknown): void {
    if ((AUDIENCES[event] as readonly Audience[]).includes(audience)) socket.emit(event, payload());
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
    const { config, state } = this.#queue;
    const now = this.#clock();
    return queueView(config, state, now, this.#waits.at(config, state, now));
  }

  /**
   * A new revision within STATE_COALESCE_MS (longer when revisions are costly: STATE_COST_FACTOR),
   * covering every change until then.
   */
  #schedule(): void {
    this.#pending ??= setTimeout(() => {
      this.#pending = null;
      const started = performance.now();
      this.#publishState();
      this.#publishCostMs = performance.now() - started;
    }, coalescing(this.#publishCostMs));
  }

  /**
   * Makes the revision current when the queue has moved since it was made: at once, for everyone (as
   * a patch), instead of when the coalescing timer fires.
   */
  #upToDate(): void {
    if (!this.#last) {
      this.#last = this.#view();
      return;
    }
    if (this.#last.seq === this.#queue.state.seq) return;
    if (this.#pending) clearTimeout(this.#pending);
    this.#pending = null;
    this.#publishState();
  }

  /** The whole state at the current revision (on connection, and answering `queue:resync`). */
  #whole() {
    return { ...(this.#last as QueueView), rev: this.#rev };
  }

  /** Makes the state now the current revision and sends the joined screens what changed. */
  #publishState(): void {
    const next = this.#view();
    if (this.#last) {
      this.#rev++;
      this.#emit('queue:patch', diffQueue(this.#last, next, this.#rev));
    }
    this.#last = next;
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
  // Every event type is named here, with what of it may be shown: a new type does not compile until
  // it is added (the `never` below), so nothing reaches public screens by default.
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
    case 'dayStarted':
    case 'ticketCalled':
    case 'ticketRecalled':
    case 'ticketSkipped':
    case 'ticketReturned':
    case 'ticketNoShow':
    case 'serviceStarted':
    case 'ticketTransferred':
    case 'ticketReprinted':
    case 'counterOpened':
    case 'counterClosed':
    case 'counterPaused':
    case 'counterResumed':
    case 'staffLoggedIn':
    case 'staffLoggedOut':
    case 'visitRated':
      return e;
    default: {
      const unknown: never = e;
      void unknown;
      return null;
    }
  }
}
