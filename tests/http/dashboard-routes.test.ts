import { afterEach, describe, expect, it } from 'vitest';
import type { AccessPolicy } from '../../controller/http/access.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson } from '../helpers/controller-process.ts';

let ctx: Awaited<ReturnType<typeof startInProcess>> | undefined;

afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

describe('GET /api/dashboard', () => {
  it("answers today's figures, satisfaction, follow-ups and device health", async () => {
    ctx = await startInProcess();
    const post = (path: string, body: unknown = {}) => postJson(`${ctx?.url}/api${path}`, body);
    const t = (await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).json.ticket;
    await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' });
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/finish');
    expect((await post('/counters/quay-1/rate', { level: 4 })).status).toBe(200);

    const res = await getJson(`${ctx.url}/api/dashboard`);
    expect(res.status).toBe(200);
    const v = res.json;
    expect(v.services.find((s: { id: string }) => s.id === 'dat-dai')).toMatchObject({
      waiting: 1,
      servedToday: 1,
      calledToday: 1,
      withinTarget: { met: 1, missed: 0, share: 1 },
    });
    expect(v.counters.find((c: { id: string }) => c.id === 'quay-1')).toMatchObject({
      status: 'open',
      staff: { id: 'nguyen-thi-thu-ha', name: 'Nguyễn Thị Thu Hà' },
      servedToday: 1,
      current: null,
    });
    expect(v.satisfaction).toMatchObject({ visits: 1, notSatisfied: 1, rate766: 0, target: 0.95 });
    expect(v.followUps).toEqual([
      expect.objectContaining({
        id: `${t.id}:rating`,
        ticketLabel: t.label,
        staff: { id: 'nguyen-thi-thu-ha', name: 'Nguyễn Thị Thu Hà' },
        counter: { id: 'quay-1', number: 1, name: 'Quầy 1' },
        visit: expect.objectContaining({ serviceName: 'Đất đai', finishedAt: expect.any(Number) }),
      }),
    ]);
    expect(v.thresholds).toEqual({
      waitMinutes: 15,
      longServiceMinutes: 30,
      idleStaffMinutes: 5,
      maxWaiting: 30,
      minFreeDiskMb: 500,
    });
    // Devices of the demo centre are configured but none is connected in this test.
    expect(v.devices.total).toBeGreaterThan(0);
    expect(v.devices.online).toBe(0);
    expect(v.devices.list[0]).toMatchObject({ id: expect.any(String), online: false });
    expect(v.series.arrivalsPerHour.reduce((n: number, h: { arrivals: number }) => n + h.arrivals, 0)).toBe(
      2,
    );
  });

  it('is for managers only', async () => {
    let roles: ('staff' | 'manager')[] = ['staff'];
    const access: AccessPolicy = { identify: () => ({ id: 'someone', roles }) };
    ctx = await startInProcess(access);
    const refused = await getJson(`${ctx.url}/api/dashboard`);
    expect(refused).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
    roles = ['manager', 'staff'];
    expect((await getJson(`${ctx.url}/api/dashboard`)).status).toBe(200);
  });
});
