/** An access policy for broker tests that lets every client connect, publish and subscribe. */
import type { DeviceAccess } from '../../controller/transports/mqtt/device-access.ts';

export const allowAll = {
  preConnect: (_c: unknown, _p: unknown, done: (e: Error | null, ok: boolean) => void) => done(null, true),
  authenticate: (_c: unknown, _u: unknown, _p: unknown, done: (e: Error | null, ok: boolean) => void) =>
    done(null, true),
  authorizePublish: (_c: unknown, _p: unknown, done: (e?: Error | null) => void) => done(null),
  authorizeSubscribe: (_c: unknown, s: unknown, done: (e: Error | null, s: unknown) => void) => done(null, s),
} as unknown as DeviceAccess;
