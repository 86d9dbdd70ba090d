/**
 * A device message costs a lookup of its device by id, not a walk of every configured device: the
 * broker's access check and the MQTT transport each walked the list per message, a few per cent of
 * the controller's CPU with 500 dispensers (bench/dispensers.ts). Checked by counting how often the
 * device list is read while one device sends many messages.
 */
import { Aedes, type AedesPublishPacket } from 'aedes';
import { afterEach, describe, expect, it } from 'vitest';
import type { CentreConfig, Device } from '../../controller/centre/schema.ts';
import { DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import type { DeviceHost } from '../../controller/device-service/device-service.ts';
import { silentLogger } from '../../controller/logger.ts';
import { DeviceAccess } from '../../controller/transports/mqtt/device-access.ts';
import { MqttDevices } from '../../controller/transports/mqtt/mqtt-devices.ts';
import { deviceTopic } from '../../devices/protocol/topics.ts';

const DEVICES = 500;
const MESSAGES = 100;

/** The device list, counting reads of its elements. */
function countedDevices(): { devices: Device[]; reads: () => number } {
  const list = Array.from(
    { length: DEVICES },
    (_, i) => ({ id: `kiosk-${i + 1}`, type: 'dispenser', transport: 'mqtt', installed: true }) as Device,
  );
  let reads = 0;
  const devices = new Proxy(list, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { devices, reads: () => reads };
}

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

describe('looking up the device of a message', () => {
  it('the access check reads the device list once, not once per publish', () => {
    const { devices, reads } = countedDevices();
    const access = new DeviceAccess({ centreId: () => 'c1', devices: () => devices, logger: silentLogger });
    const client = { id: `kiosk-${DEVICES}` } as Parameters<DeviceAccess['authorizePublish']>[0];
    const topic = deviceTopic('c1', `kiosk-${DEVICES}`, 'evt');
    let allowed = 0;
    for (let i = 0; i < MESSAGES; i++)
      access.authorizePublish(
        client,
        { cmd: 'publish', topic, payload: Buffer.from('{}'), qos: 1, retain: false, dup: false },
        (error) => {
          if (!error) allowed++;
        },
      );
    expect(allowed).toBe(MESSAGES);
    expect(reads()).toBeLessThanOrEqual(2 * DEVICES);
  });

  it('the MQTT transport reads the device list once, not once per message', async () => {
    const { devices, reads } = countedDevices();
    const config = { centre: { id: 'c1', timezone: 'Asia/Ho_Chi_Minh' }, devices } as unknown as CentreConfig;
    const aedes = await Aedes.createBroker();
    stops.push(() => new Promise<void>((resolve) => aedes.close(() => resolve())));
    const registry = new DeviceRegistry({
      config: () => config,
      bus: { emitDevices: () => undefined },
    } as never);
    const transport = new MqttDevices({ aedes, config: () => config, registry, logger: silentLogger });
    const states: string[] = [];
    const host = {
      displays: {
        onCounterDisplay: () => undefined,
        onHallDisplay: () => undefined,
        onRatePrompt: () => undefined,
      },
      refuse: (_d: Device, kind: string) => states.push(`refused ${kind}`),
      handle: async () => undefined,
    } as unknown as DeviceHost;
    await transport.start(host);
    stops.push(() => transport.stop());
    const before = reads();
    const topic = deviceTopic('c1', `kiosk-${DEVICES}`, 'state');
    const payload = Buffer.from(JSON.stringify({ printer: { paper: 'ok', cover: 'closed', online: true } }));
    for (let i = 0; i < MESSAGES; i++)
      await new Promise<void>((resolve) =>
        aedes.publish(
          { cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false } as AedesPublishPacket,
          () => resolve(),
        ),
      );
    expect(states.filter((s) => s !== 'refused rateLimited')).toEqual([]);
    const read = reads() - before; // before the registry below walks the list on its own
    expect(registry.get(`kiosk-${DEVICES}`)?.printer?.paper).toBe('ok');
    expect(read).toBeLessThanOrEqual(2 * DEVICES);
  });
});
