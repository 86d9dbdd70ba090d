/**
 * The manager dashboard in Chromium at 1920×1080: a small day driven through the API shows up on
 * the page (served, within-target share, satisfaction, a follow-up, an alert), and the manager
 * opens and closes counters, closes a follow-up and changes a staff member's services from it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import type { AccessPolicy } from '../../controller/http/access.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson, tempDataDir } from '../helpers/controller-process.ts';

const SCREEN = { width: 1920, height: 1080 };
/** 3 s: a wait passes the alert threshold within the test. */
const WAIT_ALERT_MINUTES = 0.05;

describe.skipIf(!hasChromium())('manager dashboard in Chromium', () => {
  let ctx: InProcess;
  let browser: Browser;
  const configDir = tempDataDir('manager-config-');

  beforeAll(async () => {
    const demo = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
    const configFile = join(configDir.dir, 'centre.json');
    writeFileSync(configFile, JSON.stringify({ ...demo, alerts: { waitMinutes: WAIT_ALERT_MINUTES } }));
    ctx = await startInProcess(undefined, { configFile });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
    configDir.remove();
  });

  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${ctx.url}/api${path}`, body);
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  };
  const text = (page: Page, testid: string) => page.getByTestId(testid).textContent();

  it('shows the day live and lets the manager act on it', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/manager`, SCREEN);
    // The tests' open access policy signs everyone in as a manager.
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    await page.getByTestId('tile-served-value').waitFor();
    expect(await text(page, 'tile-served-value')).toBe('0');

    // One visit: issued, called at once, served, rated "not satisfied".
    const first = (await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).ticket;
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-1/next');
    await post('/counters/quay-1/start');
    await post('/counters/quay-1/finish');
    await post('/counters/quay-1/rate', { level: 4 });

    const served = page.getByTestId('tile-served-value');
    await expect.poll(() => served.textContent(), { timeout: 10_000 }).toBe('1');
    expect(await text(page, 'tile-within-value')).toMatch(/^100\s?%$/);
    expect(await text(page, 'tile-satisfaction-value')).toMatch(/^0\s?%$/);
    expect(await text(page, 'tile-satisfied-share-value')).toMatch(/^0\s?%$/);
    expect(await text(page, 'tile-satisfaction')).toContain('Không hài lòng'.toLowerCase());
    const row = page.getByTestId('service-dat-dai');
    expect(await row.locator('[data-col=served]').textContent()).toBe('1');
    expect(await row.locator('[data-col=within]').textContent()).toMatch(/^100\s?%$/);
    expect(await page.getByTestId('counter-quay-1').locator('[data-col=served]').textContent()).toBe('1');

    // The follow-up of the "not satisfied" rating, with its visit.
    const followUp = page.locator(`[data-testid=followup][data-ticket="${first.label}"]`);
    await followUp.waitFor();
    expect(await followUp.textContent()).toMatch(
      /Đất đai[\s\S]*Quầy 1[\s\S]*Nguyễn Thị Thu Hà[\s\S]*Không hài lòng/,
    );

    // A second citizen waits past the (3 s) threshold: a long-wait alert appears within the 30 s refresh.
    const second = (await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).ticket;
    const alert = page.locator('[data-testid=alert][data-kind=longWait]');
    await alert.waitFor({ timeout: 40_000 });
    expect(await alert.textContent()).toContain(`số ${second.label}`);
    expect(await alert.textContent()).toContain('Chờ quá lâu');

    await screenshot(page, 'manager-1920x1080');
    expect(await overflowing(page)).toEqual([]);

    // Close the follow-up with a note.
    await followUp.locator('input').fill('Đã gọi điện xin lỗi công dân');
    await followUp.getByTestId('close-followup').click();
    await expect
      .poll(() => followUp.textContent(), { timeout: 10_000 })
      .toContain('Đã gọi điện xin lỗi công dân');
    expect((await getJson(`${ctx.url}/api/follow-ups`)).json.followUps[0]).toMatchObject({
      status: 'closed',
      note: 'Đã gọi điện xin lỗi công dân',
    });

    // Open counter 2, then close it again.
    const counter2 = page.getByTestId('counter-quay-2');
    expect(await counter2.getAttribute('data-status')).toBe('closed');
    await page.getByTestId('open-quay-2').click();
    await expect.poll(() => counter2.getAttribute('data-status'), { timeout: 10_000 }).toBe('open');
    expect(await text(page, 'notice')).toContain('Đã mở quầy 2');
    await page.getByTestId('close-quay-2').click();
    await expect.poll(() => counter2.getAttribute('data-status'), { timeout: 10_000 }).toBe('closed');

    // A refusal is shown: counter 1 cannot close while it serves the second citizen. The browser logs
    // the 409 answer as a console error; nothing else may have been logged.
    expect(errors).toEqual([]);
    await post('/counters/quay-1/next');
    await expect
      .poll(() => page.getByTestId('counter-quay-1').locator('[data-col=current]').textContent(), {
        timeout: 10_000,
      })
      .toContain(second.label);
    await page.getByTestId('close-quay-1').click();
    await expect.poll(() => text(page, 'notice'), { timeout: 10_000 }).toContain('Không thực hiện được');
    expect(await page.getByTestId('notice').getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('counter-quay-1').getAttribute('data-status')).toBe('open');
    expect(errors).toEqual([expect.stringMatching(/status of 409 \(Conflict\)/)]);

    // The second citizen rates on a paper form, which staff record: the tiles keep the citizens' own
    // ratings (as the province receives them) and show the paper form apart, with the rate it makes.
    expect(await page.getByTestId('tile-paper').count()).toBe(0);
    await post('/counters/quay-1/finish');
    await post('/counters/quay-1/paper-rating', { ticketId: second.id, level: 1 });
    await expect.poll(() => text(page, 'tile-served-value'), { timeout: 10_000 }).toBe('2');
    expect(await text(page, 'tile-satisfaction-value')).toMatch(/^50\s?%$/);
    expect(await text(page, 'tile-satisfied-share-value')).toMatch(/^0\s?%$/);
    const paperNotes = page.getByTestId('tile-paper');
    await expect.poll(() => paperNotes.count()).toBe(2);
    expect(await paperNotes.nth(0).textContent()).toMatch(
      /^Phiếu giấy: 1 \(tính riêng; kể cả phiếu giấy 50\s?%\)$/,
    );
    expect(await paperNotes.nth(1).textContent()).toMatch(
      /^Phiếu giấy: 1 \(tính riêng; kể cả phiếu giấy 50\s?%\)$/,
    );
    await screenshot(page, 'manager-paper-1920x1080');
    expect(await overflowing(page)).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('changes the services a staff member covers, in order of preference', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/manager`, SCREEN);
    await page.getByTestId('staff-services').click();
    const dialog = page.getByTestId('staff-dialog');
    await dialog.waitFor();
    await page.getByTestId('staff-select').selectOption('tran-van-minh');
    // Minh covers xây dựng, đất đai, kế hoạch đầu tư: drop đất đai, add thuế.
    await expect.poll(() => dialog.locator('input[value="dat-dai"]').isChecked()).toBe(true);
    await dialog.locator('input[value="dat-dai"]').uncheck();
    await dialog.locator('input[value="thue"]').check();
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => dialog.isVisible(), { timeout: 10_000 }).toBe(false);
    const staff = (await getJson(`${ctx.url}/api/centre`)).json.staff.find(
      (s: { id: string }) => s.id === 'tran-van-minh',
    );
    expect(staff.services).toEqual(['xay-dung', 'ke-hoach-dau-tu', 'thue']);
    expect(await text(page, 'notice')).toContain('Đã cập nhật dịch vụ của Trần Văn Minh');
    expect(errors).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('keeps the centre name and the buttons readable on a 1366×768 laptop: the buttons wrap, not the name', async () => {
    const { page, errors } = await openPage(browser, `${ctx.url}/manager`, { width: 1366, height: 768 });
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
    const lineHeight = await page.evaluate(() => {
      const name = document.querySelector('.mg-title .mg-muted') as HTMLElement;
      return Number.parseFloat(getComputedStyle(name).lineHeight) || 20;
    });
    // The centre's name ("Trung tâm Phục vụ hành chính công tỉnh Quảng Nam") on one line.
    const name = await page.locator('.mg-title .mg-muted').boundingBox();
    expect(name?.height).toBeLessThan(lineHeight * 1.5);
    // Every header button's label on one line.
    for (const id of [
      'reports-link',
      'staff-services',
      'accounts-open',
      'kiosks-open',
      'audit-open',
      'logout',
    ]) {
      const box = await page.getByTestId(id).boundingBox();
      expect(box?.height, id).toBeLessThan(lineHeight * 2.2);
    }
    await screenshot(page, 'manager-1366x768');
    expect(errors).toEqual([]);
  });

  it('asks an anonymous caller to sign in, and shows no figures', async () => {
    const anonymous: AccessPolicy = {
      identify: () => ({ id: 'anonymous', roles: ['public', 'kiosk'], anonymous: true }),
    };
    const closed = await startInProcess(anonymous);
    try {
      const { page, errors } = await openPage(browser, `${closed.url}/manager`, SCREEN);
      const form = page.getByTestId('signin-form');
      await form.waitFor({ timeout: 15_000 });
      expect(await form.textContent()).toContain('Mật khẩu');
      expect(await page.getByTestId('tile-served').count()).toBe(0);
      expect((await getJson(`${closed.url}/api/dashboard`)).status).toBe(401);
      // The session check itself is answered 401 (logged by the browser); nothing else.
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      expect(await overflowing(page)).toEqual([]);
      await page.context().close();
    } finally {
      await closed.stop();
    }
  }, 60_000);
});
