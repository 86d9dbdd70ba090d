/** A whole visit driven only by devices, over the real broker. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCallPad, SimRatingKeypad } from '../../firmware-sim/devices/counter-devices.ts';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import type { SimCallDisplay } from '../../firmware-sim/devices/displays.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let centre: DeviceCentre;
let kiosk: SimDispenser;
let pad: SimCallPad;
let display: SimCallDisplay;
let keypad: SimRatingKeypad;

beforeAll(async () => {
  centre = await startDeviceCentre();
  const { fleet } = centre;
  kiosk = fleet.byId('kiosk-a') as SimDispenser;
  pad = fleet.atCounter<SimCallPad>('quay-1', 'callPad') as SimCallPad;
  display = fleet.atCounter<SimCallDisplay>('quay-1', 'callDisplay') as SimCallDisplay;
  keypad = fleet.atCounter<SimRatingKeypad>('quay-1', 'ratingKeypad') as SimRatingKeypad;
  await postJson(`${centre.url}/api/counters/quay-1/login`, { staffId: 'nguyen-thi-thu-ha' });
});
afterAll(async () => centre?.stopAll());

describe('a visit driven by devices', () => {
  it('button → printed ticket → next → display → finish → one rating, even when repeated', async () => {
    // Every device announced itself and got its setup.
    await eventually(() => centre.controller.devices.get('kiosk-a')?.firmware, 3000, 'birth of kiosk-a');
    await eventually(() => kiosk.services.length > 0, 3000, 'setup of kiosk-a');
    expect(centre.controller.devices.get('c1-display')).toMatchObject({
      online: true,
      firmware: 'sim-1.0.0',
    });

    const pressed = await kiosk.press('dat-dai');
    expect(pressed).toMatchObject({ status: 'ok', data: { label: '1001' } });
    const printed = await eventually(() => kiosk.printed[0], 3000, 'the print job');
    expect(printed.job).toMatchObject({ serviceName: 'Đất đai', label: '1001', peopleAhead: 0 });
    // The citizen's own link: the ticket id and its unguessable key (128 bits, base64url).
    expect(printed.job.qrUrl).toMatch(/\/t\/2026-\d\d-\d\d%3Adat-dai%3A1\/[A-Za-z0-9_-]{22}$/);
    expect(printed.text).toContain('SỐ THỨ TỰ: 1001');

    expect(await pad.press('next')).toMatchObject({ status: 'ok', data: { label: '1001' } });
    const shown = await eventually(
      () => (display.shown?.label === '1001' ? display.shown : null),
      3000,
      'the display',
    );
    expect(shown).toMatchObject({ counterNumber: 1, state: 'called', blink: true });

    expect(await pad.press('finish')).toMatchObject({ status: 'ok' });
    await eventually(() => display.shown?.state === 'open', 3000, 'the display to clear');
    await eventually(() => keypad.prompt?.ticketLabel === '1001', 3000, 'the rating prompt');

    keypad.faults.duplicates = true; // every event sent twice, as a flaky QoS 1 link would
    expect(await keypad.press(1)).toMatchObject({ status: 'ok' });
    keypad.faults.duplicates = false;
    const again = await keypad.press(2);
    expect(again).toMatchObject({
      status: 'error',
      error: { code: 'alreadyRated', text: expect.stringContaining('đã được đánh giá') },
    });

    const ticket = Object.values(centre.controller.queue.state.tickets).find((t) => t.label === '1001');
    expect(ticket?.rating).toMatchObject({ level: 1, notSatisfied: false });
    const ratedEvents = centre.controller.queue.state.seq; // no double counting: exactly one visitRated
    expect(ratedEvents).toBeGreaterThan(0);
    await eventually(
      () => centre.controller.devices.get('c1-keypad')?.errors.duplicate === 1,
      3000,
      'the duplicate counted',
    );
  });

  it('refuses a button press while the printer has no paper, and raises the alert', async () => {
    kiosk.paper = 0;
    await kiosk.reportState();
    await eventually(
      () => centre.controller.devices.alerts().find((a) => a.deviceId === 'kiosk-a' && a.kind === 'paperOut'),
      3000,
      'the paper alert',
    );
    const refused = await kiosk.press('thue');
    expect(refused).toMatchObject({ status: 'error', error: { code: 'printerUnavailable' } });
    await kiosk.refill();
    await eventually(
      () => !centre.controller.devices.alerts().some((a) => a.kind === 'paperOut'),
      3000,
      'the alert to clear',
    );
    expect(await kiosk.press('thue')).toMatchObject({ status: 'ok' });
  });

  it('shows the right number again after a display reboots (retained state)', async () => {
    const issued = await kiosk.press('tai-nguyen-moi-truong');
    expect(await pad.press('next')).toMatchObject({ status: 'ok', data: { label: issued.data?.label } });
    const label = await eventually(
      () => (display.shown?.label === issued.data?.label ? display.shown?.label : null),
      3000,
      'the call',
    );
    await display.cutPower();
    display.shown = null;
    await display.reboot();
    const after = await eventually(() => display.shown, 3000, 'the retained state');
    expect(after.label).toBe(label);
  });
});
