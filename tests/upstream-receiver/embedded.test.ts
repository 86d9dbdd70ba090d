/**
 * The receiver with no settings: its own MQTT listener (aedes) and embedded PostgreSQL (PGlite) in
 * a folder, the whole chain on one machine. Centres publish and cannot subscribe; the data is still
 * there after a restart on the same folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { upstreamTopic } from '../../upstream/protocol/topics.ts';
import { startReceiver } from '../../upstream/receiver/receiver.ts';
import { readReceiverSettings } from '../../upstream/receiver/settings.ts';
import { freePort } from '../helpers/free-port.ts';
import { bytes, live, PREFIX, PROVINCE, status, visit } from './fixtures.ts';

const DAY = '2026-12-05';
const dir = mkdtempSync(join(tmpdir(), 'receiver-embedded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('province receiver on embedded defaults', () => {
  it('receives on its own listener into PGlite, refuses subscriptions from centres, and keeps data across restarts', async () => {
    const options = { dataDir: join(dir, 'db'), httpPort: 0, mqttPort: 0, host: '127.0.0.1' };
    let receiver = await startReceiver(options);
    try {
      expect(receiver.mqttPort).toBeGreaterThan(0);
      expect(receiver.database).toBe(`PGlite ${join(dir, 'db')}`);
      await receiver.subscriber.subscribed();
      const centre = await mqtt.connectAsync(`mqtt://127.0.0.1:${receiver.mqttPort}`, { clientId: 'tt-a' });
      // Refused (SUBACK 0x80); the centre stays connected and goes on publishing below.
      await expect(centre.subscribeAsync(`${PREFIX}/#`, { qos: 1 })).rejects.toThrow(/Subscribe error/);
      const pub = (kind: 'status' | 'visit' | 'live', message: unknown) =>
        centre.publishAsync(upstreamTopic(PREFIX, PROVINCE, 'tt-a', kind), bytes(message), { qos: 1 });
      await pub('status', status('tt-a', 'online', Date.now()));
      await pub('visit', visit('tt-a', 2, DAY));
      await pub('visit', visit('tt-a', 1, DAY));
      await pub('live', live('tt-a', Date.now(), DAY));
      const base = `http://127.0.0.1:${receiver.httpPort}`;
      await expect
        .poll(async () => (await (await fetch(`${base}/api/centres`)).json()) as unknown)
        .toMatchObject({
          centres: [{ id: 'tt-a', state: 'online', live: { waiting: 6, backlogRecords: 0 } }],
        });
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true, visitRecords: 2, deadLetters: 0 });
      expect((await fetch(`${base}/api/centres/tt-a/visits?day=2026-13-01`)).status).toBe(400);
      const taken = { memoryDatabase: true, host: '127.0.0.1' };
      await expect(startReceiver({ ...taken, httpPort: receiver.httpPort, mqttPort: 0 })).rejects.toThrow(
        `port ${receiver.httpPort} is already in use; set RECEIVER_HTTP_PORT to a free port`,
      );
      await expect(
        startReceiver({ ...taken, httpPort: 0, mqttPort: receiver.mqttPort ?? 1 }),
      ).rejects.toThrow(/set RECEIVER_MQTT_PORT to a free port/);
      // PGlite is single-process: a second receiver on the folder is refused, and leaves it alone.
      await expect(startReceiver({ ...options, httpPort: 0, mqttPort: 0 })).rejects.toThrow(
        /already runs a receiver on/,
      );
      await centre.endAsync();
      await receiver.stop();

      receiver = await startReceiver(options);
      const visits = (await (
        await fetch(`http://127.0.0.1:${receiver.httpPort}/api/centres/tt-a/visits?day=${DAY}`)
      ).json()) as { visits: Array<{ seq: number }> };
      expect(visits.visits.map((v) => v.seq)).toEqual([1, 2]);
    } finally {
      await receiver.stop();
    }
  }, 60_000);
});

describe('a store that fails for a while', () => {
  it('is retried with the message unacknowledged, then the message is stored once', async () => {
    let calls = 0;
    const receiver = await startReceiver({
      memoryDatabase: true,
      httpPort: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      afterStore: (topic) => {
        if (!topic.endsWith('/visit')) return;
        calls++;
        if (calls <= 2) throw new Error('connection terminated unexpectedly');
      },
    });
    try {
      await receiver.subscriber.subscribed();
      const centre = await mqtt.connectAsync(`mqtt://127.0.0.1:${receiver.mqttPort}`, {
        clientId: 'tt-retry',
      });
      const first = visit('tt-retry', 1, DAY);
      const second = visit('tt-retry', 2, DAY);
      await centre.publishAsync(upstreamTopic(PREFIX, PROVINCE, 'tt-retry', 'visit'), bytes(first), {
        qos: 1,
      });
      await centre.publishAsync(upstreamTopic(PREFIX, PROVINCE, 'tt-retry', 'visit'), bytes(second), {
        qos: 1,
      });
      await expect.poll(() => receiver.subscriber.handled, { timeout: 10_000 }).toBe(2);
      // The first message three times (two failures, then stored), and only then the second.
      expect(calls).toBe(4);
      expect((await receiver.store.visits('tt-retry', DAY)).map((v) => v.seq)).toEqual([1, 2]);
      await centre.endAsync();
    } finally {
      await receiver.stop();
    }
  }, 30_000);
});

describe('an upstream broker that cannot be reached', () => {
  it('keeps the page up and says so on it and in /healthz', async () => {
    const port = await freePort();
    const receiver = await startReceiver({
      memoryDatabase: true,
      brokerUrl: `mqtt://127.0.0.1:${port}`,
      httpPort: 0,
      host: '127.0.0.1',
    });
    try {
      const base = `http://127.0.0.1:${receiver.httpPort}`;
      await expect
        .poll(async () => {
          const res = await fetch(`${base}/healthz`);
          return [res.status, ((await res.json()) as { broker: { state: string } }).broker.state];
        })
        .toEqual([503, 'disconnected']);
      const page = await fetch(`${base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Mất kết nối máy chủ MQTT, đang thử lại');
    } finally {
      await receiver.stop();
    }
  });
});

describe('receiver settings', () => {
  it('defaults to the embedded chain and reads every setting from flags or the environment', () => {
    const defaults = readReceiverSettings([], {});
    expect(defaults).toMatchObject({
      brokerUrl: null,
      mqttPort: 1884,
      databaseUrl: null,
      httpPort: 8090,
      provinceId: 'quang-nam',
      clientId: 'province-receiver-quang-nam',
      topicPrefix: 'qms-province',
    });
    const s = readReceiverSettings(['--province-id', 'da-nang', '--http-port', '9000'], {
      BROKER_URL: 'mqtts://broker.example:8883',
      DATABASE_URL: 'postgres://u:p@db/province',
      RECEIVER_HTTP_PORT: '7000',
    });
    expect(s).toMatchObject({
      brokerUrl: 'mqtts://broker.example:8883',
      databaseUrl: 'postgres://u:p@db/province',
      httpPort: 9000,
      provinceId: 'da-nang',
      clientId: 'province-receiver-da-nang',
    });
    expect(readReceiverSettings(['--help'], {})).toBe('help');
  });

  it('names the setting that is wrong', () => {
    expect(() => readReceiverSettings([], { BROKER_URL: 'http://x' })).toThrow(
      /BROKER_URL must start with mqtt/,
    );
    expect(() => readReceiverSettings([], { DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => readReceiverSettings([], { RECEIVER_HTTP_PORT: '70000' })).toThrow(/RECEIVER_HTTP_PORT/);
    expect(() => readReceiverSettings([], { TOPIC_PREFIX: 'a/#' })).toThrow(/TOPIC_PREFIX/);
    expect(() => readReceiverSettings([], { RECEIVER_TIME_ZONE: 'Mars/Olympus' })).toThrow(
      /RECEIVER_TIME_ZONE/,
    );
    expect(() => readReceiverSettings([], { BROKER_CREDENTIALS: join(dir, 'missing.json') })).toThrow(
      /cannot read the broker credentials file/,
    );
    expect(() => readReceiverSettings(['--bogus'], {})).toThrow(/bogus/);
  });
});

describe('upstream/ stands apart from the controller', () => {
  it('imports nothing from controller/, devices/ or firmware-sim/', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const root = join(import.meta.dirname, '../../upstream');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    const offenders = files.filter((f) =>
      /from\s+['"][^'"]*\b(controller|devices|firmware-sim|display)\//.test(
        readFileSync(join(root, f), 'utf8'),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
