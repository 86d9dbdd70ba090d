/**
 * The whole chain, hall to province, with every part real: the controller as a process, a
 * Mosquitto broker between them, the province receiver writing into a real PostgreSQL. Tickets
 * keep flowing while the broker is stopped; the controller is SIGKILLed during the outage and
 * started again; at the end the province's database holds every visit record exactly once, in
 * order, equal to a recomputation from the controller's journal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver } from '../../upstream/receiver/receiver.ts';
import {
  type RunningController,
  signIn,
  startController,
  tempDataDir,
} from '../helpers/controller-process.ts';
import { haveMosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import { hasPostgres, startPostgres } from '../helpers/postgres.ts';
import { apiClient, oneVisit, PROVINCE, recordsFromJournal, seedUpstreamCentre, until } from './hall-day.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stopProcess(c: RunningController): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  await c.exited;
}

describe.runIf(haveMosquitto() && hasPostgres())('hall → Mosquitto → receiver → PostgreSQL', () => {
  it('holds every visit record once, in order, equal to the journal, after an outage and a SIGKILL', async () => {
    const postgres = await startPostgres('province');
    cleanups.push(() => postgres.stop());
    const broker = await startMosquitto();
    cleanups.push(() => broker.remove());
    const receiver = await startReceiver({
      brokerUrl: broker.url,
      databaseUrl: postgres.url,
      httpPort: 0,
      host: '127.0.0.1',
      provinceId: PROVINCE,
    });
    cleanups.push(() => receiver.stop());
    const data = tempDataDir('province-chain-');
    cleanups.push(data.remove);
    seedUpstreamCentre(data.dir, { backlogRatePerSecond: 2000, liveMinIntervalMs: 100 });
    const env = { UPSTREAM_URL: broker.url };

    let hall = await startController(data.dir, [], env);
    cleanups.push(() => stopProcess(hall));
    const login = { username: 'nguyen-thi-thu-ha', password: '1234', counterId: 'quay-1' };
    const manager = await signIn(hall.url, { username: 'quanly', password: 'quanly-demo' });
    let post = apiClient(hall.url, await signIn(hall.url, login));
    let asManager = apiClient(hall.url, manager);
    const stored = async () => {
      const centres = await receiver.store.centres(Date.now());
      const day = centres[0]?.live?.day;
      return day ? receiver.store.visits(centres[0]?.id ?? '', day, 0, 10_000) : [];
    };
    for (let i = 0; i < 3; i++) await oneVisit(post, i, 'a', asManager);
    await until(async () => (await stored()).length >= 3, 20_000, 'the first records in PostgreSQL');

    // The broker goes away: the hall goes on, and is killed in the middle of the outage.
    await broker.stop();
    for (let i = 3; i < 7; i++) await oneVisit(post, i, 'b', asManager);
    hall.child.kill('SIGKILL');
    await hall.exited;
    hall = await startController(data.dir, [], env);
    cleanups.push(() => stopProcess(hall));
    post = apiClient(hall.url, await signIn(hall.url, login));
    asManager = apiClient(hall.url, manager);
    for (let i = 7; i < 10; i++) await oneVisit(post, i, 'c', asManager);
    await broker.start();

    const expected = await recordsFromJournal(data.dir);
    expect(expected.length).toBeGreaterThanOrEqual(10);
    await until(async () => (await stored()).length >= expected.length, 45_000, 'every record in PostgreSQL');
    const rows = await stored();
    expect(rows).toEqual(expected); // once each, in the journal's order, field for field
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    expect((await receiver.store.counts()).deadLetters).toBe(0);
    const [centre] = await receiver.store.centres(Date.now());
    // The province sees the centre by its name, as its controller announces it.
    expect(centre).toMatchObject({
      id: 'tt-phvhcc-quang-nam',
      name: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
      state: 'online',
    });
  }, 180_000);
});
