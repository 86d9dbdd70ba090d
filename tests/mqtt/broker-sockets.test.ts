/**
 * The embedded broker sends small packets at once (TCP_NODELAY on every device connection). With
 * Nagle's algorithm a call to a counter display waited for the display's delayed ACK whenever the
 * broker was quiet: one MQTT hop took 42.8 ms at p50 instead of ~1 ms (bench/broker.ts, 100 clients).
 * And each packet goes to the socket in one write: the broker writes a packet in pieces (header,
 * topic, id, payload) to a corked stream, and the size guard in front of the socket passed the
 * pieces on one by one, so with TCP_NODELAY a packet was several syscalls and TCP segments (a TLS
 * record each); 10 % of the controller's CPU in the dispensers benchmark. The latency and rate are
 * measured by the benchmarks; this checks the mechanisms.
 */
import { Socket } from 'node:net';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { deviceTopic } from '../../devices/protocol/topics.ts';
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

  it('write each packet to the device socket in one write, not piece by piece', async () => {
    const broker = new Broker(silentLogger);
    const aedes = await broker.create(allowAll);
    await broker.listen({ port: 0, host: '127.0.0.1' });
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, {
      clientId: 'kiosk-1',
      reconnectPeriod: 0,
    });
    const topic = deviceTopic('c1', 'kiosk-1', 'cmd');
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      await client.subscribeAsync(topic, { qos: 1 });
      const writes = vi.spyOn(Socket.prototype, 'write');
      const received = new Promise<void>((resolve) => client.once('message', () => resolve()));
      const payload = Buffer.from(JSON.stringify({ type: 'print', tx: 'tx-1', ticket: { label: 'A1001' } }));
      await new Promise<void>((resolve, reject) =>
        aedes.publish({ cmd: 'publish', topic, payload, qos: 1, retain: false, dup: false }, (error) =>
          error ? reject(error) : resolve(),
        ),
      );
      await received;
      // The broker's side of the connection: its local port is the broker's.
      const serverWrites = writes.mock.contexts.filter((s) => (s as Socket).localPort === broker.port);
      expect(serverWrites).toHaveLength(1);
    } finally {
      vi.restoreAllMocks();
      await client.endAsync(true);
      await broker.stop();
    }
  });
});
