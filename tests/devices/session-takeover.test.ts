/**
 * A device that reconnects while its old connection still stands takes the session over (MQTT
 * 3.1.4-2): the old connection's end must not mark it offline; its own end does.
 */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let centre: DeviceCentre;
beforeAll(async () => {
  centre = await startDeviceCentre({ connect: false });
});
afterAll(async () => centre?.stopAll());

describe('a session taken over by the same device', () => {
  it('keeps the device online through the takeover, and offline once the new connection ends', async () => {
    const connect = () =>
      mqtt.connectAsync(centre.mqttUrl, {
        clientId: 'c7-pad',
        username: 'c7-pad',
        password: centre.secrets['c7-pad'] as string,
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
    const online = () => centre.controller.devices.get('c7-pad')?.online;
    const first = await connect();
    await eventually(() => online() === true, 3000, 'c7-pad online');
    const firstClosed = new Promise<void>((resolve) => first.once('close', () => resolve()));
    const second = await connect();
    await firstClosed; // the broker closed the old connection
    await new Promise((r) => setTimeout(r, 200));
    expect(online()).toBe(true);
    await second.endAsync();
    await eventually(() => online() === false, 3000, 'c7-pad offline after its connection ended');
    first.end(true);
  });
});
