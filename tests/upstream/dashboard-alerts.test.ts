/**
 * The publisher's alerts reach the manager dashboard's alert list (GET /api/dashboard), not only
 * GET /api/upstream: a second dashboard router registered without them answered first, so they
 * never showed. No broker is needed: the journal kept for the province passes a tiny limit.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openAccess } from '../../controller/http/access.ts';
import { freePort } from '../../scripts/free-port.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson } from '../helpers/controller-process.ts';
import { apiClient, oneVisit, seedUpstreamCentre, until } from './hall-day.ts';

describe('upstream alerts on the manager dashboard', () => {
  let hall: InProcess | undefined;
  afterAll(async () => {
    await hall?.stop();
  });

  it('lists the publisher alert among the dashboard alerts', async () => {
    const nobody = await freePort(); // no broker there: the link stays down
    hall = await startInProcess(openAccess, { upstreamUrl: `mqtt://127.0.0.1:${nobody}` }, async (dir) =>
      seedUpstreamCentre(dir, { backlogAlertMegabytes: 0.000001 }),
    );
    const url = hall.url;
    // A finished visit: a record the province has not acknowledged, in the journal kept for it
    // (measured every 30 s).
    const post = apiClient(url);
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await oneVisit(post, 0, 'alert');
    let alertIds: string[] = [];
    await until(
      async () => {
        alertIds = ((await getJson(`${url}/api/upstream`)).json.alerts ?? []).map(
          (a: { id: string }) => a.id,
        );
        return alertIds.includes('upstream:backlogDisk');
      },
      45_000,
      'the publisher raises its alert',
    );
    const dashboard = await getJson(`${url}/api/dashboard`);
    expect(dashboard.status).toBe(200);
    const alert = dashboard.json.alerts.find((a: { id: string }) => a.id === 'upstream:backlogDisk');
    expect(alert).toMatchObject({ kind: 'upstream', message: expect.stringContaining('Báo cáo lên tỉnh') });
  }, 90_000);
});
