/**
 * The manager dashboard's "Báo cáo lên tỉnh" line in Chromium: not configured; connected to a real
 * Mosquitto broker with nothing waiting; disconnected with visits waiting once the broker is gone.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccess } from '../../controller/http/access.ts';
import { hasChromium, launchChromium, openPage, screenshot } from '../helpers/browser.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { haveMosquitto, type Mosquitto, startMosquitto } from '../helpers/mosquitto.ts';
import { apiClient, oneVisit, seedUpstreamCentre, until } from './hall-day.ts';

const SCREEN = { width: 1920, height: 1080 };

describe.runIf(hasChromium() && haveMosquitto())('the upstream line of the manager dashboard', () => {
  let browser: Browser;
  let broker: Mosquitto;
  const halls: InProcess[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    broker = await startMosquitto();
  }, 30_000);

  afterAll(async () => {
    for (const h of halls) await h.stop();
    await browser?.close();
    await broker?.remove();
  });

  it('says when reporting upstream is not configured', async () => {
    const hall = await startInProcess(openAccess);
    halls.push(hall);
    const { page, errors } = await openPage(browser, `${hall.url}/manager`, SCREEN);
    const line = page.getByTestId('upstream');
    await line.waitFor({ timeout: 15_000 });
    expect(await line.getAttribute('data-state')).toBe('off');
    expect(await line.textContent()).toContain('Báo cáo lên tỉnh:');
    expect(await line.textContent()).toContain('chưa cấu hình');
    await screenshot(page, 'upstream-not-configured');
    expect(errors).toEqual([]);
  }, 60_000);

  it('shows connected, then disconnected with the visits waiting to be sent', async () => {
    const hall = await startInProcess(openAccess, { upstreamUrl: broker.url }, async (dir) =>
      seedUpstreamCentre(dir, {}),
    );
    halls.push(hall);
    const post = apiClient(hall.url);
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    const { page, errors } = await openPage(browser, `${hall.url}/manager`, SCREEN);
    const line = page.getByTestId('upstream');
    await line.waitFor({ timeout: 15_000 });
    await until(async () => (await line.getAttribute('data-state')) === 'connected', 15_000, 'connected');
    expect(await line.textContent()).toContain('đã kết nối');
    await screenshot(page, 'upstream-connected');

    await broker.stop();
    for (let i = 0; i < 2; i++) await oneVisit(post, i, 'panel');
    await until(async () => (await line.getAttribute('data-state')) === 'down', 15_000, 'down');
    await until(
      async () =>
        (await page.getByTestId('upstream-backlog').textContent())?.includes('2 lượt chờ gửi') ?? false,
      15_000,
      'the backlog',
    );
    expect(await line.textContent()).toContain('mất kết nối');
    expect(await page.getByTestId('upstream-problem').textContent()).toMatch(
      /không kết nối được|kết nối bị ngắt/,
    );
    await screenshot(page, 'upstream-disconnected');
    await broker.start();
    expect(errors).toEqual([]);
  }, 90_000);
});
