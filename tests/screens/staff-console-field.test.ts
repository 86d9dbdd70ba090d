/**
 * The staff console as a centre's staff meets it on the first day (issue 12, item 6): refusals in
 * Vietnamese only (the API's `text`), no sign-in form flashed at a signed-in user while live data
 * is on its way, a paused counter's reason and since when, and a citizen transferred here tagged.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { kioskToken, postJson, signIn } from '../helpers/controller-process.ts';
import { type DeviceCentre, startDeviceCentre } from '../helpers/device-centre.ts';

const CONSOLE = { width: 1280, height: 800 };

describe.skipIf(!hasChromium())('staff console in the field (Chromium)', () => {
  let centre: DeviceCentre;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let holding = false;
  const held: (() => void)[] = [];

  const signInOnPage = async (p: Page, staffId: string) => {
    await p.getByTestId('username').selectOption(staffId);
    await p.getByTestId('password').fill(DEMO_STAFF_PIN);
    await expect.poll(() => p.getByTestId('counter').inputValue()).toBe('quay-1');
    await p.getByTestId('sign-in-submit').click();
  };

  beforeAll(async () => {
    centre = await startDeviceCentre({ access: null });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, 'about:blank', CONSOLE));
    // Between the page and the controller's live link, so a test can hold the updates back.
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (holding) held.push(() => ws.send(m));
        else ws.send(m);
      });
    });
    await page.goto(`${centre.url}/staff?counter=quay-1`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stopAll();
  });

  it('signs in', async () => {
    await signInOnPage(page, 'nguyen-thi-thu-ha');
    await expect.poll(() => page.getByTestId('counter-status').textContent()).toBe('Đang mở');
  });

  it('says why a counter held by someone else is refused, in Vietnamese only', async () => {
    const other = await openPage(browser, `${centre.url}/staff?counter=quay-1`, CONSOLE);
    try {
      await signInOnPage(other.page, 'le-thi-kim-oanh');
      const said = other.page.getByTestId('sign-in-error');
      await expect.poll(() => said.textContent()).toContain('Quầy đang có cán bộ khác đăng nhập');
      expect(await said.textContent()).not.toMatch(/counter|staff member|log them out/);
    } finally {
      await other.context.close();
    }
  });

  it('every refusal the API answers carries a Vietnamese text for people', async () => {
    const refused = await postJson(`${centre.url}/api/counters/quay-1/next`, {});
    expect(refused.status).toBe(401);
    expect(refused.json.error.text).toBe('Vui lòng đăng nhập');
    const cookie = await signIn(centre.url, { username: 'quanly', password: 'quanly-demo' });
    const busy = await postJson(
      `${centre.url}/api/counters/quay-1/login`,
      { staffId: 'le-thi-kim-oanh' },
      cookie,
    );
    expect(busy.status).toBe(409);
    expect(busy.json.error).toMatchObject({ code: 'conflict', reason: 'counterTaken' });
    expect(busy.json.error.text).toBe('Quầy đang có cán bộ khác đăng nhập');
    const nobody = await postJson(`${centre.url}/api/counters/quay-1/recall`, {}, cookie);
    expect(nobody.json.error.text).toBe('Chưa gọi công dân nào');
  });

  it('shows a refused action in Vietnamese, without the English detail', async () => {
    // Recall with nobody called: the button is disabled, so the API is asked as the page would.
    const cookie = await signIn(centre.url, { username: 'quanly', password: 'quanly-demo' });
    const ticket = (
      await postJson(
        `${centre.url}/api/tickets`,
        { serviceId: 'dat-dai', source: 'kiosk' },
        await kioskToken(centre.dataDir),
      )
    ).json.ticket;
    await page.keyboard.press('n');
    await expect.poll(() => page.getByTestId('current-number').textContent()).toBe(ticket.label);
    // The visit ends elsewhere (the manager) before the page hears of it: "start" is refused.
    holding = true;
    await postJson(`${centre.url}/api/counters/quay-1/finish`, {}, cookie);
    await page.getByTestId('action-start').click();
    const said = page.getByTestId('action-error');
    await expect.poll(() => said.textContent()).toBe('Không thực hiện được: Chưa gọi công dân nào');
    holding = false;
    for (const send of held.splice(0)) send();
    await expect.poll(() => page.getByTestId('no-current').isVisible()).toBe(true);
  });

  it('shows a paused counter with its reason and since when', async () => {
    await page.keyboard.press('p');
    await page.getByTestId('pause-break').click();
    await expect.poll(() => page.getByTestId('counter-status').textContent()).toBe('Tạm dừng');
    const pause = page.getByTestId('counter-pause');
    await expect.poll(() => pause.textContent()).toMatch(/^Nghỉ giải lao · từ \d\d:\d\d/);
    await screenshot(page, 'staff-console-paused-1280x800');
    expect(await overflowing(page)).toEqual([]);
    await page.keyboard.press('u');
    await expect.poll(() => page.getByTestId('counter-status').textContent()).toBe('Đang mở');
    expect(await pause.count()).toBe(0);
  });

  it('tags a citizen transferred to this counter in the waiting list', async () => {
    const cookie = await signIn(centre.url, {
      username: 'le-thi-kim-oanh',
      password: DEMO_STAFF_PIN,
      counterId: 'quay-4',
    });
    const ticket = (
      await postJson(
        `${centre.url}/api/tickets`,
        { serviceId: 'thue', source: 'kiosk' },
        await kioskToken(centre.dataDir),
      )
    ).json.ticket;
    const called = await postJson(`${centre.url}/api/counters/quay-4/next`, {}, cookie);
    expect(called.json.ticket?.label).toBe(ticket.label);
    const sent = await postJson(
      `${centre.url}/api/counters/quay-4/transfer`,
      { to: { counterId: 'quay-1', serviceId: 'dat-dai' } },
      cookie,
    );
    expect(sent.status, JSON.stringify(sent.json)).toBeLessThan(300);
    const row = page.locator(`[data-testid="waiting-list"] li[data-ticket="${ticket.id}"]`);
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('tag-transferred').textContent()).toBe('Chuyển đến quầy này');
    await screenshot(page, 'staff-console-transfer-1280x800');
  });

  it('never shows the sign-in form to a signed-in user while live data is on its way', async () => {
    const context = page.context();
    const waitingPage = await context.newPage();
    // The live link is held back: the session is known at once, the queue not yet.
    await waitingPage.routeWebSocket(/\/socket\.io\//, () => undefined);
    await waitingPage.route(/\/socket\.io\//, (route) => route.abort());
    try {
      await waitingPage.goto(`${centre.url}/staff?counter=quay-1`);
      await expect.poll(() => waitingPage.getByTestId('console-loading').isVisible()).toBe(true);
      expect(await waitingPage.getByTestId('signed-in-as').textContent()).toBe('Nguyễn Thị Thu Hà');
      expect(await waitingPage.getByTestId('sign-in').count()).toBe(0);
    } finally {
      await waitingPage.close();
    }
    const unexpected = errors.filter((e) => !/status of 40[19]/.test(e));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
  });
});
