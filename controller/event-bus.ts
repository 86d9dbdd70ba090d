/**
 * The controller's typed event bus. Listeners register under an owner (an extension, a socket)
 * so each can drop all of its listeners at once when it stops.
 */
import { EventEmitter } from 'node:events';
import type { QueueEvent } from './core/events.ts';
import type { DeviceAlert, DeviceHealth } from './device-service/device-registry.ts';

interface BusEvents {
  /** Events made durable in the journal, in journal order. */
  queueEvents: [events: QueueEvent[]];
  deviceHealth: [health: DeviceHealth];
  deviceAlert: [alert: DeviceAlert];
  /** Something the controller cannot go on from (the journal failed). */
  fatal: [error: Error];
}

type Listener<K extends keyof BusEvents> = (...args: BusEvents[K]) => void;

export class EventBus {
  readonly #emitter = new EventEmitter({ captureRejections: false });
  readonly #owned = new Map<object, { event: keyof BusEvents; listener: (...args: unknown[]) => void }[]>();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emitQueueEvents(events: QueueEvent[]): void {
    this.#emitter.emit('queueEvents', events);
  }

  onQueueEvents(owner: object, listener: Listener<'queueEvents'>): void {
    this.#on('queueEvents', owner, listener);
  }

  emitDeviceHealth(health: DeviceHealth): void {
    this.#emitter.emit('deviceHealth', health);
  }

  onDeviceHealth(owner: object, listener: Listener<'deviceHealth'>): void {
    this.#on('deviceHealth', owner, listener);
  }

  emitDeviceAlert(alert: DeviceAlert): void {
    this.#emitter.emit('deviceAlert', alert);
  }

  onDeviceAlert(owner: object, listener: Listener<'deviceAlert'>): void {
    this.#on('deviceAlert', owner, listener);
  }

  emitFatal(error: Error): void {
    this.#emitter.emit('fatal', error);
  }

  onFatal(owner: object, listener: Listener<'fatal'>): void {
    this.#on('fatal', owner, listener);
  }

  removeListeners(owner: object): void {
    for (const { event, listener } of this.#owned.get(owner) ?? []) this.#emitter.off(event, listener);
    this.#owned.delete(owner);
  }

  #on<K extends keyof BusEvents>(event: K, owner: object, listener: Listener<K>): void {
    // A throwing listener is one extension's bug: it must not stop the others or the command path.
    const safe = (...args: BusEvents[K]) => {
      try {
        listener(...args);
      } catch (error) {
        this.#emitter.emit('listenerError', error);
      }
    };
    this.#emitter.on(event, safe as (...args: unknown[]) => void);
    const list = this.#owned.get(owner) ?? [];
    list.push({ event, listener: safe as (...args: unknown[]) => void });
    this.#owned.set(owner, list);
  }

  /** Where listener exceptions go (the controller logs them). */
  onListenerError(listener: (error: unknown) => void): void {
    this.#emitter.on('listenerError', listener);
  }
}
