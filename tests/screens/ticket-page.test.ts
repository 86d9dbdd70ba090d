/**
 * The citizen's ticket page (/t/<ticket id>, the QR code on the paper ticket) in Chromium at a
 * phone's size (390×844): its place in line updated live, the full-screen notice with sound when
 * called and again on a recall, the other states, an unknown ticket, and no personal data.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isNewCall,
  ticketIdFromPath,
  ticketLinkFromPath,
  toneOf,
} from '../../display/src/ticket/ticket-status.ts';
import { SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, startDeviceCentre } from '../helpers/device-centre.ts';

describe('ticket page: reading the address and deciding when to alert', () => {
  it('takes the ticket id from the path, encoded or not', () => {
    expect(ticketIdFromPath('/t/2026-11-23%3A1001')).toBe('2026-11-23:1001');
    expect(ticketIdFromPath('/t/2026-11-23:1001')).toBe('2026-11-23:1001');
    expect(ticketIdFromPath('/t/2026-11-23%3a1001/')).toBe('2026-11-23:1001');
    expect(ticketIdFromPath('/t/')).toBeNull();
    expect(ticketIdFromPath('/t/a/b')).toBeNull();
    expect(ticketIdFromPath('/t/%E0%A4%A')).toBeNull();
    expect(ticketIdFromPath('/kiosk')).toBeNull();
  });

  it("takes the link's key from the QR code's path, and only a well-formed one", () => {
    const key = 'Ab0_-Ab0_-Ab0_-Ab0_-Ab';
    expect(ticketLinkFromPath(`/t/2026-11-23%3Adat-dai%3A1/${key}`)).toEqual({
      id: '2026-11-23:dat-dai:1',
      key,
    });
    expect(ticketLinkFromPath('/t/2026-11-23:dat-dai:1')).toEqual({ id: '2026-11-23:dat-dai:1', key: null });
    expect(ticketLinkFromPath(`/t/x/${key}x`)).toBeNull();
    expect(ticketLinkFromPath('/t/x/short')).toBeNull();
  });

  it('alerts once per call, and again for a recall (a new call time)', () => {
    expect(isNewCall({ status: 'waiting', calledAt: null }, null)).toBe(false);
    expect(isNewCall({ status: 'called', calledAt: 1000 }, null)).toBe(true);
    expect(isNewCall({ status: 'called', calledAt: 1000 }, 1000)).toBe(false);
    expect(isNewCall({ status: 'called', calledAt: 5000 }, 1000)).toBe(true);
    expect(isNewCall({ status: 'serving', calledAt: 5000 }, null)).toBe(false);
  });

  it('gives each status its look', () => {
    expect(toneOf('waiting')).toBe('wait');
    expect(toneOf('called')).toBe('call');
    expect(toneOf('serving')).toBe('serve');
    expect(toneOf('skipped')).toBe('warn');
    expect(toneOf('done')).toBe('over');
    expect(toneOf('cancelled')).toBe('over');
  });
});

const PHONE = { width: 390, height: 844 };

describe.skipIf(!hasChromium())('ticket page (Chromium, 390×844)', () => {
  let centre: DeviceCentre;
  let browser: Browser;
  let page: Page;
  let errors: string[];
  let first: { id: string; label: string; link: string };
  let mine: { id: string; label: string };
  const seen: string[] = []; // every API answer and socket message the page received
  const contents: string[] = [];

  const post = async (path: string, body: unknown = {}) => {
    const res = await postJson(`${centre.url}/api${path}`, body);
    expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  const open = async (path: string) => {
    const opened = await openPage(browser, 'about:blank', PHONE);
    opened.page.on('response', async (r) => {
      if (r.url().includes('/api/')) seen.push(await r.text().catch(() => ''));
    });
    opened.page.on('websocket', (ws) => ws.on('framereceived', (f) => seen.push(String(f.payload))));
    await opened.page.goto(`${centre.url}${path}`);
    return opened;
  };
  const status = () => page.getByTestId('ticket-status').textContent();

  beforeAll(async () => {
    centre = await startDeviceCentre();
    browser = await launchChromium();
    first = (await post('/kiosks/kiosk-b/tickets', { serviceId: 'cu-tru', requestId: 'a' })).ticket;
    // Mine was taken with an ID card: the ticket holds a citizen key the page must never see.
    await post('/kiosks/kiosk-b/scan', { code: SAMPLE_CCCD.adult, requestId: 'b-scan' });
    mine = (await post('/kiosks/kiosk-b/tickets', { serviceId: 'cu-tru', requestId: 'b' })).ticket;
    expect(centre.controller.queue.state.tickets[mine.id]?.citizenKey).toBeTruthy();
    ({ page, errors } = await open(`/t/${encodeURIComponent(mine.id)}`));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stopAll();
  });

  it('shows the number, the service, the people ahead and the estimated wait', async () => {
    await page.getByTestId('ticket-card').waitFor();
    expect(await page.getByTestId('ticket-label').textContent()).toBe(mine.label);
    expect(await status()).toBe('Đang chờ đến lượt');
    expect(await page.getByTestId('ticket-ahead').textContent()).toBe('1');
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('Cư trú');
    expect(text).toContain('Thời gian chờ dự kiến');
    expect(await page.getByTestId('ticket-wait').textContent()).toBe('chưa có quầy mở');
    expect(text).toContain('Bật âm báo');
    await page.evaluate('document.fonts.ready');
    await screenshot(page, 'ticket-page-390x844');
    expect(await overflowing(page)).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('updates the place in line live as others are called', async () => {
    await post('/counters/quay-5/login', { staffId: 'huynh-ngoc-tuan' });
    const called = await post('/counters/quay-5/next');
    expect(called.ticket.id).toBe(first.id);
    await expect.poll(() => page.getByTestId('ticket-ahead').textContent(), { timeout: 10_000 }).toBe('0');
  }, 60_000);

  it('when called: a full-screen notice naming the counter, with the sound the citizen turned on', async () => {
    await page.getByTestId('sound-toggle').click();
    await expect.poll(() => page.getByTestId('sound-toggle').getAttribute('aria-pressed')).toBe('true');
    await post('/counters/quay-6/login', { staffId: 'dang-thi-hong-nhung' });
    expect((await post('/counters/quay-6/next')).ticket.id).toBe(mine.id);
    const notice = page.getByTestId('called-notice');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toContain('Mời Ông/Bà đến quầy số 6');
    expect(await notice.textContent()).toContain(mine.label);
    expect(await notice.getAttribute('data-chimed')).toBe('true');
    await page.evaluate('document.fonts.ready');
    await screenshot(page, 'ticket-page-called-390x844');
    expect(await overflowing(page)).toEqual([]);

    await notice.getByRole('button').click();
    await notice.waitFor({ state: 'detached' });
    expect(await status()).toBe('Mời Ông/Bà đến quầy số 6');
    // A recall is a new call: the notice comes back (and is left open for the next test).
    await post('/counters/quay-6/recall');
    await notice.waitFor({ timeout: 10_000 });
  }, 60_000);

  it('shows a missed call, then a cancelled ticket', async () => {
    await post('/counters/quay-6/skip');
    await expect.poll(status, { timeout: 10_000 }).toBe('Ông/Bà đã lỡ lượt gọi');
    // The call is over: its full-screen notice goes away by itself.
    await page.getByTestId('called-notice').waitFor({ state: 'detached', timeout: 10_000 });
    expect(await page.getByTestId('sound-toggle').count()).toBe(1); // may still be called again
    expect(await page.locator('.tp-detail').textContent()).toMatch(/quầy hướng dẫn trước \d\d:\d\d/);
    contents.push(await page.content());
    await post(`/tickets/${encodeURIComponent(mine.id)}/cancel`, { reason: 'citizen left' });
    await expect.poll(status, { timeout: 10_000 }).toBe('Số thứ tự đã bị hủy');
    expect(await page.getByTestId('sound-toggle').count()).toBe(0); // nothing left to be called for
    await page.getByTestId('lang-switch').click();
    expect(await status()).toBe('This ticket was cancelled');
    await page.getByTestId('lang-switch').click();
    contents.push(await page.content());
  }, 60_000);

  it('shows a finished visit, reached with the id as typed (an unencoded ":"), without a rating', async () => {
    await post('/counters/quay-5/start');
    await post('/counters/quay-5/finish');
    // An id-only link (printed before keys, or guessed): the public status only, no way to rate.
    const other = await open(`/t/${first.id}`);
    await expect.poll(() => other.page.getByTestId('ticket-status').textContent()).toBe('Đã phục vụ xong');
    expect(await other.page.getByTestId('ticket-label').textContent()).toBe(first.label);
    expect(await other.page.getByTestId('sound-toggle').count()).toBe(0);
    expect(await other.page.getByTestId('rating').count()).toBe(0);
    expect(other.errors).toEqual([]);
    await other.context.close();
  }, 60_000);

  it("lets the holder of the ticket's QR link rate the finished visit, once", async () => {
    const path = new URL(first.link).pathname;
    expect(path).toMatch(/^\/t\/[^/]+\/[A-Za-z0-9_-]{22}$/);
    const mineNow = await open(path);
    const rating = mineNow.page.getByTestId('rating');
    await rating.waitFor({ timeout: 10_000 });
    expect(await rating.textContent()).toContain('Ông/Bà có hài lòng với lượt phục vụ?');
    expect(await rating.textContent()).toContain('Rất hài lòng');
    await mineNow.page.evaluate('document.fonts.ready');
    await screenshot(mineNow.page, 'ticket-page-rating-390x844');
    expect(await overflowing(mineNow.page)).toEqual([]);
    await mineNow.page.getByTestId('rate-1').click();
    await mineNow.page.getByTestId('rating-done').waitFor({ timeout: 10_000 });
    expect(await mineNow.page.getByTestId('rating-done').textContent()).toContain(
      'Cảm ơn Ông/Bà đã đánh giá',
    );
    expect(centre.controller.queue.state.tickets[first.id]?.rating).toMatchObject({ level: 1 });
    expect(mineNow.errors).toEqual([]);
    await mineNow.context.close();

    // The same id with a key that is not its own: said plainly, nothing shown.
    const forged = await open(`/t/${encodeURIComponent(first.id)}/${'A'.repeat(22)}`);
    await forged.page.getByTestId('ticket-bad-link').waitFor({ timeout: 10_000 });
    expect(await forged.page.getByTestId('ticket-label').count()).toBe(0);
    // Nothing there updates, so it does not ask to be kept open.
    expect(await forged.page.locator('.tp-note').count()).toBe(0);
    await forged.context.close();
  }, 60_000);

  it("says a ticket that is not today's cannot be found", async () => {
    for (const path of ['/t/2020-01-01%3A9999', '/t/not-a-ticket']) {
      const other = await open(path);
      const missing = other.page.getByTestId('ticket-missing');
      await missing.waitFor();
      expect(await missing.textContent()).toContain('Không tìm thấy số thứ tự');
      expect(await missing.textContent()).toContain('hôm nay');
      expect(await overflowing(other.page)).toEqual([]);
      await other.context.close();
    }
  }, 60_000);

  it('shows and receives no citizen key and no ID number: page, API answers, socket messages', async () => {
    const key = centre.controller.queue.state.tickets[mine.id]?.citizenKey as string;
    expect(seen.length).toBeGreaterThan(5);
    for (const text of [...seen, ...contents, await page.content()]) {
      expect(text).not.toContain('citizenKey');
      expect(text).not.toContain(key);
      expect(text).not.toContain('049092004321');
      expect(text).not.toContain('Nguyễn Văn Hùng');
    }
  }, 60_000);
});
