/**
 * One citizen across every screen, as the centre runs it: the controller's real access policy
 * (demo accounts), the demo fleet as real MQTT devices, and five pages in Chromium. The citizen
 * scans their ID card and takes a ticket at the kiosk; the staff member calls them from the staff
 * console; the hall display shows and announces the call and the counter's display device shows it;
 * the citizen's phone page says "your turn"; the visit is finished and rated "not satisfied" on the
 * counter's keypad; the manager dashboard shows the visit served, the rating and its follow-up.
 * Then: no public page or public message carries the citizen's name, ID number or key.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import type { SimRatingKeypad } from '../../firmware-sim/devices/counter-devices.ts';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import type { SimCallDisplay } from '../../firmware-sim/devices/displays.ts';
import { SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import { hasChromium, launchChromium, openPage, overflowing, screenshot } from '../helpers/browser.ts';
import { signIn } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

const [ID_NUMBER, , CITIZEN_NAME] = SAMPLE_CCCD.adult.split('|') as [string, string, string];

describe.skipIf(!hasChromium())('a visit across every screen (Chromium, real accounts, MQTT devices)', () => {
  let centre: DeviceCentre;
  let browser: Browser;
  const pages: Record<'kiosk' | 'hall' | 'staff' | 'manager' | 'phone', Page> = {} as never;
  const errors: string[] = [];
  let label = '';
  let ticketUrl = '';

  const open = async (name: keyof typeof pages, path: string, width: number, height: number) => {
    const opened = await openPage(browser, `${centre.url}${path}`, { width, height });
    opened.page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
    pages[name] = opened.page;
  };

  beforeAll(async () => {
    centre = await startDeviceCentre({ access: null });
    browser = await launchChromium();
    await open('manager', '/manager', 1920, 1080);
    await open('staff', '/staff?counter=quay-1', 1280, 800);
    await open('hall', '/hall?zone=tang-1-khu-a', 1920, 1080);
    await open('kiosk', '/kiosk?dispenser=kiosk-a&scanGap=1000', 1080, 1920);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await centre?.stopAll();
  });

  it('staff and manager sign in with their accounts', async () => {
    const { manager, staff } = pages;
    await manager.locator('input[name=username]').fill(DEMO_MANAGER.username);
    await manager.locator('input[name=password]').fill(DEMO_MANAGER.password);
    await manager.locator('[data-testid=signin-form] button[type=submit]').click();
    await expect.poll(() => manager.getByTestId('user-name').textContent()).toBe(DEMO_MANAGER.name);
    await expect.poll(() => manager.getByTestId('tile-served-value').textContent()).toBe('0');

    await staff.getByTestId('username').selectOption('nguyen-thi-thu-ha');
    await staff.getByTestId('password').fill(DEMO_STAFF_PIN);
    await staff.getByTestId('sign-in-submit').click();
    await expect.poll(() => staff.getByTestId('counter-status').textContent()).toBe('Đang mở');
  });

  it('the kiosk is not registered: it shows a code, the manager pairs it on the dashboard (issue 13)', async () => {
    const { kiosk, manager } = pages;
    const code = kiosk.getByTestId('pairing-code');
    await expect.poll(() => code.textContent()).toMatch(/^\d{3} \d{3}$/);
    await screenshot(kiosk, 'e2e-kiosk-pairing-1080x1920');
    const digits = ((await code.textContent()) ?? '').replace(' ', '');
    await manager.getByTestId('kiosks-open').click();
    await manager.getByTestId('kiosks-dialog').locator('input[name=code]').fill(digits);
    await manager.getByTestId('pair-submit').click();
    await expect.poll(() => manager.getByTestId('kiosk-row').count()).toBe(1);
    await screenshot(manager, 'e2e-manager-kiosks-1920x1080');
    await manager.getByTestId('kiosks-dialog').getByRole('button', { name: 'Đóng' }).last().click();
    // The kiosk holds its own credential now and starts.
    await kiosk.getByTestId('scan-prompt').waitFor({ timeout: 15_000 });
  });

  it('the citizen scans their ID card and takes a ticket at the kiosk; the dispenser prints it', async () => {
    const { kiosk } = pages;
    await kiosk.getByTestId('scan-prompt').waitFor();
    await kiosk.keyboard.type(SAMPLE_CCCD.adult);
    await kiosk.keyboard.press('Enter');
    await kiosk.getByTestId('identified').waitFor();
    await kiosk.getByTestId('service-dat-dai').click();
    label = (await kiosk.getByTestId('ticket-label').textContent()) ?? '';
    expect(label).toBe('1001');
    ticketUrl = (await kiosk.getByTestId('ticket-link').textContent()) ?? '';
    expect(ticketUrl).toMatch(/\/t\/\d{4}-\d\d-\d\d(:|%3A)dat-dai(:|%3A)1\/[A-Za-z0-9_-]{22}$/);
    const dispenser = centre.fleet.byId('kiosk-a') as SimDispenser;
    const printed = await eventually(
      () => dispenser.printed.find((p) => p.job.label === label),
      5000,
      'print',
    );
    expect(decodeURIComponent(printed.job.qrUrl)).toBe(decodeURIComponent(ticketUrl));
    expect(await kiosk.getByTestId('ticket-qr').locator('svg').count()).toBe(1); // the same link, on screen
    await screenshot(kiosk, 'e2e-kiosk-ticket-1080x1920');

    // The citizen opens the QR link on their phone.
    await open('phone', new URL(ticketUrl).pathname, 390, 844);
    await expect.poll(() => pages.phone.getByTestId('ticket-label').textContent()).toBe(label);
    await expect.poll(() => pages.phone.getByTestId('ticket-ahead').textContent()).toMatch(/0/);
  });

  it('the staff console calls the ticket; the hall shows and announces it; the counter display shows it', async () => {
    const { staff, hall, phone } = pages;
    await expect.poll(() => staff.getByTestId('waiting-count').textContent()).toBe('1');
    await staff.keyboard.press('n');
    await expect.poll(() => staff.getByTestId('current-number').textContent()).toBe(label);

    await expect.poll(() => hall.getByTestId('current-label').textContent()).toBe(label);
    expect(await hall.getByTestId('current-counter').textContent()).toBe('1');
    const announcing = hall.getByTestId('announcing');
    await expect
      .poll(() => announcing.textContent(), { timeout: 30_000 })
      .toBe(
        `Mời công dân có số thứ tự ${label} đến quầy số 1 tại Tầng 1 – Khu A (Đất đai, Xây dựng, Đầu tư, Thuế)`,
      );
    await screenshot(hall, 'e2e-hall-1920x1080');
    await expect.poll(() => announcing.getAttribute('data-completed'), { timeout: 60_000 }).toBe('1');

    const display = centre.fleet.atCounter<SimCallDisplay>('quay-1', 'callDisplay') as SimCallDisplay;
    await eventually(() => display.shown?.label === label, 5000, 'counter display shows the number');
    expect(display.blinks).toContain(label);

    await phone.getByTestId('called-notice').waitFor();
    expect(await phone.getByTestId('called-notice').textContent()).toContain('quầy số 1');
    await screenshot(phone, 'e2e-ticket-called-390x844');
  }, 90_000);

  it('the visit is finished and rated on the keypad; the manager dashboard shows it', async () => {
    const { staff, manager } = pages;
    await staff.keyboard.press('s');
    await expect.poll(() => staff.getByTestId('current-state').textContent()).toBe('Đang phục vụ');
    await staff.keyboard.press('f');
    await staff.getByTestId('no-current').waitFor();

    const keypad = centre.fleet.atCounter<SimRatingKeypad>('quay-1', 'ratingKeypad') as SimRatingKeypad;
    await eventually(() => keypad.prompt?.ticketLabel === label, 5000, 'the keypad lights up for the visit');
    await keypad.press(4); // "Không hài lòng"

    await expect.poll(() => manager.getByTestId('tile-served-value').textContent()).toBe('1');
    const followUp = manager.locator(`[data-testid=followup][data-ticket="${label}"]`);
    await followUp.waitFor();
    expect(await followUp.textContent()).toContain('Nguyễn Thị Thu Hà');
    expect(await manager.getByTestId('counter-quay-1').locator('[data-col=served]').textContent()).toBe('1');
    await screenshot(manager, 'e2e-manager-1920x1080');
    expect(await overflowing(manager)).toEqual([]);
  });

  it("the manager opens a counter from the dashboard, and finds it in the audit log with everyone's sign-in", async () => {
    const { manager } = pages;
    await manager.getByTestId('open-quay-2').click();
    await manager.getByTestId('close-quay-2').waitFor();
    await manager.getByTestId('audit-open').click();
    const entries = manager.getByTestId('audit-entry');
    await expect.poll(() => entries.count()).toBeGreaterThanOrEqual(3);
    const rows = await entries.allTextContents();
    // In words: who (the account's name), what, to what, the result — not the raw request.
    expect(rows[0]).toContain('Quản lý Trung tâm (demo)Mở quầyQuầy 2Thành công');
    expect(rows.some((r) => r.includes('Nguyễn Thị Thu HàĐăng nhậpQuầy 1Thành công'))).toBe(true);
    expect(rows.some((r) => r.includes('Quản lý Trung tâm (demo)Đăng nhập'))).toBe(true);
    await screenshot(manager, 'e2e-manager-audit-1920x1080');
  });

  it('the manager gives a staff member a new account from the dashboard; it signs in at once', async () => {
    const { manager } = pages;
    await manager.keyboard.press('Escape'); // the audit log dialog
    await manager.getByTestId('accounts-open').click();
    const form = manager.getByTestId('account-form');
    await form.locator('input[name=username]').fill('phuoc.bui');
    await form.locator('select[name=staffId]').selectOption('bui-van-phuoc');
    await form.locator('input[name=password]').fill('246813');
    await form.locator('button[type=submit]').click();
    await manager.locator('[data-testid=account-row][data-username="phuoc.bui"]').waitFor();
    expect(await manager.getByTestId('accounts-message').textContent()).toBe('Đã lưu tài khoản phuoc.bui');
    await screenshot(manager, 'e2e-manager-accounts-1920x1080');
    await signIn(centre.url, { username: 'phuoc.bui', password: '246813', counterId: 'quay-6' });
  });

  it('public pages and public answers carry no name, ID number or citizen key', async () => {
    const stored =
      centre.controller.queue.state.tickets[Object.keys(centre.controller.queue.state.tickets)[0] as string];
    const citizenKey = stored?.citizenKey as string;
    expect(citizenKey).toMatch(/.{20,}/); // the ticket is tied to the card, by a keyed hash only
    const secrets = [ID_NUMBER, CITIZEN_NAME, citizenKey];
    for (const name of ['kiosk', 'hall', 'phone'] as const) {
      const html = await pages[name].content();
      for (const s of secrets) expect(html, `${name} page`).not.toContain(s);
    }
    for (const path of [
      '/api/queue',
      `/api/tickets/${encodeURIComponent(stored?.id ?? '')}`,
      '/api/centre',
    ]) {
      const body = await (await fetch(`${centre.url}${path}`)).text();
      for (const s of secrets) expect(body, path).not.toContain(s);
    }
    expect(errors).toEqual([]);
  });
});
