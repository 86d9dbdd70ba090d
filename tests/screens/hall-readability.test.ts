/**
 * The hall TV read from 10 m at 1920×1080 (issue 12, item 7): no hall text under 28 px, names and
 * estimates at least 32 px and estimates not grey, an unmistakable "connection lost" banner, a
 * "now serving" board per counter, and finished or no-show tickets not shown as if current.
 */
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { postJson } from '../helpers/controller-process.ts';

const TV = { width: 1920, height: 1080 };

// Every visible element with text of its own: its computed font size, colour and a description.
const TEXT_SIZES = `(() => {
  const out = [];
  for (const el of document.querySelectorAll('#app *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const style = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || r.width === 0) continue;
    out.push({ what: el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '"',
      cls: String(el.className), px: parseFloat(style.fontSize), color: style.color });
  }
  return out;
})()`;

interface TextSize {
  what: string;
  cls: string;
  px: number;
  color: string;
}

/** How grey a colour is: true for a mid-grey like the muted text colour (#5b6577). */
function isGrey(color: string): boolean {
  const [r, g, b] = (color.match(/\d+/g) ?? []).map(Number) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return luminance > 60 && Math.max(r, g, b) - Math.min(r, g, b) < 40;
}

describe.skipIf(!hasChromium())('hall display read from 10 m (Chromium, 1920×1080)', () => {
  let ctx: Awaited<ReturnType<typeof startInProcess>>;
  let browser: Browser;
  let page: Page;
  let blocked = false;
  const sockets: WebSocketRoute[] = [];

  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${ctx.url}/api${path}`, body);
    expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const sizes = () => page.evaluate(TEXT_SIZES) as Promise<TextSize[]>;
  const board = (counter: number) => page.locator(`[data-testid="now-serving"] [data-counter="${counter}"]`);

  beforeAll(async () => {
    ctx = await startInProcess();
    browser = await launchChromium();
    ({ page } = await openPage(browser, 'about:blank', TV));
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (blocked) return ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.route(/\/socket\.io\//, (route) => (blocked ? route.abort() : route.continue()));
    await page.goto(`${ctx.url}/hall?zone=tang-1-khu-a`);
    await page.locator('.service-row').first().waitFor();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  it('shows a "now serving" board: each counter of the zone with its number, or closed / paused', async () => {
    for (let i = 0; i < 3; i++) await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' });
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    const called = (await post('/counters/quay-1/next')).ticket;
    await post('/counters/quay-2/login', { staffId: 'tran-van-minh' });
    await post('/counters/quay-2/pause', { reason: 'break' });
    await expect.poll(() => page.locator('[data-testid="now-serving"] [data-counter]').count()).toBe(4);
    await expect.poll(() => board(1).textContent()).toContain(called.label);
    await expect.poll(() => board(2).textContent()).toContain('Tạm dừng');
    expect(await board(3).textContent()).toContain('Đóng');
    // Zone B's counters are not on zone A's board.
    expect(await board(5).count()).toBe(0);
  });

  it('no text under 28 px; names and estimates at least 32 px, estimates not grey', async () => {
    await post('/tickets', { serviceId: 'thue', source: 'kiosk' });
    await post('/counters/quay-4/login', { staffId: 'le-thi-kim-oanh' });
    await expect
      .poll(() => page.locator('[data-service="thue"] .service-estimate').textContent())
      .toMatch(/phút/);
    await page.evaluate('document.fonts.ready');
    await screenshot(page, 'hall-now-serving-1920x1080');
    expect(await overflowing(page)).toEqual([]);
    const all = await sizes();
    expect(all.length).toBeGreaterThan(20);
    const small = all.filter((s) => Math.round(s.px) < 28).map((s) => `${s.what}: ${s.px}px`);
    expect(small).toEqual([]);
    for (const cls of ['service-name', 'service-estimate', 'now-label']) {
      const found = all.filter((s) => s.cls.split(' ').includes(cls));
      expect(found.length, cls).toBeGreaterThan(0);
      for (const s of found) expect(Math.round(s.px), s.what).toBeGreaterThanOrEqual(32);
    }
    for (const s of all.filter((x) => x.cls.split(' ').includes('service-estimate')))
      expect(isGrey(s.color), `${s.what} is grey (${s.color})`).toBe(false);
  });

  it('does not show a finished or no-show ticket as if it were being called', async () => {
    const current = (await page.getByTestId('current-label').textContent()) ?? '';
    const counter = await page.getByTestId('current-counter').textContent();
    await post(`/counters/quay-${counter}/finish`);
    await expect.poll(() => page.getByTestId('current-call').textContent()).not.toContain(current);
    const row = page.locator(`[data-testid="recent-calls"] li`, { hasText: current });
    await expect.poll(() => row.getAttribute('data-status')).toBe('done');
    expect(await row.textContent()).toContain('Đã xong');
    expect(await board(Number(counter)).textContent()).not.toContain(current);
  });

  it('makes a lost link unmistakable', async () => {
    blocked = true;
    for (const ws of sockets.splice(0)) await ws.close();
    const banner = page.getByTestId('connection-lost');
    await expect.poll(() => banner.isVisible()).toBe(true);
    const box = await banner.boundingBox();
    const px = Number.parseFloat(
      (await page.evaluate(
        `getComputedStyle(document.querySelector('[data-testid="connection-lost"]')).fontSize`,
      )) as string,
    );
    expect(px).toBeGreaterThanOrEqual(48);
    expect(box && box.height >= TV.height * 0.12 && box.width >= TV.width * 0.9).toBe(true);
    await screenshot(page, 'hall-connection-lost-1920x1080');
    blocked = false;
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(0);
  }, 60_000);
});
