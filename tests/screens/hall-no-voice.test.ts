/**
 * A controller without its voice program (Debian's espeak-ng not installed): the hall says the voice
 * is missing and still shows and chimes each call, instead of failing clip by clip.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAccess } from '../../controller/http/access.ts';
import { hasChromium, launchChromium, openPage } from '../helpers/browser.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { postJson } from '../helpers/controller-process.ts';

describe.skipIf(!hasChromium())('hall display without the voice program (Chromium)', () => {
  let centre: InProcess;
  let url = '';
  let browser: Browser;

  beforeAll(async () => {
    centre = await startInProcess(openAccess, { espeakProgram: '/nonexistent/espeak-ng' });
    url = centre.url;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stop();
  });

  it('says the voice is missing, asks for no clip, and still shows each call', async () => {
    const { page, errors } = await openPage(browser, `${url}/hall?zone=tang-1-khu-a`, {
      width: 1920,
      height: 1080,
    });
    const clipRequests: string[] = [];
    page.on('request', (r) => {
      if (/\/voice\/[0-9a-f]+\.wav$/.test(r.url())) clipRequests.push(r.url());
    });
    await expect
      .poll(() => page.getByTestId('announcing').getAttribute('data-sound'), { timeout: 30_000 })
      .toBe('failed');
    await expect.poll(() => page.getByText('Thiếu âm thanh thông báo').isVisible()).toBe(true);

    const ticket = (await postJson(`${url}/api/tickets`, { serviceId: 'dat-dai', source: 'kiosk' })).json as {
      ticket: { label: string };
    };
    await postJson(`${url}/api/counters/quay-1/login`, { staffId: 'nguyen-thi-thu-ha' });
    await postJson(`${url}/api/counters/quay-1/next`, {});
    await expect
      .poll(() => page.getByTestId('announcing').textContent(), { timeout: 30_000 })
      .toContain(ticket.ticket.label);
    await page.screenshot({ path: 'test-artifacts/screens/hall-no-voice-1920x1080.png' });
    expect(clipRequests).toEqual([]);
    expect(errors.filter((e) => !/voice|socket\.io|WebSocket/.test(e))).toEqual([]);
  }, 90_000);
});
