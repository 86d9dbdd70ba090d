/**
 * The controller as a real process reporting to a real Mosquitto broker: SIGKILLed while the broker
 * is away and started again, it resumes from its cursor and the province gets every record; a
 * broker refusing the credentials leaves the hall working, says so once, and shows it to managers.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type ResponseJson,
  type RunningController,
  signIn,
  startController,
  tempDataDir,
} from '../helpers/controller-process.ts';
import { haveMosquitto, type Mosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import {
  apiClient,
  firstOfEach,
  oneVisit,
  provinceSubscriber,
  recordsFromJournal,
  seedUpstreamCentre,
  until,
} from './hall-day.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function stopProcess(c: RunningController): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  await c.exited;
}

const notConnected = (output: string) =>
  output.split('\n').filter((line) => line.includes('upstream: not connected to the province broker'));

describe.runIf(haveMosquitto())('the controller process and the province broker', () => {
  it('resumes from its cursor after a SIGKILL during an outage: the province gets every record', async () => {
    const broker: Mosquitto = await startMosquitto();
    cleanups.push(() => broker.remove());
    const province = await provinceSubscriber(broker.url);
    cleanups.push(() => province.close());
    const data = tempDataDir('upstream-crash-');
    cleanups.push(data.remove);
    seedUpstreamCentre(data.dir, { backlogRatePerSecond: 2000, liveMinIntervalMs: 100 });
    const env = { UPSTREAM_URL: broker.url };

    let hall = await startController(data.dir, [], env);
    cleanups.push(() => stopProcess(hall));
    const staff = await signIn(hall.url, {
      username: 'nguyen-thi-thu-ha',
      password: '1234',
      counterId: 'quay-1',
    });
    const manager = await signIn(hall.url, { username: 'quanly', password: 'quanly-demo' });
    let post = apiClient(hall.url, staff);
    let asManager = apiClient(hall.url, manager);
    for (let i = 0; i < 3; i++) await oneVisit(post, i, 'a', asManager);
    await until(() => province.visits().length >= 3, 15_000, 'the first records');

    await broker.stop();
    await until(
      async () => (await asManager('/upstream', undefined)).json.connected === false,
      10_000,
      'link down',
    );
    for (let i = 3; i < 7; i++) await oneVisit(post, i, 'b', asManager);
    hall.child.kill('SIGKILL');
    await hall.exited;

    // Started again while the broker is still away; the sessions survive in the data folder.
    hall = await startController(data.dir, [], env);
    cleanups.push(() => stopProcess(hall));
    post = apiClient(hall.url, staff);
    asManager = apiClient(hall.url, manager);
    for (let i = 7; i < 9; i++) await oneVisit(post, i, 'c', asManager);
    const down = (await asManager('/upstream', undefined)).json as ResponseJson;
    expect(down).toMatchObject({ configured: true, connected: false });
    expect(down.backlog.records).toBeGreaterThanOrEqual(6);
    // several reconnect attempts (every 2 s), one line in the log
    await new Promise((r) => setTimeout(r, 4_500));
    expect(notConnected(hall.output())).toHaveLength(1);

    await broker.start();
    const expected = await recordsFromJournal(data.dir);
    expect(expected).toHaveLength(9);
    await until(() => firstOfEach(province.visits()).length >= expected.length, 30_000, 'every record');
    expect(firstOfEach(province.visits())).toEqual(expected);
    await until(
      async () => (await asManager('/upstream', undefined)).json.backlog.records === 0,
      10_000,
      'the backlog to drain',
    );
    expect(notConnected(hall.output())).toHaveLength(1);
    expect(hall.output()).toContain('upstream: connected to the province broker');

    // Killed with the broker up: the broker publishes the last will, and the province sees it offline.
    const statuses = () =>
      province.received
        .filter((m) => m.topic.endsWith('/status'))
        .map((m) => JSON.parse(m.payload.toString('utf8')) as { state: string; at: number | null });
    expect(statuses().at(-1)).toMatchObject({ state: 'online' });
    hall.child.kill('SIGKILL');
    await hall.exited;
    await until(() => statuses().at(-1)?.state === 'offline', 15_000, 'the last will');
    expect(statuses().at(-1)).toMatchObject({ state: 'offline', at: null });
  }, 120_000);

  it('keeps the hall working when the broker refuses the credentials, says so once, and shows it', async () => {
    const broker = await startMosquitto({ users: { 'tt-phvhcc-quang-nam': 'right-password' } });
    cleanups.push(() => broker.remove());
    const data = tempDataDir('upstream-refused-');
    cleanups.push(data.remove);
    seedUpstreamCentre(data.dir, { credentialsFile: 'upstream-credentials.json', protocolVersion: 4 });
    writeFileSync(
      join(data.dir, 'upstream-credentials.json'),
      JSON.stringify({ username: 'tt-phvhcc-quang-nam', password: 'wrong-password' }),
    );
    const hall = await startController(data.dir, [], { UPSTREAM_URL: broker.url });
    cleanups.push(() => stopProcess(hall));
    const staff = await signIn(hall.url, {
      username: 'nguyen-thi-thu-ha',
      password: '1234',
      counterId: 'quay-1',
    });
    const manager = apiClient(
      hall.url,
      await signIn(hall.url, { username: 'quanly', password: 'quanly-demo' }),
    );
    await oneVisit(apiClient(hall.url, staff), 0, 'r', manager);
    await until(
      async () =>
        /refused the credentials/.test((await manager('/upstream', undefined)).json.link.problem ?? ''),
      10_000,
      'the refusal to show',
    );
    const health = await fetch(`${hall.url}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as ResponseJson).upstream).toMatchObject({
      configured: true,
      connected: false,
      backlog: 1,
    });
    // staff may not see it
    expect((await apiClient(hall.url, staff)('/upstream', undefined)).status).toBe(403);
    await new Promise((r) => setTimeout(r, 4_500));
    const lines = notConnected(hall.output());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('refused the credentials');
    expect(hall.output()).not.toContain('wrong-password');
  }, 60_000);
});
