/**
 * Keeps the displays right: each counter call display gets its counter's state (retained, so a
 * display that reboots shows the right number at once), each hall display its zone's latest
 * calls, and a counter's rating keypad lights up when a visit there ends.
 */

import { DEVICE_LIMITS } from '../../devices/limits.ts';
import type { CounterDisplay, HallDisplay } from '../../devices/protocol/messages.ts';
import type { CentreConfig } from '../centre/schema.ts';
import type { QueueEvent } from '../core/events.ts';
import type { QueueState, Ticket } from '../core/types.ts';
import type { EventBus } from '../event-bus.ts';

const HALL_CALLS = DEVICE_LIMITS.hallCalls;

export interface DisplaySyncOptions {
  bus: EventBus;
  config: () => CentreConfig;
  state: () => Readonly<QueueState>;
}

type HallCall = HallDisplay['calls'][number];

/** What a rating keypad is asked to show when its counter's visit ends. */
export interface RatePrompt {
  ticketLabel: string;
  expiresAt: number;
}

export class DisplaySync {
  readonly #o: DisplaySyncOptions;
  readonly #hallCalls = new Map<string, HallCall[]>();
  readonly #counterListeners: ((counterId: string, display: CounterDisplay) => void)[] = [];
  readonly #hallListeners: ((zoneId: string, display: HallDisplay) => void)[] = [];
  readonly #promptListeners: ((counterId: string, prompt: RatePrompt) => void)[] = [];

  constructor(options: DisplaySyncOptions) {
    this.#o = options;
  }

  /**
   * The transports follow the displays through these (an MQTT call display, an RS-485 bus): each
   * shows the states to the devices it carries. Registered before start(); stop() drops them all.
   */
  onCounterDisplay(listener: (counterId: string, display: CounterDisplay) => void): void {
    this.#counterListeners.push(listener);
  }

  /** A zone's hall display state (`zoneId` "" for the hall displays of no zone). */
  onHallDisplay(listener: (zoneId: string, display: HallDisplay) => void): void {
    this.#hallListeners.push(listener);
  }

  /** A counter's visit was finished: its rating keypads ask the citizen to rate. */
  onRatePrompt(listener: (counterId: string, prompt: RatePrompt) => void): void {
    this.#promptListeners.push(listener);
  }

  /** Publishes every display's state now (the broker keeps nothing across a restart), then follows events. */
  start(): void {
    this.#rebuildHallCalls();
    const { config, state } = this.#o;
    for (const counter of config().counters) this.#publishCounter(counter.id, false, state().seq);
    for (const zoneId of this.#zones()) this.#publishHall(zoneId, state().seq);
    this.#o.bus.onQueueEvents(this, (events) => {
      for (const event of events) this.#follow(event);
    });
  }

  stop(): void {
    this.#o.bus.removeListeners(this);
    this.#counterListeners.length = 0;
    this.#hallListeners.length = 0;
    this.#promptListeners.length = 0;
  }

  #follow(event: QueueEvent): void {
    switch (event.type) {
      case 'dayStarted':
        this.#hallCalls.clear();
        for (const counter of this.#o.config().counters) this.#publishCounter(counter.id, false, event.seq);
        for (const zoneId of this.#zones()) this.#publishHall(zoneId, event.seq);
        return;
      case 'ticketCalled':
      case 'ticketRecalled': {
        this.#publishCounter(event.counterId, true, event.seq);
        const ticket = this.#o.state().tickets[event.ticketId];
        const counter = this.#o.config().counters.find((c) => c.id === event.counterId);
        if (!ticket || !counter) return;
        const zoneId = counter.zoneId ?? '';
        const calls = [
          {
            label: ticket.label,
            counterNumber: counter.number,
            at: event.at,
            recall: event.type === 'ticketRecalled',
          },
          ...(this.#hallCalls.get(zoneId) ?? []),
        ].slice(0, HALL_CALLS);
        this.#hallCalls.set(zoneId, calls);
        this.#publishHall(zoneId, event.seq);
        return;
      }
      case 'serviceFinished':
        this.#publishCounter(event.counterId, false, event.seq);
        this.#promptRating(event.counterId, event.ticketId, event.at);
        return;
      case 'serviceStarted':
      case 'ticketSkipped':
      case 'counterOpened':
      case 'counterClosed':
      case 'counterPaused':
      case 'counterResumed':
      case 'staffLoggedIn':
      case 'staffLoggedOut':
        this.#publishCounter(event.counterId, false, event.seq);
        return;
      case 'ticketTransferred':
        this.#publishCounter(event.fromCounterId, false, event.seq);
        return;
      case 'ticketCancelled': {
        const counterId = this.#o.state().tickets[event.ticketId]?.counterId;
        if (counterId) this.#publishCounter(counterId, false, event.seq);
        return;
      }
      default:
        return;
    }
  }

  counterDisplay(counterId: string, blink: boolean, version: number): CounterDisplay | null {
    const counter = this.#o.config().counters.find((c) => c.id === counterId);
    if (!counter) return null;
    const live = this.#o.state().counters[counterId];
    const ticket = live?.currentTicketId ? this.#o.state().tickets[live.currentTicketId] : undefined;
    const state: CounterDisplay['state'] =
      ticket?.status === 'called'
        ? 'called'
        : ticket?.status === 'serving'
          ? 'serving'
          : (live?.status ?? 'closed');
    return {
      counterNumber: counter.number,
      label: ticket?.label ?? null,
      state,
      blink,
      at: Date.now(),
      version,
    };
  }

  #publishCounter(counterId: string, blink: boolean, version: number): void {
    const display = this.counterDisplay(counterId, blink, version);
    if (!display) return;
    for (const listener of this.#counterListeners) listener(counterId, display);
  }

  #publishHall(zoneId: string, version: number): void {
    const payload: HallDisplay = {
      zoneId: zoneId || null,
      calls: this.#hallCalls.get(zoneId) ?? [],
      version,
    };
    for (const listener of this.#hallListeners) listener(zoneId, payload);
  }

  #promptRating(counterId: string, ticketId: string, at: number): void {
    const config = this.#o.config();
    const ticket = this.#o.state().tickets[ticketId];
    if (!ticket) return;
    const expiresAt = at + config.ratings.windowMinutes * 60_000;
    for (const listener of this.#promptListeners)
      listener(counterId, { ticketLabel: ticket.label, expiresAt });
  }

  #zones(): string[] {
    const config = this.#o.config();
    return [...new Set(config.devices.filter((d) => d.type === 'hallDisplay').map((d) => d.zoneId ?? ''))];
  }

  /**
   * Each zone's latest calls from today's tickets, after a restart (before the controller is
   * ready). One walk keeping each zone's latest HALL_CALLS in place, not a sort of every call of the
   * day (45,000 on a 50,000-ticket day) with a counter looked up for each; same order as that stable
   * sort: latest first, between calls at the same instant the ticket first in `state.tickets`. The
   * walk goes by Object.keys: on a dictionary of 50,000 tickets Object.values costs 42–55 ms, the
   * keys and a lookup each 27–31 ms.
   */
  #rebuildHallCalls(): void {
    const zoneOf = new Map(
      this.#o.config().counters.map((c) => [c.id, { zoneId: c.zoneId ?? '', number: c.number }]),
    );
    this.#hallCalls.clear();
    const tickets = this.#o.state().tickets;
    for (const id of Object.keys(tickets)) {
      const t = tickets[id] as Ticket;
      if (t.calledAt === undefined || !t.counterId) continue;
      const counter = zoneOf.get(t.counterId);
      if (!counter) continue;
      let calls = this.#hallCalls.get(counter.zoneId);
      if (!calls) {
        calls = [];
        this.#hallCalls.set(counter.zoneId, calls);
      }
      let at = calls.length;
      while (at > 0 && (calls[at - 1] as HallCall).at < t.calledAt) at--;
      if (at >= HALL_CALLS) continue;
      calls.splice(at, 0, { label: t.label, counterNumber: counter.number, at: t.calledAt, recall: false });
      if (calls.length > HALL_CALLS) calls.pop();
    }
  }
}
