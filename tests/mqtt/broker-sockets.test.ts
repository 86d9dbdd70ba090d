/**
 * The embedded broker sends small packets at once (TCP_NODELAY on every device connection). With
 * Nagle's algorithm a call to a counter display waited for the display's delayed ACK whenever the
 * broker was quiet: one MQTT hop took 42.8 ms at p50 instead of ~1 ms (bench/broker.ts, 100 clients).
 * The latency itself is measured by the benchmark; this checks the mechanism.
 */
import { Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { allowAll } from '../helpers/allow-all-devices.ts';

afterEach(() => vi.restoreAllMocks());

describe('embedded broker connections', () => {
  it('turn off Nagle on every accepted device socket', async () => {
    const broker = new Broker(silentLogger);
    await broker.create(allowAll);
    const noDelay = vi.spyOn(Socket.prototype, 'setNoDelay');
    await broker.listen({ port: 0, host: '127.0.0.1' });
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: 'display-1',
      reconnectPeriod: 0,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      // The broker's side of the connection (the client's own socket is the one with our port as remote).
      const serverSide = noDelay.mock.contexts.filter(
        (s) => (s as Socket).localPort === broker.port,
      ) as Socket[];
      expect(serverSide).toHaveLength(1);
      expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(serverSide[0])]?.[0]).toBe(true);
    } finally {
      await client.endAsync(true);
      await broker.stop();
    }
  });
});
