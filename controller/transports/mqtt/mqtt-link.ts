/**
 * The controller's side of the device conversation on the embedded broker: publishes to a
 * device's topics (through aedes directly, so it needs no credentials of its own) and matches
 * command replies to their transaction ids.
 */
import { randomUUID } from 'node:crypto';
import type { Aedes } from 'aedes';
import { DEVICE_LIMITS } from '../../../devices/limits.ts';
import type { CommandReply, DeviceCommand } from '../../../devices/protocol/messages.ts';
import {
  type BroadcastKind,
  broadcastTopic,
  type DeviceInKind,
  deviceTopic,
} from '../../../devices/protocol/topics.ts';
import type { Logger } from '../../logger.ts';

type Distribute<T> = T extends unknown ? Omit<T, 'tx'> : never;
export type OutgoingCommand = Distribute<DeviceCommand>;

export class CommandTimeoutError extends Error {
  override name = 'CommandTimeoutError';
}

export class MqttLink {
  readonly #aedes: Aedes;
  readonly #centreId: () => string;
  readonly #logger: Logger;
  readonly #pending = new Map<
    string,
    { deviceId: string; resolve: (r: CommandReply) => void; timer: NodeJS.Timeout }
  >();

  constructor(aedes: Aedes, centreId: () => string, logger: Logger) {
    this.#aedes = aedes;
    this.#centreId = centreId;
    this.#logger = logger;
  }

  publish(deviceId: string, kind: DeviceInKind, payload: unknown, retain = false): Promise<void> {
    return this.#publish(deviceTopic(this.#centreId(), deviceId, kind), payload, retain);
  }

  broadcast(kind: BroadcastKind, payload: unknown): Promise<void> {
    return this.#publish(broadcastTopic(this.#centreId(), kind), payload, true);
  }

  /** Sends a command and resolves with the device's reply, or rejects after `timeoutMs`. */
  command(
    deviceId: string,
    command: OutgoingCommand,
    timeoutMs: number = DEVICE_LIMITS.commandTimeoutMs,
  ): Promise<CommandReply> {
    const tx = randomUUID().slice(0, 18);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(tx);
        reject(
          new CommandTimeoutError(
            `device ${deviceId} did not answer "${command.type}" within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      timer.unref();
      this.#pending.set(tx, { deviceId, resolve, timer });
      this.publish(deviceId, 'cmd', { ...command, tx }).catch((error) => {
        clearTimeout(timer);
        this.#pending.delete(tx);
        reject(error);
      });
    });
  }

  /** A reply arrived; false when it matches no command this device was sent (late, or made up). */
  reply(deviceId: string, reply: CommandReply): boolean {
    const pending = this.#pending.get(reply.tx);
    if (!pending || pending.deviceId !== deviceId) return false;
    clearTimeout(pending.timer);
    this.#pending.delete(reply.tx);
    pending.resolve(reply);
    return true;
  }

  stop(): void {
    for (const p of this.#pending.values()) clearTimeout(p.timer);
    this.#pending.clear();
  }

  #publish(topic: string, payload: unknown, retain: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#aedes.publish(
        { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(payload)), qos: 1, retain, dup: false },
        (error) => {
          if (error) {
            this.#logger.warn({ err: error, topic }, 'mqtt publish failed');
            reject(error);
          } else resolve();
        },
      );
    });
  }
}
