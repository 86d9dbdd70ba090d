/**
 * What the embedded broker keeps in memory for the life of the process (issue 14's budget). mqtt-packet,
 * which aedes writes packets with, builds on its first packet a cache of all 65,536 two-byte numbers,
 * one Buffer each (~7 MB of heap, measured with bench/memory.ts); the broker turns it off.
 */
import { createRequire } from 'node:module';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { allowAll } from '../helpers/allow-all-devices.ts';

/** mqtt-packet's number cache, as aedes resolves the package. */
const aedesRequire = createRequire(createRequire(import.meta.url).resolve('aedes'));
const numberCache = aedesRequire('mqtt-packet/numbers.js').cache as Record<number, Buffer>;

describe('embedded broker memory', () => {
  it('writes packets without building mqtt-packet’s cache of 65,536 number buffers', async () => {
    const broker = new Broker(silentLogger);
    await broker.create(allowAll);
    await broker.listen({ port: 0, host: '127.0.0.1' });
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`, { clientId: 'pad-1', reconnectPeriod: 0 });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      });
      // Packets with a packet id and topic lengths go both ways (QoS 1 subscribe and publish).
      await client.subscribeAsync('qms/v1/test/#', { qos: 1 });
      const got = new Promise((resolve) => client.once('message', resolve));
      await client.publishAsync('qms/v1/test/a', 'x', { qos: 1 });
      await got;
      expect(Object.keys(numberCache)).toHaveLength(0);
    } finally {
      await client.endAsync(true);
      await broker.stop();
    }
  });
});
