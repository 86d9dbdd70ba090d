/**
 * A call is announced at most once per hall screen, across lost links, controller restarts and
 * page reloads (issue 12, item 1): the page remembers the last call it has received (the journal
 * seq of the call event, per zone, in localStorage) and announces only calls newer than that.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Controller } from '../../controller/controller.ts';
import { openAccess } from '../../controller/http/access.ts';
import { silentLogger } from '../../controller/logger.ts';
import { settingsWith } from '../../controller/settings.ts';
import { hasChromium, launchChromium, openPage } from '../helpers/browser.ts';
import { postJson, tempDataDir } from '../helpers/controller-process.ts';

const TV = { width: 1920, height: 1080 };
const ZONE_A = 'tang-1-khu-a';

// Every announcement the page starts, by id, kept in sessionStorage so it survives a reload.
const RECORD = `(() => {
  const el = document.querySelector('[data-testid="announcing"]');
  const log = () => JSON.parse(sessionStorage.getItem('said') || '[]');
  let last = '';
  new MutationObserver(() => {
    if (el.textContent && el.dataset.currentId !== last) {
      last = el.dataset.currentId;
      sessionStorage.setItem('said', JSON.stringify([...log(), el.textContent]));
    }
  }).observe(el, { childList: true, characterData: true, subtree: true, attributes: true });
})()`;

describe.skipIf(!hasChromium())('hall display: each call announced once (Chromium)', () => {
  const data = tempDataDir('hall-once-');
  let controller: Controller;
  let port = 0;
  let browser: Browser;
  let page: Page;
  let errors: string[];

  const start = async () => {
    controller = new Controller(
      settingsWith({ httpPort: port, mqttPort: 0, host: '127.0.0.1', dataDir: data.dir, logLevel: 'silent' }),
      silentLogger,
      openAccess,
    );
    port = (await controller.start()).httpPort;
  };
  const url = () => `http://127.0.0.1:${port}`;
  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${url()}/api${path}`, body);
    expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const said = async () =>
    JSON.parse((await page.evaluate("sessionStorage.getItem('said') || '[]'")) as string) as string[];
  const ready = async () => {
    await expect
      .poll(() => page.getByTestId('announcing').getAttribute('data-sound'), { timeout: 60_000 })
      .toBe('ready');
    await page.evaluate(RECORD);
  };
  const callText = (label: string) => `Mời công dân có số thứ tự ${label} đến quầy số 1 tại`;
  const saidOf = async (label: string) => (await said()).filter((s) => s.startsWith(callText(label))).length;

  beforeAll(async () => {
    await start();
    browser = await launchChromium();
    ({ page, errors } = await openPage(browser, `${url()}/hall?zone=${ZONE_A}`, TV));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await controller?.stop();
    data.remove();
  });

  it('announces a call once, then not again after a controller restart, a lost link or a reload', async () => {
    await ready();
    const tickets: { label: string }[] = [];
    const label = (i: number) => (tickets[i] as { label: string }).label;
    for (let i = 0; i < 4; i++)
      tickets.push((await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).ticket);
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-1/next');
    await expect.poll(() => saidOf(label(0)), { timeout: 30_000 }).toBe(1);
    await post('/counters/quay-1/skip');
    await post('/counters/quay-1/next');
    await expect.poll(() => saidOf(label(1)), { timeout: 30_000 }).toBe(1);

    // The page is reloaded: the calls it received before are remembered, not said again.
    await page.reload();
    await ready();
    // The controller restarts on the same data folder and port: the page reconnects, and the
    // calls in the state it gets then (still recent) are not "missed": they were received.
    await controller.stop();
    await expect.poll(() => page.getByTestId('connection-lost').isVisible()).toBe(true);
    await start();
    await expect.poll(() => page.getByTestId('connection-lost').count(), { timeout: 30_000 }).toBe(0);
    await post('/counters/quay-1/next');
    await expect.poll(() => saidOf(label(2)), { timeout: 60_000 }).toBe(1);

    await page.reload();
    await ready();
    await post('/counters/quay-1/next');
    await expect.poll(() => saidOf(label(3)), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('announcing').getAttribute('data-queue-length')).toBe('0');

    const log = await said();
    for (const t of tickets) expect(await saidOf(t.label), t.label).toBe(1);
    expect(log, `every announcement recorded: ${JSON.stringify(log)}`).toHaveLength(4);
    expect(errors.filter((e) => !/socket\.io|ERR_CONNECTION|WebSocket|503/.test(e))).toEqual([]);
  }, 180_000);
});
