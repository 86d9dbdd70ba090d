/**
 * Who may connect to the broker and what each device may publish and subscribe to.
 * - connect: username = client id = a configured MQTT device id, password = its secret;
 * - publish: only its own `birth`, `avail`, `reply`, and `evt` / `state` if its type sends events / reports state;
 * - subscribe: exactly its own `cmd`, `res`, `display`, and each broadcast (no wildcards).
 * Every refusal is logged with the device id and counted against it. Failed logins back off, and a
 * device reconnecting in a loop is slowed down, so neither costs the others CPU.
 */
import { createHash } from 'node:crypto';
import type { AuthenticateError, Client, ConnectPacket, PublishPacket, Subscription } from 'aedes';
import { DEVICE_LIMITS } from '../../../devices/limits.ts';
import { mayPublish } from '../../../devices/protocol/definitions.ts';
import {
  BROADCASTS,
  broadcastTopic,
  centreRoot,
  deviceTopic,
  parseDeviceTopic,
} from '../../../devices/protocol/topics.ts';
import { deviceById } from '../../centre/device-index.ts';
import { type Device, MONITOR_USER } from '../../centre/schema.ts';
import { elapsedMs } from '../../elapsed-clock.ts';
import type { Logger } from '../../logger.ts';
import { verifySecret } from '../../security/secret-hash.ts';

export type Refusal =
  | 'unknownDevice'
  | 'noSecret'
  | 'badSecret'
  | 'lockedOut'
  | 'connectFlood'
  | 'topic'
  | 'subscription'
  | 'protocolVersion'
  | 'keepalive';

export interface DeviceAccessOptions {
  centreId: () => string;
  devices: () => readonly Device[];
  /** scrypt hash of the read-only monitor's secret, if one was provisioned. */
  monitorSecretHash?: () => string | undefined;
  logger: Logger;
  onRefused?: (deviceId: string, reason: Refusal, detail: string) => void;
  clock?: () => number;
}

const { failuresBeforeLockout, lockoutMs, failureMemoryMs, connectWindowMs, connectsPerWindow } =
  DEVICE_LIMITS;

const RETURN_CODE = { badCredentials: 4, notAuthorized: 5, unavailable: 3 } as const;

export class DeviceAccess {
  readonly #o: DeviceAccessOptions;
  readonly #clock: () => number;
  /** deviceId → sha256 of the last secret that verified, so reconnects skip scrypt. */
  readonly #verified = new Map<string, string>();
  readonly #failures = new Map<string, { count: number; lockedUntil: number; last: number }>();
  readonly #connects = new Map<string, number[]>();
  readonly #slowedUntil = new Map<string, number>();

  constructor(options: DeviceAccessOptions) {
    this.#o = options;
    this.#clock = options.clock ?? elapsedMs;
  }

  /**
   * Sees every CONNECT before the broker checks it, so the refusals the broker makes on its own
   * (MQTT 5 clients: code 1; keep-alive 0 or above the limit: code 6) are logged and
   * counted like the others. The broker still sends the refusal itself.
   */
  preConnect = (
    _client: Client,
    packet: ConnectPacket,
    done: (error: Error | null, ok: boolean) => void,
  ): void => {
    const id = packet.clientId || packet.username || '(no client id)';
    const limit = DEVICE_LIMITS.keepaliveLimitSeconds;
    const version = packet.protocolVersion ?? 0;
    if (version < 3 || version > 4) {
      this.#refused(
        id,
        'protocolVersion',
        `protocol version ${version} from "${id}" (MQTT 3.1.1 is the protocol; 5 is not supported)`,
      );
    } else if (!packet.keepalive || packet.keepalive > limit) {
      this.#refused(
        id,
        'keepalive',
        `keep-alive ${packet.keepalive ?? 0} s from "${id}" (must be 1-${limit} s)`,
      );
    }
    done(null, true);
  };

  authenticate = (
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void => {
    const id = username ?? '';
    const refuse = (reason: Refusal, code: number, detail: string) => {
      this.#refused(id || client.id, reason, detail);
      const error = Object.assign(new Error(detail), { returnCode: code }) as AuthenticateError;
      done(error, false);
    };
    const device = this.#device(id);
    if (device?.transport !== 'mqtt') {
      return refuse('unknownDevice', RETURN_CODE.notAuthorized, `unknown device "${id}"`);
    }
    // Monitors may run several at once (mosquitto_sub beside npm run monitor): "monitor" or "monitor/<any>".
    const clientIdOk = id === MONITOR_USER ? isMonitorClient(client.id) : client.id === id;
    if (!clientIdOk) {
      return refuse(
        'unknownDevice',
        RETURN_CODE.notAuthorized,
        id === MONITOR_USER
          ? `client id "${client.id}" of the monitor must be "monitor" or start with "monitor/"`
          : `client id "${client.id}" must equal the device id "${id}"`,
      );
    }
    if (!device.secretHash)
      return refuse('noSecret', RETURN_CODE.notAuthorized, `device "${id}" has no secret provisioned`);
    const now = this.#clock();
    if (this.#connectFlood(id, now)) {
      return refuse(
        'connectFlood',
        RETURN_CODE.unavailable,
        `device "${id}" reconnects too often; slowed down`,
      );
    }
    const failures = this.#failures.get(id);
    if (failures && failures.lockedUntil > now) {
      return refuse('lockedOut', RETURN_CODE.unavailable, `device "${id}" is locked out after wrong secrets`);
    }
    const secret = password ?? Buffer.alloc(0);
    const fingerprint = createHash('sha256').update(secret).update(device.secretHash).digest('hex');
    if (this.#verified.get(id) === fingerprint) return done(null, true);
    verifySecret(secret, device.secretHash).then(
      (ok) => {
        if (ok) {
          this.#verified.set(id, fingerprint);
          this.#failures.delete(id);
          return done(null, true);
        }
        const now = this.#clock();
        const previous = this.#failures.get(id);
        // Wrong secrets days apart are not an attack: only recent ones add up.
        const f =
          previous && now - previous.last < failureMemoryMs
            ? previous
            : { count: 0, lockedUntil: 0, last: now };
        f.count++;
        f.last = now;
        if (f.count >= failuresBeforeLockout) {
          f.lockedUntil = this.#clock() + lockoutMs;
          f.count = 0;
        }
        this.#failures.set(id, f);
        refuse('badSecret', RETURN_CODE.badCredentials, `wrong secret for device "${id}"`);
      },
      () => refuse('badSecret', RETURN_CODE.badCredentials, `cannot verify the secret of device "${id}"`),
    );
  };

  authorizePublish = (
    client: Client | null,
    packet: PublishPacket,
    callback: (error?: Error | null) => void,
  ): void => {
    if (!client) return callback(null); // the broker's own last-will delivery
    if (isMonitorClient(client.id)) {
      const detail = 'the monitor is read-only: it may not publish';
      this.#refused(MONITOR_USER, 'topic', detail);
      return callback(new Error(detail));
    }
    const device = this.#device(client.id);
    const topic = parseDeviceTopic(this.#o.centreId(), packet.topic);
    const ownTopic = device && topic && topic.deviceId === device.id && mayPublish(device.type, topic.kind);
    if (!ownTopic) {
      const detail = `may not publish to "${packet.topic}"`;
      this.#refused(client.id, 'topic', detail);
      return callback(new Error(detail)); // MQTT 3.1.1 has no refusal for a publish: the broker disconnects
    }
    // Events and replies are moments, not state: never let a device make one retained.
    if (topic.kind === 'evt' || topic.kind === 'reply') packet.retain = false;
    callback(null);
  };

  authorizeSubscribe = (
    client: Client,
    sub: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void => {
    const centreId = this.#o.centreId();
    if (isMonitorClient(client.id)) {
      // Anything within this centre's tree, wildcards included; nothing outside it.
      const root = centreRoot(centreId);
      if (sub.topic === `${root}/#` || sub.topic.startsWith(`${root}/`)) return callback(null, sub);
      this.#refused(MONITOR_USER, 'subscription', `monitor may not subscribe to "${sub.topic}"`);
      return callback(null, null);
    }
    const allowed = new Set([
      deviceTopic(centreId, client.id, 'cmd'),
      deviceTopic(centreId, client.id, 'res'),
      deviceTopic(centreId, client.id, 'display'),
      ...BROADCASTS.map((b) => broadcastTopic(centreId, b)),
    ]);
    if (this.#device(client.id) && allowed.has(sub.topic)) return callback(null, sub);
    this.#refused(client.id, 'subscription', `may not subscribe to "${sub.topic}"`);
    callback(null, null); // SUBACK 0x80 for this filter; the connection stays up
  };

  /** The configured device, or the monitor as a pseudo-device when its secret was provisioned. */
  #device(id: string): Device | undefined {
    if (id === MONITOR_USER || isMonitorClient(id)) {
      const secretHash = this.#o.monitorSecretHash?.();
      return secretHash
        ? { id: MONITOR_USER, type: 'hallDisplay', transport: 'mqtt', installed: true, secretHash }
        : undefined;
    }
    return deviceById(this.#o.devices(), id);
  }

  /** More than 10 connects in 10 s: refused for the next 10 s (attempts meanwhile do not extend it). */
  #connectFlood(id: string, now: number): boolean {
    const slowed = this.#slowedUntil.get(id);
    if (slowed !== undefined && now < slowed) return true;
    const recent = (this.#connects.get(id) ?? []).filter((t) => now - t < connectWindowMs);
    recent.push(now);
    if (recent.length > connectsPerWindow) {
      this.#slowedUntil.set(id, now + connectWindowMs);
      this.#connects.delete(id);
      return true;
    }
    this.#connects.set(id, recent);
    return false;
  }

  #refused(deviceId: string, reason: Refusal, detail: string): void {
    this.#o.logger.warn({ deviceId, reason }, `mqtt refused: ${detail}`);
    this.#o.onRefused?.(deviceId, reason, detail);
  }
}

function isMonitorClient(clientId: string): boolean {
  return clientId === MONITOR_USER || clientId.startsWith(`${MONITOR_USER}/`);
}
