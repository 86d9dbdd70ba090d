/**
 * Who may connect and what they may touch, checked with real clients: mqtt.js (the simulators)
 * and Mosquitto's own mosquitto_pub / mosquitto_sub.
 */
import { execFile } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceTopic } from '../../devices/protocol/topics.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const CENTRE = 'tt-phvhcc-quang-nam';
let centre: DeviceCentre;

beforeAll(async () => {
  centre = await startDeviceCentre({ connect: false });
});
afterAll(async () => centre?.stopAll());

const connect = (id: string, password: string, clientId = id) =>
  mqtt.connectAsync(centre.mqttUrl, {
    clientId,
    username: id,
    password,
    reconnectPeriod: 0,
    connectTimeout: 3000,
  });

describe('with mqtt.js', () => {
  it('lets a device in with its own secret', async () => {
    const client = await connect('c3-pad', centre.secrets['c3-pad'] as string);
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('refuses a wrong secret, an unknown device, and a client id that is not the username', async () => {
    await expect(connect('c3-pad', 'not-the-secret')).rejects.toThrow(/Bad username or password/);
    await expect(connect('intruder', 'x')).rejects.toThrow(/Not authorized/);
    await expect(connect('c3-pad', centre.secrets['c3-pad'] as string, 'someone-else')).rejects.toThrow(
      /Not authorized/,
    );
    expect(centre.controller.devices.get('c3-pad')?.errors.unauthorized).toBeGreaterThanOrEqual(2);
  });

  it('counts and logs connections refused for their protocol: MQTT 5, keep-alive 0 or too long', async () => {
    const before = centre.controller.devices.get('c6-pad')?.errors.unauthorized ?? 0;
    const secret = centre.secrets['c6-pad'] as string;
    const attempt = (options: mqtt.IClientOptions) =>
      mqtt.connectAsync(centre.mqttUrl, {
        clientId: 'c6-pad',
        username: 'c6-pad',
        password: secret,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        ...options,
      });
    await expect(attempt({ protocolVersion: 5 })).rejects.toThrow();
    await expect(attempt({ keepalive: 0 })).rejects.toThrow(/Connection refused/);
    await expect(attempt({ keepalive: 3600 })).rejects.toThrow(/Connection refused/);
    await eventually(
      () => (centre.controller.devices.get('c6-pad')?.errors.unauthorized ?? 0) >= before + 3,
      3000,
      'three protocol refusals counted against c6-pad',
    );
  });

  it('locks a device out after repeated wrong secrets, even for the right one', async () => {
    for (let i = 0; i < 5; i++) await expect(connect('c4-pad', `wrong-${i}`)).rejects.toThrow();
    await expect(connect('c4-pad', centre.secrets['c4-pad'] as string)).rejects.toThrow(/Server unavailable/);
  });

  it('refuses subscriptions to other devices and to wildcards, keeping the connection', async () => {
    const client = await connect('c5-keypad', centre.secrets['c5-keypad'] as string);
    const own = await client.subscribeAsync(deviceTopic(CENTRE, 'c5-keypad', 'cmd'), { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    for (const topic of [
      deviceTopic(CENTRE, 'c6-keypad', 'cmd'),
      `qms/v1/${CENTRE}/#`,
      '#',
      deviceTopic(CENTRE, 'c5-keypad', 'evt'),
      // Exactly the broadcasts by name, as the connection steps of docs/protocol.md say.
      `qms/v1/${CENTRE}/broadcast/#`,
    ]) {
      // SUBACK 0x80 (failure) for this filter: mqtt.js turns it into a rejected subscribe.
      await expect(client.subscribeAsync(topic, { qos: 1 }), topic).rejects.toThrow(/Subscribe error/);
    }
    expect(client.connected).toBe(true);
    await client.endAsync();
  });

  it('disconnects a display that publishes an event: displays send none', async () => {
    const before = centre.controller.devices.get('c6-display')?.errors.unauthorized ?? 0;
    const client = await connect('c6-display', centre.secrets['c6-display'] as string);
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(deviceTopic(CENTRE, 'c6-display', 'evt'), '{}', { qos: 1 });
    await closed;
    client.end(true);
    await eventually(
      () => (centre.controller.devices.get('c6-display')?.errors.unauthorized ?? 0) > before,
      3000,
      'the refusal counted',
    );
  });

  it('disconnects a device that publishes outside its own topics, or what its type does not report', async () => {
    for (const topic of [
      deviceTopic(CENTRE, 'c6-display', 'evt'),
      `qms/v1/${CENTRE}/broadcast/time`,
      'anything',
      deviceTopic(CENTRE, 'c5-pad', 'state'),
    ]) {
      const client = await connect('c5-pad', centre.secrets['c5-pad'] as string);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      client.publish(topic, '{}', { qos: 1 });
      await closed;
      client.end(true);
    }
    await eventually(
      () => (centre.controller.devices.get('c5-pad')?.errors.unauthorized ?? 0) >= 4,
      3000,
      'refusals counted',
    );
  });
});

describe.runIf(requireProgram('mosquitto_pub', 'mosquitto-clients'))('with Mosquitto clients', () => {
  const base = () => ['-h', '127.0.0.1', '-p', String(centre.started.mqttPort)];
  const run = (program: string, args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(program, args, { timeout: 10_000 }, (error, stdout, stderr) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          out: `${stdout}${stderr}`,
        }),
      );
    });

  it('mosquitto_pub with the wrong secret or as an unknown device is refused', async () => {
    const wrong = await run('mosquitto_pub', [
      ...base(),
      '-i',
      'c6-pad',
      '-u',
      'c6-pad',
      '-P',
      'nope',
      '-t',
      'x',
      '-m',
      'y',
    ]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.out).toMatch(/bad user name or password/i);
    const ghost = await run('mosquitto_pub', [
      ...base(),
      '-i',
      'ghost',
      '-u',
      'ghost',
      '-P',
      'x',
      '-t',
      'x',
      '-m',
      'y',
    ]);
    expect(ghost.code).not.toBe(0);
    expect(ghost.out).toMatch(/not authori[sz]ed/i);
  });

  it('a dispenser button sent with mosquitto_pub issues a ticket; mosquitto_sub reads a display', async () => {
    const secret = centre.secrets['kiosk-b'] as string;
    const event = JSON.stringify({ type: 'button', serviceId: 'cu-tru', boot: 'mosquitto1', seq: 0 });
    const pub = await run('mosquitto_pub', [
      ...base(),
      '-i',
      'kiosk-b',
      '-u',
      'kiosk-b',
      '-P',
      secret,
      '-q',
      '1',
      '-t',
      deviceTopic(CENTRE, 'kiosk-b', 'evt'),
      '-m',
      event,
    ]);
    expect(pub.code).toBe(0);
    await eventually(
      () =>
        Object.values(centre.controller.queue.state.tickets).find(
          (t) => t.serviceId === 'cu-tru' && t.issuedBy === 'kiosk-b',
        ),
      3000,
      'the ticket',
    );
    const display = centre.secrets['c6-display'] as string;
    const sub = await run('mosquitto_sub', [
      ...base(),
      '-i',
      'c6-display',
      '-u',
      'c6-display',
      '-P',
      display,
      '-t',
      deviceTopic(CENTRE, 'c6-display', 'display'),
      '-C',
      '1',
      '-W',
      '5',
    ]);
    expect(sub.code).toBe(0);
    expect(JSON.parse(sub.out)).toMatchObject({ counterNumber: 6, state: 'closed' });
  });

  it("mosquitto_sub may not read another device's commands", async () => {
    const secret = centre.secrets['c6-display'] as string;
    const sub = await run('mosquitto_sub', [
      ...base(),
      '-i',
      'c6-display',
      '-u',
      'c6-display',
      '-P',
      secret,
      '-t',
      deviceTopic(CENTRE, 'kiosk-b', 'cmd'),
      '-C',
      '1',
      '-W',
      '3',
    ]);
    expect(sub.out).toMatch(/subscription requests were denied/i);
  });

  it("mosquitto_pub onto another device's topic is cut off", async () => {
    const secret = centre.secrets['c7-pad'] as string;
    const pub = await run('mosquitto_pub', [
      ...base(),
      '-i',
      'c7-pad',
      '-u',
      'c7-pad',
      '-P',
      secret,
      '-q',
      '1',
      '-t',
      deviceTopic(CENTRE, 'c8-pad', 'evt'),
      '-m',
      '{}',
    ]);
    expect(pub.code).not.toBe(0);
    expect(pub.out).toMatch(/connection was lost/i);
  });
});
