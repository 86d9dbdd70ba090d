/**
 * Reporting over mqtts:// with credentials and MQTT 3.1.1: the controller trusts the broker's
 * certificate through `upstream.ca`, and without it says once that TLS failed.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccess } from '../../controller/http/access.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { haveMosquitto, type Mosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import { requireProgram } from '../helpers/system-tools.ts';
import {
  apiClient,
  oneVisit,
  provinceSubscriber,
  recordsFromJournal,
  seedUpstreamCentre,
  until,
} from './hall-day.ts';

const USERS = { 'tt-phvhcc-quang-nam': 'centre-secret', province: 'province-secret' };

describe.runIf(haveMosquitto() && requireProgram('openssl', 'openssl'))('reporting over mqtts://', () => {
  const keys = tempDataDir('upstream-tls-');
  let broker: Mosquitto;
  const halls: InProcess[] = [];

  beforeAll(async () => {
    chmodSync(keys.dir, 0o755);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(keys.dir, 'key.pem'),
        '-out',
        join(keys.dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    broker = await startMosquitto({
      users: USERS,
      tls: { certFile: join(keys.dir, 'cert.pem'), keyFile: join(keys.dir, 'key.pem') },
    });
  }, 30_000);

  afterAll(async () => {
    for (const h of halls) await h.stop();
    await broker?.remove();
    keys.remove();
  });

  const prepare = (extra: Record<string, unknown>) => async (dir: string) => {
    seedUpstreamCentre(dir, { credentialsFile: 'province-login.json', protocolVersion: 4, ...extra });
    writeFileSync(
      join(dir, 'province-login.json'),
      JSON.stringify({ username: 'tt-phvhcc-quang-nam', password: USERS['tt-phvhcc-quang-nam'] }),
    );
    copyFileSync(join(keys.dir, 'cert.pem'), join(dir, 'province-ca.pem'));
  };

  it('sends the records over TLS, MQTT 3.1.1, with the credentials file and the CA file', async () => {
    const province = await provinceSubscriber(broker.url, { username: 'province', password: USERS.province });
    try {
      const hall = await startInProcess(
        openAccess,
        { upstreamUrl: `mqtts://127.0.0.1:${broker.tlsPort}` },
        prepare({ ca: 'province-ca.pem' }),
      );
      halls.push(hall);
      const post = apiClient(hall.url);
      await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
      for (let i = 0; i < 3; i++) await oneVisit(post, i, 'tls');
      const expected = await recordsFromJournal(hall.dataDir);
      await until(() => province.visits().length >= expected.length, 15_000, 'the records over TLS');
      expect(province.visits()).toEqual(expected);
      expect((await post('/upstream', undefined)).json).toMatchObject({ connected: true });
    } finally {
      await province.close();
    }
  }, 60_000);

  it('without the CA file, does not trust the broker and says it is a TLS problem', async () => {
    const hall = await startInProcess(
      openAccess,
      { upstreamUrl: `mqtts://127.0.0.1:${broker.tlsPort}` },
      prepare({}),
    );
    halls.push(hall);
    const post = apiClient(hall.url);
    await until(
      async () => (await post('/upstream', undefined)).json.link.problemKind === 'tls',
      15_000,
      'TLS problem',
    );
    expect((await post('/upstream', undefined)).json.link.problem).toMatch(/certificate/i);
  }, 60_000);
});
