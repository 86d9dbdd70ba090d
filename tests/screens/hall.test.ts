/**
 * The hall display in Chromium at its real size (1920×1080): calls made from counters through the
 * API show on the screen and are announced one after another, only for the display's own zone.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { postJson, tempDataDir } from '../helpers/controller-process.ts';

const TV = { width: 1920, height: 1080 };
const ZONE_A = 'tang-1-khu-a';
const ZONE_A_NAME = 'Tầng 1 – Khu A (Đất đai, Xây dựng, Đầu tư, Thuế)';

interface Said {
  text: string;
  completed: number;
}

// Records, in the page, each announcement as it starts with how many had finished before it.
const RECORD_ANNOUNCEMENTS = `(() => {
  window.__said = [];
  const el = document.querySelector('[data-testid="announcing"]');
  new MutationObserver(() => {
    const last = window.__said.at(-1);
    if (el.textContent && (!last || last.id !== el.dataset.currentId)) {
      window.__said.push({ id: el.dataset.currentId, text: el.textContent, completed: Number(el.dataset.completed) });
    }
  }).observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
})()`;

describe.skipIf(!hasChromium())('hall display (Chromium, 1920×1080)', () => {
  let ctx: Awaited<ReturnType<typeof startInProcess>>;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    ctx = await startInProcess();
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${ctx.url}/hall?zone=${ZONE_A}`, TV));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
  });

  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${ctx.url}/api${path}`, body);
    expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const announcing = () => page.getByTestId('announcing');
  const completed = async () => Number(await announcing().getAttribute('data-completed'));
  const said = () => page.evaluate('window.__said') as Promise<Said[]>;

  it('shows its zone, its services and the clock, and loads the voice', async () => {
    await expect.poll(() => page.locator('.hall-zone').textContent()).toBe(ZONE_A_NAME);
    // Zone A has five services in the demo centre; those of zone B are not shown.
    await expect.poll(() => page.locator('.service-row').count()).toBe(5);
    expect(await page.locator('[data-service="cu-tru"]').count()).toBe(0);
    expect(await page.getByTestId('clock').textContent()).toMatch(/^\d\d:\d\d$/);
    await expect.poll(() => announcing().getAttribute('data-sound'), { timeout: 60_000 }).toBe('ready');
    expect(await page.getByTestId('enable-sound').count()).toBe(0);
    await page.evaluate(RECORD_ANNOUNCEMENTS);
  }, 90_000);

  it('shows the latest call large, lists both, and announces them one after the other', async () => {
    const first = (await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).ticket;
    const second = (await post('/tickets', { serviceId: 'thue', source: 'kiosk' })).ticket;
    await expect
      .poll(() => page.locator('[data-service="dat-dai"] [data-testid="waiting"]').textContent())
      .toBe('1 người');
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-4/login', { staffId: 'le-thi-kim-oanh' });
    // Two counters call at once.
    await Promise.all([post('/counters/quay-1/next'), post('/counters/quay-4/next')]);

    await expect.poll(() => page.locator('#app .recent-row').count()).toBe(2);
    const rows = await page.locator('.recent-row').allTextContents();
    const calledLast = rows[0]?.startsWith(first.label) ? first : second;
    const counterLast = calledLast === first ? '1' : '4';
    expect(await page.getByTestId('current-label').textContent()).toBe(calledLast.label);
    expect(await page.getByTestId('current-counter').textContent()).toBe(counterLast);
    expect(rows.join(' | ')).toContain(`${first.label}→Quầy 1`);
    expect(rows.join(' | ')).toContain(`${second.label}→Quầy 4`);

    // The screen while the second call is being said: the text of the announcement shows too.
    await expect.poll(completed, { timeout: 60_000 }).toBe(1);
    await expect.poll(() => announcing().textContent()).toMatch(/^Mời công dân/);
    await screenshot(page, 'hall-1920x1080');
    expect(await overflowing(page)).toEqual([]);

    await expect.poll(completed, { timeout: 60_000 }).toBe(2);
    const log = await said();
    expect(log.map((s) => s.text).sort()).toEqual(
      [
        `Mời công dân có số thứ tự ${first.label} đến quầy số 1 tại ${ZONE_A_NAME}`,
        `Mời công dân có số thứ tự ${second.label} đến quầy số 4 tại ${ZONE_A_NAME}`,
      ].sort(),
    );
    // The second started only once the first had been said to the end.
    expect(log.map((s) => s.completed)).toEqual([0, 1]);
  }, 90_000);

  it("does not announce another zone's call, and announces a recall again", async () => {
    await post('/tickets', { serviceId: 'cu-tru', source: 'kiosk' });
    await post('/counters/quay-7/login', { staffId: 'huynh-ngoc-tuan' });
    const other = await post('/counters/quay-7/next');
    expect(other.ticket.label).toMatch(/^8/);
    await post('/counters/quay-1/recall');

    await expect.poll(completed, { timeout: 60_000 }).toBe(3);
    const log = await said();
    expect(log).toHaveLength(3);
    expect(log[2]?.text).toBe(log.find((s) => s.text.includes('quầy số 1'))?.text);
    expect(log.some((s) => s.text.includes(other.ticket.label))).toBe(false);
    // The recalled number is the big one again; the other zone's call is not on this display.
    expect(await page.getByTestId('current-counter').textContent()).toBe('1');
    expect(await page.locator('.recent-row').allTextContents()).not.toContainEqual(
      expect.stringContaining(other.ticket.label),
    );
    expect(await announcing().getAttribute('data-queue-length')).toBe('0');
    expect(errors).toEqual([]);
  }, 90_000);
});

// Ten services with long Vietnamese names (one absurdly long), the whole centre on one display.
const LONG_NAMES: Record<string, string> = {
  'dat-dai': 'Đất đai – đăng ký biến động, cấp đổi giấy chứng nhận quyền sử dụng đất',
  'xay-dung': 'Xây dựng – cấp giấy phép xây dựng nhà ở riêng lẻ và công trình',
  'ke-hoach-dau-tu': 'Kế hoạch và Đầu tư – đăng ký doanh nghiệp, hộ kinh doanh, hợp tác xã',
  'tai-nguyen-moi-truong': 'Tài nguyên và Môi trường – khoáng sản, tài nguyên nước, môi trường',
  thue: 'Thuế – kê khai, nộp thuế và lệ phí trước bạ nhà đất',
  'lao-dong-thuong-binh-xa-hoi':
    'Lao động – Thương binh và Xã hội (chính sách người có công, bảo trợ xã hội)',
  'tu-phap-ho-tich': 'Tư pháp – Hộ tịch, chứng thực bản sao, chữ ký và hợp đồng, giao dịch',
  'cu-tru': 'Cư trú – đăng ký thường trú, tạm trú, xác nhận thông tin về cư trú',
  'bao-hiem-xa-hoi': `Bảo hiểm xã hội – ${'cấp sổ, thẻ bảo hiểm y tế, giải quyết chế độ ốm đau, thai sản '.repeat(3)}`,
  'tra-ket-qua': 'Trả kết quả giải quyết thủ tục hành chính',
};

describe.skipIf(!hasChromium())('hall display of a whole centre with long names (Chromium)', () => {
  const folder = tempDataDir('hall-config-');
  let ctx: Awaited<ReturnType<typeof startInProcess>>;
  let browser: Browser;

  beforeAll(async () => {
    const config = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
    for (const s of config.services) s.name = LONG_NAMES[s.id] ?? s.name;
    const configFile = join(folder.dir, 'centre.json');
    writeFileSync(configFile, JSON.stringify(config));
    ctx = await startInProcess(undefined, { configFile });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await ctx?.stop();
    folder.remove();
  });

  it('fits ten services in 1920×1080: long names wrap, only the absurd one ends in an ellipsis', async () => {
    const { page, errors, context } = await openPage(browser, `${ctx.url}/hall`, TV);
    try {
      await expect.poll(() => page.locator('.service-row').count()).toBe(10);
      // A fresh data folder: the clips are made now, which takes a while on a busy machine.
      await expect
        .poll(() => page.getByTestId('announcing').getAttribute('data-sound'), { timeout: 60_000 })
        .toBe('ready');
      await screenshot(page, 'hall-long-names-1920x1080');
      // The clamped name is cut on purpose; nothing else is, and nothing leaves the screen.
      const clipped = await overflowing(page);
      expect(clipped).toHaveLength(1);
      expect(clipped[0]).toMatch(/^span\.service-name "Bảo hiểm xã hội/);
      const box = await page.locator('[data-service="bao-hiem-xa-hoi"] .service-name').boundingBox();
      const row = await page.locator('[data-service="bao-hiem-xa-hoi"]').boundingBox();
      expect(box && row && box.y + box.height <= row.y + row.height + 1).toBe(true);
      const size = await page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.scrollHeight]',
      );
      expect(size).toEqual([TV.width, TV.height]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('shows that the link is lost, rebuilds from the state sent on reconnect, and announces the call it missed', async () => {
    const context = await browser.newContext({ viewport: TV, locale: 'vi-VN' });
    const page = await context.newPage();
    let blocked = false;
    const sockets: WebSocketRoute[] = [];
    // Between the page and the controller, so the test can cut the link and restore it.
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (blocked) return ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.route(/\/socket\.io\//, (route) => (blocked ? route.abort() : route.continue()));
    try {
      await page.goto(`${ctx.url}/hall`);
      await expect.poll(() => page.locator('.service-row').count()).toBe(10);
      blocked = true;
      for (const ws of sockets) await ws.close();
      await expect.poll(() => page.getByTestId('connection-lost').isVisible()).toBe(true);

      const ticket = (await postJson(`${ctx.url}/api/tickets`, { serviceId: 'cu-tru', source: 'kiosk' })).json
        .ticket;
      await postJson(`${ctx.url}/api/counters/quay-7/login`, { staffId: 'huynh-ngoc-tuan' });
      await postJson(`${ctx.url}/api/counters/quay-7/next`, {});
      expect(await page.getByTestId('current-call').textContent()).not.toContain(ticket.label);

      blocked = false;
      await expect
        .poll(() => page.getByTestId('current-label').textContent(), { timeout: 30_000 })
        .toBe(ticket.label);
      expect(await page.getByTestId('current-counter').textContent()).toBe('7');
      expect(await page.getByTestId('connection-lost').count()).toBe(0);
      // The call made while the link was down is announced all the same, once it is back.
      await expect
        .poll(() => page.getByTestId('announcing').textContent(), { timeout: 60_000 })
        .toContain(`Mời công dân có số thứ tự ${ticket.label} đến quầy số 7`);
    } finally {
      await context.close();
    }
  }, 90_000);

  it('asks for a touch when the browser holds the sound back, and plays once touched', async () => {
    const context = await browser.newContext({ viewport: TV, locale: 'vi-VN' });
    // What a TV browser started without --autoplay-policy=no-user-gesture-required does.
    await context.addInitScript(`{
      const Real = window.AudioContext;
      window.AudioContext = class extends Real {
        constructor(options) { super(options); void this.suspend(); }
      };
    }`);
    const page = await context.newPage();
    try {
      await page.goto(`${ctx.url}/hall`);
      const button = page.getByTestId('enable-sound');
      await expect.poll(() => button.isVisible()).toBe(true);
      expect(await button.textContent()).toBe('Chạm để bật âm thanh');
      expect(await page.getByTestId('announcing').getAttribute('data-sound')).toBe('blocked');
      await button.click();
      await expect.poll(() => button.count()).toBe(0);
      await expect.poll(() => page.getByTestId('announcing').getAttribute('data-sound')).toBe('ready');
    } finally {
      await context.close();
    }
  }, 90_000);
});
