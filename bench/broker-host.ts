/**
 * Child process of the broker benchmark: the controller's embedded broker (controller/transports/
 * mqtt/broker.ts: aedes with the controller's options and the packet-size guard) on 127.0.0.1, in its
 * own process as it is in the controller, letting every client in (the device access rules are the
 * controller's, not the broker's, and are left out of this comparison). Prints the port, then runs
 * until killed.
 */

import { silentLogger } from '../controller/logger.ts';
import { Broker } from '../controller/transports/mqtt/broker.ts';
import type { DeviceAccess } from '../controller/transports/mqtt/device-access.ts';

const broker = new Broker(silentLogger);
const allow = {
  preConnect: (_client: unknown, _packet: unknown, done: (e: Error | null, ok: boolean) => void) =>
    done(null, true),
  authenticate: (_c: unknown, _u: unknown, _p: unknown, done: (e: Error | null, ok: boolean) => void) =>
    done(null, true),
  authorizePublish: (_c: unknown, _p: unknown, done: (e?: Error | null) => void) => done(null),
  authorizeSubscribe: (_c: unknown, sub: unknown, done: (e: Error | null, s: unknown) => void) =>
    done(null, sub),
} as unknown as DeviceAccess;
await broker.create(allow);
await broker.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ port: broker.port }));
