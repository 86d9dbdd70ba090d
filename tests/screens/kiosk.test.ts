/**
 * The kiosk page in Chromium at its real size (1080×1920 portrait, and 1920×1080): touch a service
 * or type a scan as a keyboard-mode scanner does, get the ticket on screen and on the paper of the
 * simulated dispenser (a real MQTT client); refusals, the printer out of paper, the idle reset, and
 * no personal data anywhere the browser can see.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings, resetAt } from '../../display/src/kiosk/kiosk-settings.ts';
import { DEFAULT_SCAN_CAPTURE, ScanCapture } from '../../display/src/kiosk/scan-capture.ts';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import { appointmentQr, SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

describe('kiosk scan capture', () => {
  const typed = (capture: ScanCapture, text: string, start: number, gapMs: number) => {
    const results = [...text].map((ch, i) => capture.key(ch, start + (i + 1) * gapMs));
    return { results, enter: capture.key('Enter', start + (text.length + 1) * gapMs) };
  };

  it('takes a fast burst ending in Enter as a code, and keeps its keys from the page', () => {
    const capture = new ScanCapture();
    const { results, enter } = typed(capture, 'QMS-APPT:BK-1', 0, 8);
    expect(results.every((r) => r.consumed && r.code === null)).toBe(true);
    expect(enter).toEqual({ code: 'QMS-APPT:BK-1', consumed: true });
  });

  it('ignores slow typing, short bursts, and starts afresh after a pause', () => {
    const capture = new ScanCapture();
    expect(typed(capture, 'QMS-APPT:BK-1', 0, 200).enter.code).toBeNull();
    expect(typed(capture, '12', 10_000, 5).enter.code).toBeNull();
    // Slow keys, a pause, then a scan: only the scan counts.
    typed(capture, 'abc', 20_000, 300);
    expect(typed(capture, '049056001234|x', 30_000, 5).enter.code).toBe('049056001234|x');
  });

  it('passes modifier keys through without breaking a burst, and drops codes that are too long', () => {
    const capture = new ScanCapture({ maxLength: 10 });
    expect(capture.key('Shift', 0)).toEqual({ code: null, consumed: false });
    expect(typed(capture, 'ABCDEFGHIJK', 1, 5).enter.code).toBeNull();
    expect(typed(capture, 'ABCDEFG', 1000, 5).enter.code).toBe('ABCDEFG');
    expect(DEFAULT_SCAN_CAPTURE.maxGapMs).toBeLessThan(100); // faster than any hand
  });
});

describe('kiosk settings and idle reset', () => {
  it('reads the dispenser and the timeouts from the URL, with defaults', () => {
    expect(readSettings('?dispenser=kiosk-a')).toEqual({
      dispenserId: 'kiosk-a',
      idleMs: 60_000,
      ticketIdleMs: 30_000,
      scanGapMs: DEFAULT_SCAN_CAPTURE.maxGapMs,
    });
    expect(readSettings('?dispenser=kiosk-b&idle=2.5&ticketIdle=1&scanGap=200')).toMatchObject({
      idleMs: 2500,
      ticketIdleMs: 1000,
      scanGapMs: 200,
    });
    expect(readSettings('?idle=-1&ticketIdle=soon')).toMatchObject({
      dispenserId: null,
      idleMs: 60_000,
      ticketIdleMs: 30_000,
    });
  });

  it('resets the ticket screen sooner, any other change later, and a page at rest never', () => {
    const s = { idleMs: 60_000, ticketIdleMs: 30_000 };
    expect(resetAt({ onTicket: true, atRest: false, lastActivityAt: 1000 }, s)).toBe(31_000);
    expect(resetAt({ onTicket: false, atRest: false, lastActivityAt: 1000 }, s)).toBe(61_000);
    expect(resetAt({ onTicket: false, atRest: true, lastActivityAt: 1000 }, s)).toBeNull();
  });
});

const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1920, height: 1080 };
const ID_NUMBERS = ['049056001234', '049092004321', '049203007777'];

describe.skipIf(!hasChromium())('kiosk page (Chromium)', () => {
  let centre: DeviceCentre;
  let browser: Browser;
  let kioskA: SimDispenser;
  const seen: string[] = []; // every API answer and socket message the pages received
  const pages: { page: Page; errors: string[] }[] = [];

  /** Opens a kiosk page, recording what reaches it from the controller from its first request. */
  const open = async (query: string, viewport = PORTRAIT) => {
    const opened = await openPage(browser, 'about:blank', viewport);
    const { page } = opened;
    page.on('response', async (r) => {
      if (r.url().includes('/api/')) seen.push(await r.text().catch(() => ''));
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => seen.push(String(f.payload))));
    await page.goto(`${centre.url}/kiosk?${query}`);
    pages.push(opened);
    return opened;
  };
  const tickets = () => Object.values(centre.controller.queue.state.tickets);
  const post = async (path: string, body: unknown) => {
    const res = await postJson(`${centre.url}/api${path}`, body);
    expect(res.status, `${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  /** What a keyboard-mode scanner does: the code as fast key presses, then Enter. */
  const scan = async (page: Page, code: string) => {
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    centre = await startDeviceCentre();
    kioskA = centre.fleet.byId('kiosk-a') as SimDispenser;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stopAll();
  });

  describe('at 1080×1920, kiosk-a', () => {
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      // A wide scan gap: the test machine is slow and shared, a real scanner types in a few ms a key.
      ({ page, errors } = await open('dispenser=kiosk-a&scanGap=1000'));
    }, 60_000);

    it("shows its zone's services with live waiting counts, the priority choice and the scan prompt", async () => {
      await page.getByTestId('service-dat-dai').waitFor();
      expect(await page.locator('.service-button').count()).toBe(5);
      await expect.poll(() => page.getByTestId('waiting-thue').textContent()).toBe('0');
      await post('/tickets', { serviceId: 'thue', source: 'staff' });
      await expect.poll(() => page.getByTestId('waiting-thue').textContent(), { timeout: 10_000 }).toBe('1');
      const text = (await page.locator('body').textContent()) ?? '';
      expect(text).toContain('Kế hoạch và Đầu tư (đăng ký kinh doanh)');
      expect(text).toContain('Quét CCCD gắn chip hoặc mã QR lịch hẹn');
      expect(text).toContain('Người đi cùng trẻ nhỏ dưới 36 tháng tuổi');
      expect(text).toContain('Tầng 1 – Khu A');
      await page.evaluate('document.fonts.ready');
      await screenshot(page, 'kiosk-1080x1920');
      expect(await overflowing(page)).toEqual([]);
      expect(errors).toEqual([]);
    }, 60_000);

    it('a tap on a service shows the ticket and prints it on the dispenser', async () => {
      await page.getByTestId('service-dat-dai').click();
      const label = (await page.getByTestId('ticket-label').textContent()) ?? '';
      expect(label).toMatch(/^1\d{3}$/);
      const ticket = tickets().find((t) => t.label === label);
      expect(ticket).toMatchObject({ serviceId: 'dat-dai', source: 'kiosk', issuedBy: 'kiosk-a' });
      const printed = await eventually(
        () => kioskA.printed.find((p) => p.job.label === label),
        5000,
        'print',
      );
      expect(printed.job.serviceName).toBe('Đất đai');
      // The citizen's own link: the ticket id and its unguessable key.
      expect(await page.getByTestId('ticket-link').textContent()).toMatch(
        new RegExp(`^${centre.started.publicUrl}/t/${ticket?.id}/[A-Za-z0-9_-]{22}$`),
      );
      expect(await page.getByTestId('ticket-ahead').textContent()).toBe(String(ticket?.peopleAheadAtIssue));
      // Nobody has signed in at a counter yet: said as the service buttons say it, not "updating".
      expect(await page.getByTestId('ticket-wait').textContent()).toBe('chưa có quầy mở');
      await page.evaluate('document.fonts.ready');
      await screenshot(page, 'kiosk-ticket-1080x1920');
      expect(await overflowing(page)).toEqual([]);
      await page.getByTestId('ticket-done').click();
      await page.getByTestId('scan-prompt').waitFor();
    }, 60_000);

    it('a typed ID card scan, then a service, gives a priority ticket tied to the card', async () => {
      await scan(page, SAMPLE_CCCD.elderly);
      const identified = page.getByTestId('identified');
      await identified.waitFor();
      expect(await identified.textContent()).toContain('Ưu tiên: Người cao tuổi');
      expect(await page.getByTestId('priority-nguoi-cao-tuoi').getAttribute('aria-pressed')).toBe('true');
      await page.getByTestId('service-xay-dung').click();
      expect(await page.getByTestId('ticket-priority').textContent()).toContain('Người cao tuổi');
      const label = await page.getByTestId('ticket-label').textContent();
      expect(tickets().find((t) => t.label === label)).toMatchObject({
        priorityClassId: 'nguoi-cao-tuoi',
        citizenKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      await eventually(() => kioskA.printed.find((p) => p.job.label === label), 5000, 'print');
      await page.getByTestId('ticket-done').click();
    }, 60_000);

    it('refuses a second ticket for the same card, in Vietnamese', async () => {
      const before = tickets().length;
      await scan(page, SAMPLE_CCCD.elderly);
      const notice = page.getByTestId('notice');
      await notice.waitFor();
      expect(await notice.textContent()).toContain('Công dân đã có số thứ tự đang chờ');
      expect(tickets()).toHaveLength(before);
      await notice.getByRole('button').click();
      await notice.waitFor({ state: 'detached' });
    }, 60_000);

    it('checks an appointment in from its typed QR code: ticket on screen and on paper', async () => {
      const now = Date.now();
      await post('/appointments', {
        bookingId: 'DVC-2026-KIOSK',
        serviceId: 'thue',
        slotStart: now,
        slotEnd: now + 15 * 60_000,
      });
      await scan(page, appointmentQr('DVC-2026-KIOSK'));
      const label = await page.getByTestId('ticket-label').textContent();
      const ticket = tickets().find((t) => t.appointment?.bookingId === 'DVC-2026-KIOSK');
      expect(ticket?.label).toBe(label);
      expect(ticket?.source).toBe('appointment');
      expect((await page.getByTestId('ticket').textContent()) ?? '').toContain('Lịch hẹn');
      await eventually(() => kioskA.printed.find((p) => p.job.label === label), 5000, 'print');
      await page.getByTestId('ticket-done').click();
    }, 60_000);

    it('says the printer is out of paper, and shows the ticket on the screen to photograph or remember', async () => {
      kioskA.paper = 0;
      await kioskA.reportState();
      const banner = page.getByTestId('printer-down');
      await banner.waitFor({ timeout: 10_000 });
      expect(await banner.textContent()).toContain('Máy in tạm ngừng');
      await page.getByTestId('service-thue').click();
      await page.getByTestId('ticket').waitFor();
      const label = (await page.getByTestId('ticket-label').textContent()) ?? '';
      const said = page.getByTestId('ticket-print');
      expect(await said.getAttribute('data-print')).toBe('notPrinted');
      expect(await said.textContent()).toContain(`chụp ảnh màn hình này hoặc ghi nhớ số ${label}`);
      expect(await page.getByTestId('ticket-qr').locator('svg').count()).toBe(1);
      expect(await page.locator('body').textContent()).not.toContain('Vé đã được in');
      await page.evaluate('document.fonts.ready');
      await screenshot(page, 'kiosk-ticket-not-printed-1080x1920');
      expect(await overflowing(page)).toEqual([]);
      await new Promise((r) => setTimeout(r, 300));
      expect(kioskA.printed.some((p) => p.job.label === label)).toBe(false);
      await page.getByTestId('ticket-done').click();
      await kioskA.refill();
      await banner.waitFor({ state: 'detached', timeout: 10_000 });
    }, 60_000);

    it('tells the citizen at once when the paper it promised did not come out', async () => {
      // The roll ran out and the dispenser has not said so yet: the print command fails.
      kioskA.paper = 0;
      await page.getByTestId('service-thue').click();
      await page.getByTestId('ticket').waitFor();
      const label = (await page.getByTestId('ticket-label').textContent()) ?? '';
      const said = page.getByTestId('ticket-print');
      await expect.poll(() => said.getAttribute('data-print'), { timeout: 10_000 }).toBe('failed');
      expect(await said.textContent()).toContain('Không in được vé');
      expect(await said.textContent()).toContain(`ghi nhớ số ${label}`);
      await screenshot(page, 'kiosk-ticket-print-failed-1080x1920');
      await page.getByTestId('ticket-done').click();
      await kioskA.refill();
    }, 60_000);
  });

  describe('at 1920×1080, kiosk-b, with short idle times', () => {
    let page: Page;
    let errors: string[];
    beforeAll(async () => {
      ({ page, errors } = await open('dispenser=kiosk-b&idle=1.5&ticketIdle=1.5&scanGap=150', LANDSCAPE));
      await page.getByTestId('service-cu-tru').waitFor();
    }, 60_000);

    it('fits a landscape screen too', async () => {
      await page.evaluate('document.fonts.ready');
      await screenshot(page, 'kiosk-1920x1080');
      expect(await overflowing(page)).toEqual([]);
      expect(errors).toEqual([]);
    }, 60_000);

    it('does not take slow typing on a keyboard for a scan', async () => {
      await page.keyboard.type(appointmentQr('SLOW'), { delay: 300 });
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 500));
      expect(await page.getByTestId('notice').count()).toBe(0);
      expect(await page.getByTestId('busy').count()).toBe(0);
      expect(await page.getByTestId('scan-prompt').count()).toBe(1);
    }, 60_000);

    it('goes back to the start after the idle time: a chosen priority, a scanned card, a ticket', async () => {
      await page.getByTestId('priority-phu-nu-mang-thai').click();
      expect(await page.getByTestId('priority-phu-nu-mang-thai').getAttribute('aria-pressed')).toBe('true');
      await expect
        .poll(() => page.getByTestId('priority-none').getAttribute('aria-pressed'), { timeout: 10_000 })
        .toBe('true');

      await scan(page, SAMPLE_CCCD.adult);
      await page.getByTestId('identified').waitFor();
      expect(centre.controller.deviceService.heldIdentity('tang-1-khu-b')).not.toBeNull();
      await page.getByTestId('scan-prompt').waitFor({ timeout: 10_000 });
      // The card read for that citizen is not kept for the next one.
      await eventually(
        () => centre.controller.deviceService.heldIdentity('tang-1-khu-b') === null,
        5000,
        'released',
      );

      await page.getByTestId('service-cu-tru').click();
      await page.getByTestId('ticket').waitFor();
      const label = await page.getByTestId('ticket-label').textContent();
      expect(tickets().find((t) => t.label === label)?.citizenKey).toBeUndefined();
      await page.getByTestId('scan-prompt').waitFor({ timeout: 10_000 });
    }, 60_000);
  });

  // Every size the doc names, in portrait and landscape: the start screen and the ticket screen fit.
  describe('fits every kiosk screen size, portrait and landscape', () => {
    const SIZES = [
      [1080, 1920],
      [1920, 1080],
      [1280, 800],
      [800, 1280],
      [1280, 1024],
      [1024, 1280],
    ] as const;
    for (const [width, height] of SIZES) {
      it(`${width}×${height}: the start and the ticket screens`, async () => {
        const { page, errors } = await open('dispenser=kiosk-a', { width, height });
        await page.getByTestId('service-dat-dai').waitFor();
        await page.evaluate('document.fonts.ready');
        await screenshot(page, `kiosk-start-${width}x${height}`);
        expect(await overflowing(page), 'start screen').toEqual([]);
        await page.getByTestId('service-dat-dai').click();
        await page.getByTestId('ticket').waitFor();
        await page.evaluate('document.fonts.ready');
        await screenshot(page, `kiosk-ticket-${width}x${height}`);
        expect(await overflowing(page), 'ticket screen').toEqual([]);
        // The heading, the whole number and the "Xong" button are on the screen, none under another.
        for (const id of ['ticket-label', 'ticket-done', 'ticket-qr']) {
          const box = await page.getByTestId(id).boundingBox();
          expect(box, id).not.toBeNull();
          if (!box) continue;
          expect(box.y, id).toBeGreaterThanOrEqual(0);
          expect(box.y + box.height, id).toBeLessThanOrEqual(height + 1);
        }
        const head = await page.locator('.kiosk-head').boundingBox();
        const title = await page.locator('.kt-title').boundingBox();
        expect(head && title && title.y >= head.y + head.height - 1, 'title below the header').toBe(true);
        await page.getByTestId('ticket-done').click();
        expect(errors).toEqual([]);
        pages.splice(
          pages.findIndex((p) => p.page === page),
          1,
        );
        await page.context().close();
      }, 60_000);
    }
  });

  it('shows and receives no citizen key and no ID number: page, API answers, socket messages', async () => {
    const keys = tickets()
      .map((t) => t.citizenKey)
      .filter((k): k is string => k !== undefined);
    expect(keys.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(10);
    const everything = [...seen, ...(await Promise.all(pages.map(({ page }) => page.content())))];
    for (const text of everything) {
      expect(text).not.toContain('citizenKey');
      for (const secret of [...keys, ...ID_NUMBERS]) expect(text).not.toContain(secret);
    }
  }, 60_000);
});
