/**
 * The device list on the live link: made only when a screen that may see it is connected (with a
 * thousand devices it costs milliseconds of the event loop each time), and coalesced by its cost.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { QueueEngine } from '../../controller/core/engine.ts';
import type { DeviceHealth, DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import { EventBus } from '../../controller/event-bus.ts';
import type { AccessPolicy } from '../../controller/http/access.ts';
import type { QueueService } from '../../controller/queue/queue-service.ts';
import { LiveUpdates } from '../../controller/realtime/live-updates.ts';
import { MORNING, smallCentre } from '../helpers/centre.ts';

/** Staff when the handshake says so (a test stand-in for the session cookie), else public. */
const access: AccessPolicy = {
  identify: (req) =>
    req.headers['x-test-role'] === 'staff'
      ? { id: 'staff-1', name: 'Staff', roles: ['staff'] }
      : { id: 'public', roles: ['public'], anonymous: true },
};

describe('device health on the live link', () => {
  let http: HttpServer;
  let io: Server;
  let live: LiveUpdates;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    live.stop();
    await new Promise((r) => io.close(() => r(undefined)));
  });

  async function start(delay = 0) {
    const bus = new EventBus();
    const engine = QueueEngine.empty(smallCentre(), MORNING);
    const queue = { config: engine.config, state: engine.state } as unknown as QueueService;
    const made = { count: 0 };
    const registry = {
      all: () => {
        made.count++;
        // Stands for a list that takes time to make (a thousand devices).
        const until = performance.now() + delay;
        while (performance.now() < until);
        return [] as DeviceHealth[];
      },
      alerts: () => [],
    } as unknown as DeviceRegistry;
    http = createServer();
    io = new Server(http);
    live = new LiveUpdates({ io, bus, queue, registry, access, clock: () => MORNING });
    live.start();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const open = (role?: string) => {
      const s = connect(url, {
        transports: ['websocket'],
        extraHeaders: role ? { 'x-test-role': role } : {},
      });
      sockets.push(s);
      const seen: string[] = [];
      s.onAny((event: string) => seen.push(event));
      return { s, seen };
    };
    const changed = () => bus.emitDeviceHealth({ id: 'd1' } as DeviceHealth);
    return { made, open, changed };
  }

  it('makes no device list while only public screens are connected, and sends one once staff are', async () => {
    const { made, open, changed } = await start();
    const hall = open();
    await expect.poll(() => hall.seen).toContain('queue:state');
    changed();
    await new Promise((r) => setTimeout(r, 300));
    expect(made.count).toBe(0);
    expect(hall.seen).not.toContain('devices:state');
    const staff = open('staff');
    await expect.poll(() => staff.seen).toContain('devices:state'); // on connection
    const before = made.count;
    changed();
    await expect.poll(() => made.count).toBe(before + 1);
    await expect.poll(() => staff.seen.filter((e) => e === 'devices:state').length).toBe(2);
  });

  it('spaces the lists by ten times what the last one cost', async () => {
    const { made, open, changed } = await start(40);
    const staff = open('staff');
    await expect.poll(() => staff.seen).toContain('devices:state');
    const base = made.count;
    // Changes every 20 ms for 1.2 s or more: 150 ms apart (+ 40 ms each) that would be one list per
    // 190 ms; spaced by ten times their 40 ms, one per 440 ms at most.
    const started = performance.now();
    for (let i = 0; i < 60; i++) {
      changed();
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = performance.now() - started;
    const lists = made.count - base;
    expect(lists).toBeGreaterThanOrEqual(1);
    expect(lists).toBeLessThanOrEqual(Math.ceil(elapsed / 400) + 1);
  });
});
