/**
 * The report page in Chromium: a small day driven through the API shows up in the printable
 * report (centre, period, tables), at an A4-like window and at 1920×1080; printed to PDF it is A4
 * and nothing is wider than the paper. Screenshots in test-artifacts/screens/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceDay } from '../../controller/core/service-day.ts';
import { hasChromium, launchChromium, openPage, SCREENSHOTS, screenshot } from '../helpers/browser.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { postJson } from '../helpers/controller-process.ts';

/** 210 mm × 297 mm at 96 px per inch. */
const A4 = { width: 794, height: 1123 };
const WIDE = { width: 1920, height: 1080 };

// Runs in the page: elements whose right edge passes the window's (the tests have no DOM types).
const WIDER_THAN_WINDOW = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > document.documentElement.clientWidth + 1)
      out.push(el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(r.right));
  }
  return out;
})()`;

describe.skipIf(!hasChromium())('report page in Chromium', () => {
  let ctx: InProcess;
  let browser: Browser;
  const day = serviceDay(Date.now(), 'Asia/Ho_Chi_Minh');

  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${ctx.url}/api${path}`, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };

  beforeAll(async () => {
    ctx = await startInProcess();
    browser = await launchChromium();
    // Two served visits at counter 1 (one rated "not satisfied"), one at counter 2, a pause.
    for (const serviceId of ['dat-dai', 'dat-dai', 'xay-dung'])
      await post('/tickets', { serviceId, source: 'kiosk' });
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-2/login', { staffId: 'tran-van-minh' });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/finish');
    await post('/counters/quay-1/rate', { level: 4 });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/finish');
    await post('/counters/quay-2/next');
    await post('/counters/quay-2/finish');
    await post('/counters/quay-2/pause', { reason: 'meeting' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  const text = (page: Page, testid: string) => page.getByTestId(testid).textContent();

  it('shows the day with the centre, the period and the tables, fitting A4', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/reports?day=${day}`, A4);
    await page.getByTestId('report').waitFor({ timeout: 15_000 });
    expect(await text(page, 'report-centre')).toBe('Trung tâm Phục vụ hành chính công tỉnh Quảng Nam');
    const [y, m, d] = day.split('-');
    expect(await text(page, 'report-period')).toBe(`Ngày ${d}/${m}/${y}`);
    expect(await text(page, 'kpi-served')).toContain('3');
    const services = page.getByTestId('table-services');
    expect(await services.locator('tr[data-row="dat-dai"] [data-col=served]').textContent()).toBe('2');
    expect(await services.locator('tr[data-row="dat-dai"] [data-col=rate766]').textContent()).toMatch(
      /^50,0\s%$/,
    );
    const staff = page.getByTestId('table-staff');
    expect(await staff.locator('tr[data-row="nguyen-thi-thu-ha"]').textContent()).toContain(
      'Nguyễn Thị Thu Hà',
    );
    expect(await staff.locator('tr[data-row="nguyen-thi-thu-ha"] [data-col=dossiers]').textContent()).toBe(
      '2',
    );
    // Paper rating forms have their own column, apart from the citizens' own ratings (none here).
    expect(await staff.locator('tr[data-row="nguyen-thi-thu-ha"] [data-col=paperRated]').textContent()).toBe(
      '0',
    );
    // "In báo cáo" opens the browser's print dialog (replaced here: headless Chromium has none).
    await page.evaluate('window.printed = 0; window.print = () => { window.printed += 1; }');
    await page.getByRole('button', { name: 'In báo cáo' }).click();
    expect(await page.evaluate('window.printed')).toBe(1);
    expect(await page.getByTestId('download-csv').getAttribute('href')).toBe(
      `/api/reports/daily?day=${day}&format=csv`,
    );
    await screenshot(page, 'reports-a4-794x1123');
    await page.screenshot({ path: join(SCREENSHOTS, 'reports-a4-full.png'), fullPage: true });
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([]);

    // On paper: A4, the toolbar gone, nothing wider than the printable width.
    // The printable width: 210 mm − 2 × 10 mm margins = 190 mm = 718 px.
    await page.setViewportSize({ width: 718, height: 1000 });
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('toolbar').isVisible()).toBe(false);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(718);
    await page.screenshot({ path: join(SCREENSHOTS, 'reports-print-718.png'), fullPage: true });
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([]);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    writeFileSync(join(SCREENSHOTS, 'reports-day.pdf'), pdf);
    const mediaBoxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)];
    expect(mediaBoxes.length).toBeGreaterThan(0);
    for (const [, w, h] of mediaBoxes) {
      // A4 is 595.28 × 841.89 points.
      expect(Math.abs(Number(w) - 595.3)).toBeLessThan(2);
      expect(Math.abs(Number(h) - 841.9)).toBeLessThan(2);
    }
    expect(errors).toEqual([]);
  });

  it('switches to the month, at 1920×1080', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/reports?day=${day}`, WIDE);
    await page.getByTestId('report').waitFor({ timeout: 15_000 });
    await page.getByText('Theo tháng').click();
    const [y, m] = day.split('-');
    await expect.poll(() => text(page, 'report-period'), { timeout: 10_000 }).toContain(`Tháng ${m}/${y}`);
    expect(new URL(page.url()).search).toBe(`?month=${y}-${m}`);
    const row = page.getByTestId('table-days').locator(`tr[data-row="${day}"]`);
    expect(await row.locator('[data-col=served]').textContent()).toBe('3');
    expect(await page.getByTestId('download-xlsx').getAttribute('href')).toBe(
      `/api/reports/monthly?month=${y}-${m}&format=xlsx`,
    );
    await screenshot(page, 'reports-1920x1080');
    await page.screenshot({ path: join(SCREENSHOTS, 'reports-month-full.png'), fullPage: true });
    expect(await page.evaluate(WIDER_THAN_WINDOW)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('is reached from the manager dashboard', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/manager`, WIDE);
    const link = page.getByTestId('reports-link');
    await link.waitFor({ timeout: 15_000 });
    expect(await link.textContent()).toBe('Báo cáo');
    await link.click();
    await page.getByTestId('report').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/reports');
    expect(new URL(page.url()).search).toBe(`?day=${day}`);
    expect(errors).toEqual([]);
  });

  it('says what is wrong with a period the controller refuses', async () => {
    const { page } = await openPage(browser, `${ctx.url}/reports?day=2099-01-01`, WIDE);
    const error = page.getByTestId('report-error');
    await error.waitFor({ timeout: 15_000 });
    expect(await error.textContent()).toContain('has not begun yet');
    expect(await error.textContent()).toContain('Không lập được báo cáo');
  });
});
