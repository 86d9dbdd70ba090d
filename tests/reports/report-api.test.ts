/**
 * GET /api/reports/daily and /monthly on a running controller (the demo centre): JSON from the
 * journal on disk, CSV and xlsx downloads, 400s for bad periods, and managers only.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { serviceDay } from '../../controller/core/service-day.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson, signIn } from '../helpers/controller-process.ts';

let ctx: InProcess | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

const today = () => serviceDay(Date.now(), 'Asia/Ho_Chi_Minh');

describe('report API', () => {
  it('answers the day and the month from the journal, as JSON, CSV and xlsx', async () => {
    ctx = await startInProcess();
    const api = (path: string) => `${ctx?.url}/api${path}`;
    const post = async (path: string, body: unknown = {}) => {
      const res = await postJson(api(path), body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json;
    };
    await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' });
    await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' });
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/finish');
    await post('/counters/quay-1/rate', { level: 1 });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/skip');

    const day = today();
    const res = await getJson(api(`/reports/daily?day=${day}`));
    expect(res.status).toBe(200);
    const r = res.json;
    expect(r.period).toMatchObject({ kind: 'day', id: day, daysCounted: 1 });
    expect(r.centre.name).toBe('Trung tâm Phục vụ hành chính công tỉnh Quảng Nam');
    // The served visit is rated; the skipped one may still come back, so it has no record yet.
    expect(r.total.figures).toMatchObject({ visits: 1, served: 1 });
    expect(r.total.figures.satisfaction).toMatchObject({ rated: 1, rate766: 1 });
    expect(r.staff).toEqual([
      expect.objectContaining({ staffId: 'nguyen-thi-thu-ha', name: 'Nguyễn Thị Thu Hà' }),
    ]);
    expect(r.staff[0].time.presentSeconds).toBeGreaterThan(0);
    expect(r.total.productivity).toMatchObject({ level: 'province', yearlyTarget: 1600 });

    const month = day.slice(0, 7);
    const monthly = await getJson(api(`/reports/monthly?month=${month}`));
    expect(monthly.status).toBe(200);
    expect(monthly.json.period).toMatchObject({
      kind: 'month',
      id: month,
      daysCounted: Number(day.slice(8)),
    });
    expect(monthly.json.total.figures.served).toBe(1);

    const csv = await fetch(api(`/reports/daily?day=${day}&format=csv`));
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(
      `attachment; filename="bao-cao-tt-phvhcc-quang-nam-${day}.csv"`,
    );
    const rows: Record<string, string>[] = parse(await csv.text(), { bom: true, columns: true });
    expect(rows[0]).toMatchObject({ 'Phạm vi': 'Toàn trung tâm', 'Đã phục vụ': '1' });

    const xlsx = await fetch(api(`/reports/monthly?month=${month}&format=xlsx`));
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toContain(`bao-cao-tt-phvhcc-quang-nam-${month}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Theo dịch vụ',
      'Theo quầy',
      'Theo cán bộ',
      'Theo ngày',
    ]);
  });

  it('refuses bad periods with a 400 that says what is wrong', async () => {
    ctx = await startInProcess();
    const get = (q: string) => getJson(`${ctx?.url}/api/reports/${q}`);
    const cases: [string, RegExp][] = [
      ['daily', /day is required/],
      ['daily?day=2026-02-30', /2026-02 has 28 days/],
      ['daily?day=30/11/2026', /YYYY-MM-DD/],
      ['daily?day=2999-01-01', /year must be between/],
      ['daily?day=2100-01-01', /has not begun yet/],
      [`daily?day=${today()}&format=pdf`, /format must be json, csv or xlsx/],
      [`daily?day=${today()}&day=${today()}`, /give day once, as YYYY-MM-DD/],
      [`daily?day=${today()}&extra=1`, /extra/],
      ['monthly', /month is required/],
      ['monthly?month=2026-13', /month must be 01 to 12/],
      ['monthly?month=2026-1', /YYYY-MM/],
    ];
    for (const [q, message] of cases) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(res.json.error.message, q).toMatch(message);
    }
  });

  it('is for managers only', async () => {
    ctx = await startInProcess(null);
    const url = `${ctx.url}/api/reports/daily?day=${today()}`;
    expect((await getJson(url)).status).toBe(401);
    const staff = await signIn(ctx.url, {
      username: 'nguyen-thi-thu-ha',
      password: DEMO_STAFF_PIN,
      counterId: 'quay-1',
    });
    expect((await getJson(url, staff)).status).toBe(403);
    const manager = await signIn(ctx.url, {
      username: DEMO_MANAGER.username,
      password: DEMO_MANAGER.password,
    });
    expect((await getJson(url, manager)).status).toBe(200);
    const csv = await fetch(`${url}&format=csv`);
    expect(csv.status).toBe(401);
  });
});
