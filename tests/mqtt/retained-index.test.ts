/**
 * Retained messages on the embedded broker: a device subscribing to its own exact topics gets the
 * retained state from an index by topic, not from a test of every retained topic against its
 * subscription (O(devices²) when a fleet connects); wildcard subscriptions still get theirs, and an
 * empty retained message still clears a topic. Real mqtt.js clients on the real broker.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { allowAll } from '../helpers/allow-all-devices.ts';

/** aedes' topic matcher (untyped CommonJS): the scan of retained topics calls its `test` once per topic. */
const { Qlobber } = (await import('qlobber' as string)) as {
  Qlobber: { prototype: { test: () => boolean } };
};

const clients: MqttClient[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of clients.splice(0)) await c.endAsync(true);
});

async function client(port: number, id: string): Promise<MqttClient> {
  const c = mqtt.connect(`mqtt://127.0.0.1:${port}`, { clientId: id, reconnectPeriod: 0 });
  clients.push(c);
  await new Promise<void>((resolve, reject) => {
    c.once('connect', () => resolve());
    c.once('error', reject);
  });
  return c;
}

/** The retained messages a new subscription to `topic` delivers: `expected` of them, or none in 150 ms. */
async function retainedOn(
  port: number,
  id: string,
  topic: string,
  expected = 1,
): Promise<Record<string, string>> {
  const c = await client(port, id);
  const got: Record<string, string> = {};
  c.on('message', (t, payload, packet) => {
    if (packet.retain) got[t] = payload.toString();
  });
  await c.subscribeAsync(topic, { qos: 1 });
  if (expected === 0) await new Promise((r) => setTimeout(r, 150));
  else await expect.poll(() => Object.keys(got).length).toBeGreaterThanOrEqual(expected);
  return got;
}

describe('retained messages on the embedded broker', () => {
  it('delivers the retained state of an exact topic without testing every retained topic', async () => {
    const broker = new Broker(silentLogger);
    await broker.create(allowAll);
    await broker.listen({ port: 0, host: '127.0.0.1' });
    const port = broker.port as number;
    try {
      const controller = await client(port, 'controller');
      for (let i = 1; i <= 300; i++)
        await controller.publishAsync(`qms/v1/c/dev/q${i}-display/display`, `state ${i}`, {
          qos: 1,
          retain: true,
        });
      await controller.publishAsync('qms/v1/c/dev/q7-display/display', '', { qos: 1, retain: true }); // cleared
      const tested = vi.spyOn(Qlobber.prototype, 'test');

      expect(await retainedOn(port, 'q42-display', 'qms/v1/c/dev/q42-display/display')).toEqual({
        'qms/v1/c/dev/q42-display/display': 'state 42',
      });
      expect(tested).not.toHaveBeenCalled();
      expect(await retainedOn(port, 'q7-display', 'qms/v1/c/dev/q7-display/display', 0)).toEqual({});

      // A monitor's wildcard still gets every retained message it matches (through aedes' own scan).
      const all = await retainedOn(port, 'monitor', 'qms/v1/c/dev/+/display', 299);
      expect(Object.keys(all)).toHaveLength(299);
      expect(all['qms/v1/c/dev/q300-display/display']).toBe('state 300');
    } finally {
      await broker.stop();
    }
  });
});
