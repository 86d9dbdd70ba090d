/**
 * The publisher against a real Mosquitto broker, with a plain mqtt.js subscriber as the province:
 * records arrive once each and in order; a broker stopped while tickets flow and started again
 * loses nothing; no published byte carries a name, an ID number, a citizen key, a dossier code or
 * a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccess } from '../../controller/http/access.ts';
import { SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import { upstreamMessageSchema } from '../../upstream/protocol/messages.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import type { ResponseJson } from '../helpers/controller-process.ts';
import { haveMosquitto, type Mosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import {
  apiClient,
  DOSSIER,
  demoConfig,
  firstOfEach,
  NOTE,
  oneVisit,
  provinceSubscriber,
  recordsFromJournal,
  seedUpstreamCentre,
  until,
} from './hall-day.ts';

describe.runIf(haveMosquitto())('reporting to a real Mosquitto broker', () => {
  let broker: Mosquitto;
  let province: Awaited<ReturnType<typeof provinceSubscriber>>;
  let hall: InProcess;

  beforeAll(async () => {
    broker = await startMosquitto();
    province = await provinceSubscriber(broker.url);
    hall = await startInProcess(openAccess, { upstreamUrl: broker.url }, async (dir) =>
      seedUpstreamCentre(dir, { backlogRatePerSecond: 2000, liveMinIntervalMs: 100 }),
    );
  }, 30_000);

  afterAll(async () => {
    await hall?.stop();
    await province?.close();
    await broker?.remove();
  });

  it('sends every visit record once, in seq order, equal to the records the journal yields', async () => {
    const post = apiClient(hall.url);
    expect((await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' })).status).toBe(200);
    for (let i = 0; i < 6; i++) await oneVisit(post, i, 'a');
    const expected = await recordsFromJournal(hall.dataDir);
    expect(expected).toHaveLength(6);
    await until(() => province.visits().length >= expected.length, 15_000, 'the records');
    expect(province.visits()).toEqual(expected);
    const status = (await post('/upstream', undefined)).json;
    expect(status).toMatchObject({ configured: true, connected: true, provinceId: 'quang-nam' });
    await until(
      async () => (await post('/upstream', undefined)).json.backlog.records === 0,
      5_000,
      'no backlog',
    );
    const health = (await (await fetch(`${hall.url}/healthz`)).json()) as ResponseJson;
    expect(health.upstream).toMatchObject({ configured: true, connected: true, backlog: 0 });
    expect(health.upstream.lastAckedSeq).toBe(expected.at(-1)?.seq);
  }, 60_000);

  it('keeps the hall running while the broker is away, and delivers everything once it is back', async () => {
    const post = apiClient(hall.url);
    await broker.stop();
    await until(
      async () => (await post('/upstream', undefined)).json.connected === false,
      10_000,
      'link down',
    );
    for (let i = 6; i < 12; i++) await oneVisit(post, i, 'b');
    const health = await fetch(`${hall.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as ResponseJson).upstream).toMatchObject({ connected: false });
    const during = (await post('/upstream', undefined)).json;
    expect(during.backlog.records).toBeGreaterThan(0);
    expect(during.link.problem).toMatch(/refused|lost|closed|reset/);
    await broker.start();
    const expected = await recordsFromJournal(hall.dataDir);
    expect(expected).toHaveLength(12);
    await until(() => firstOfEach(province.visits()).length >= expected.length, 30_000, 'the backlog');
    expect(firstOfEach(province.visits())).toEqual(expected);
  }, 60_000);

  it('publishes live snapshots and the birth message, retained, and every message matches its schema', async () => {
    await until(() => province.received.some((m) => m.topic.endsWith('/live')), 10_000, 'a live snapshot');
    const status = province.received.filter((m) => m.topic.endsWith('/status'));
    expect(status.map((m) => JSON.parse(m.payload.toString()).state)).toContain('online');
    for (const m of province.received) {
      const parsed = upstreamMessageSchema.safeParse(JSON.parse(m.payload.toString('utf8')));
      expect(parsed.error?.issues ?? [], m.topic).toEqual([]);
    }
    const live = JSON.parse(
      province.received
        .filter((m) => m.topic.endsWith('/live'))
        .at(-1)
        ?.payload.toString() ?? '{}',
    );
    expect(live).toMatchObject({ kind: 'live', centreId: 'tt-phvhcc-quang-nam', counters: { open: 1 } });
    expect(live.satisfaction.visits).toBe(12);
  }, 30_000);

  it('sends no name, ID number, citizen key, dossier code or note in any byte', async () => {
    const state = hall.controller.queue.state;
    const keys = Object.values(state.tickets)
      .map((t) => t.citizenKey)
      .filter((k): k is string => typeof k === 'string');
    expect(keys.length).toBeGreaterThan(0);
    const followUps = Object.values(state.followUps);
    expect(followUps.some((f) => f.note === NOTE)).toBe(true);
    const config = demoConfig();
    const cardFields = Object.values(SAMPLE_CCCD).flatMap((card) => {
      const fields = card.split('|');
      // ID numbers, old ID numbers and names (dates and addresses are not unique enough to search for)
      return fields.filter(
        (f) => /^\d{9,12}$/.test(f) || (/^[^\d|]+ [^\d|]+ [^\d|]+$/.test(f) && !f.includes(',')),
      );
    });
    const forbidden = [
      ...config.staff.flatMap((s) => [s.name, s.id]),
      ...cardFields,
      ...keys,
      DOSSIER,
      NOTE,
      'Nguyễn Thị Thu Hà',
    ];
    expect(cardFields).toEqual(expect.arrayContaining(['049056001234', '205123456', 'Trần Thị Bích']));
    const everything = Buffer.concat(province.received.flatMap((m) => [Buffer.from(m.topic), m.payload]));
    const text = everything.toString('utf8');
    expect(province.received.length).toBeGreaterThan(12);
    for (const word of forbidden) expect(text.includes(word), word).toBe(false);
    // and not the first 16 hex digits of a key either (a truncated key is still a key)
    for (const key of keys) expect(text.includes(key.slice(0, 16)), key).toBe(false);
  });
});
