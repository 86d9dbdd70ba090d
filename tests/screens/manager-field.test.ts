/**
 * The manager dashboard on a busy first day (issue 12, item 8), in Chromium at 1920×1080: many
 * alerts (grouped, ordered, scrolling), a real time axis, a confirmation that does not push the
 * layout, the audit log in Vietnamese words, styled dialog buttons, and a Vietnamese 404 page.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson, tempDataDir } from '../helpers/controller-process.ts';

const SCREEN = { width: 1920, height: 1080 };

describe.skipIf(!hasChromium())('manager dashboard on a busy day (Chromium)', () => {
  let ctx: InProcess;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  const configDir = tempDataDir('manager-field-');

  beforeAll(async () => {
    const demo = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
    const configFile = join(configDir.dir, 'centre.json');
    // 3 s: waits pass the alert threshold within the test.
    writeFileSync(configFile, JSON.stringify({ ...demo, alerts: { waitMinutes: 0.05 } }));
    ctx = await startInProcess(undefined, { configFile });
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${ctx.url}/manager`, SCREEN));
    await page.getByTestId('user-name').waitFor({ timeout: 15_000 });
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

  it('lists every alert: grouped by device trouble, citizens first, scrolling inside its panel', async () => {
    const services = ctx.controller.queue.config.services.map((s) => s.id);
    for (const serviceId of services) await post('/tickets', { serviceId, source: 'kiosk' });
    const registry = ctx.controller.devices;
    for (const id of ['kiosk-a', 'kiosk-b']) {
      registry.connected(id);
      registry.state(id, { printer: { paper: 'out', cover: 'closed', online: true } });
    }
    for (const id of ['c1-pad', 'c2-pad', 'c3-pad', 'c4-pad', 'c5-pad'])
      for (let i = 0; i < 30; i++) registry.countError(id, 'malformed', 'junk');
    // Every service's wait passes the threshold, then twice it (critical).
    const answer = async () => (await getJson(`${ctx.url}/api/dashboard`)).json;
    await expect
      .poll(
        async () => (await answer()).alerts.filter((a: { kind: string }) => a.kind === 'longWait').length,
        {
          timeout: 15_000,
        },
      )
      .toBe(services.length);
    await new Promise((r) => setTimeout(r, 6_500));
    // A queue change makes the page fetch the figures again at once (it also does every 30 s).
    await post('/tickets', { serviceId: services[0], source: 'kiosk' });
    const alerts = (await answer()).alerts as { id: string; kind: string }[];
    const rows = page.getByTestId('alert');
    // One row per queue alert, one per device trouble (paper out ×2, misbehaving ×5).
    const queueAlerts = alerts.filter((a) => a.kind !== 'device').length;
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(queueAlerts + 2);
    const shown = (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-alert-ids')))).join(
      ' ',
    );
    for (const a of alerts) expect(shown.split(' ')).toContain(a.id);
    // Critical first; among the warnings, the citizens' (long waits) before the devices' (one row).
    const order = await rows.evaluateAll((els) =>
      els.map(
        (e) => `${e.classList.contains('critical') ? 'critical' : 'warning'}:${e.getAttribute('data-kind')}`,
      ),
    );
    const severities = order.map((o) => o.split(':')[0]);
    expect(severities).toEqual([...severities].sort());
    const warnings = order.filter((o) => o.startsWith('warning:')).map((o) => o.split(':')[1]);
    expect(warnings.indexOf('device')).toBe(warnings.length - 1);
    expect(warnings.filter((k) => k === 'longWait')).toHaveLength(services.length);
    expect(
      await page.locator('[data-testid="alert"][data-kind="device"][data-count="5"]').textContent(),
    ).toContain('5 thiết bị gửi nhiều dữ liệu lỗi');
    // The list scrolls inside its panel, which stays on the screen: the last row can be reached.
    const list = page.getByTestId('alert-list');
    const overflow = await list.evaluate((el) => getComputedStyle(el).overflowY);
    expect(overflow).toBe('auto');
    await rows.last().scrollIntoViewIfNeeded();
    const last = await rows.last().boundingBox();
    const box = await list.boundingBox();
    expect(last && box && last.y + last.height <= box.y + box.height + 1).toBe(true);
    expect(box && box.y + box.height <= SCREEN.height).toBe(true);
    await screenshot(page, 'manager-many-alerts-1920x1080');
    expect(await overflowing(page)).toEqual([]);
  }, 90_000);

  it('draws the waiting chart on a real time scale, each clock time once', async () => {
    const ticks = (await page.getByTestId('chart-waiting').getAttribute('data-x-ticks')) ?? '';
    const labels = ticks.split(' ').filter(Boolean);
    expect(labels.length).toBeGreaterThan(0);
    for (const l of labels) expect(l).toMatch(/^\d\d:\d\d$/);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('shows a confirmation without pushing the layout', async () => {
    const before = await page.locator('.mg-grid').boundingBox();
    await page.getByTestId('open-quay-3').click();
    await page.getByTestId('notice').waitFor();
    const after = await page.locator('.mg-grid').boundingBox();
    expect(after).toEqual(before);
    await screenshot(page, 'manager-notice-1920x1080');
  });

  it('shows the audit log as what was done, by whom, to what, in Vietnamese', async () => {
    await page.getByTestId('audit-open').click();
    const entry = page.getByTestId('audit-entry').first();
    await entry.waitFor();
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('Mở quầy');
    expect(text).toContain('Quầy 3');
    expect(text).toContain('Thành công');
    expect(text).not.toContain('/api/');
    await screenshot(page, 'manager-audit-1920x1080');
    await page.getByTestId('audit-dialog').getByRole('button').last().click();
  });

  it('styles the accounts dialog buttons', async () => {
    await page.getByTestId('accounts-open').click();
    // The new-account form's button (the centre has no accounts of its own in this test).
    const submit = page.locator('.mg-accounts button[type="submit"]');
    await submit.waitFor();
    const style = await submit.evaluate((el) => {
      const s = getComputedStyle(el);
      return {
        radius: Number.parseFloat(s.borderTopLeftRadius),
        paddingX: Number.parseFloat(s.paddingLeft),
        font: s.fontFamily,
      };
    });
    expect(style.radius).toBeGreaterThanOrEqual(4);
    expect(style.paddingX).toBeGreaterThanOrEqual(10);
    expect(style.font).toContain('Be Vietnam Pro');
    await screenshot(page, 'manager-accounts-1920x1080');
    await page.keyboard.press('Escape');
    expect(errors).toEqual([]);
  });

  it('lets a manager confirm a clock jump from its alert, after saying what confirming means (issue 10)', async () => {
    const real = Date.now;
    const jump = 3 * 60 * 60_000; // NTP corrects a clock three hours slow
    vi.spyOn(Date, 'now').mockImplementation(() => real() + jump);
    try {
      await post('/tickets', { serviceId: ctx.controller.queue.config.services[0]?.id, source: 'kiosk' });
      expect((await getJson(`${ctx.url}/healthz`)).json.clock).toMatchObject({ status: 'jumped' });
      const button = page.getByTestId('confirm-clock');
      await button.waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-kind="clockJump"]').textContent()).toContain(
        'Đồng hồ máy chủ vừa nhảy tới 180 phút',
      );
      await screenshot(page, 'manager-clock-jump-1920x1080');
      let question = '';
      page.once('dialog', (dialog) => {
        question = dialog.message();
        void dialog.accept();
      });
      await button.click();
      await page.getByTestId('notice').filter({ hasText: 'Đã xác nhận giờ của máy chủ' }).waitFor();
      expect(question).toContain('hãy chỉnh đồng hồ máy chủ (NTP)');
      // The controller's clock (three hours on), not the manager's computer's.
      const hhmm = (ms: number) =>
        new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Asia/Ho_Chi_Minh',
          hour: '2-digit',
          minute: '2-digit',
        }).format(ms);
      const clicked = Date.now();
      expect([hhmm(clicked), hhmm(clicked - 60_000)].some((t) => question.includes(`chỉ ${t}`))).toBe(true);
      expect((await getJson(`${ctx.url}/healthz`)).json.clock).toEqual({ status: 'ok' });
      await expect.poll(() => page.getByTestId('confirm-clock').count(), { timeout: 15_000 }).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
  }, 60_000);

  it('answers browsers asking for an unknown page with a Vietnamese page, API clients with JSON', async () => {
    for (const path of ['/nothing', '/t/']) {
      const res = await fetch(`${ctx.url}${path}`, {
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toContain('Không tìm thấy trang');
      expect(html).toContain('<html lang="vi">');
    }
    const api = await fetch(`${ctx.url}/api/nothing`, { headers: { accept: 'text/html' } });
    expect(api.headers.get('content-type')).toMatch(/json/);
    expect((await api.json()).error.code).toBe('notFound');
    const curl = await fetch(`${ctx.url}/nothing`);
    expect(curl.headers.get('content-type')).toMatch(/json/);
    const other = await openPage(browser, `${ctx.url}/nothing`, SCREEN);
    expect(await other.page.locator('h1').textContent()).toBe('Không tìm thấy trang');
    await screenshot(other.page, 'not-found-1920x1080');
    await other.context.close();
  });
});
