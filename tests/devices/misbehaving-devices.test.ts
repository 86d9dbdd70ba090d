/** Cheap devices misbehave; the centre must not notice, and staff must see which device it is. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCallPad, SimRatingKeypad } from '../../firmware-sim/devices/counter-devices.ts';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import type { SimCallDisplay } from '../../firmware-sim/devices/displays.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let centre: DeviceCentre;

beforeAll(async () => {
  centre = await startDeviceCentre();
  await postJson(`${centre.url}/api/counters/quay-1/login`, { staffId: 'nguyen-thi-thu-ha' });
});
afterAll(async () => centre?.stopAll());

describe('misbehaving devices', () => {
  it("a device flooding garbage does not stop another device's call from reaching its display", async () => {
    const { fleet } = centre;
    const kiosk = fleet.byId('kiosk-a') as SimDispenser;
    const pad = fleet.atCounter<SimCallPad>('quay-1', 'callPad') as SimCallPad;
    const display = fleet.atCounter<SimCallDisplay>('quay-1', 'callDisplay') as SimCallDisplay;
    const flooder = fleet.atCounter<SimRatingKeypad>('quay-2', 'ratingKeypad') as SimRatingKeypad;
    const issued = await kiosk.press('dat-dai');

    const flood = flooder.sendGarbage(3000);
    const started = Date.now();
    expect(await pad.press('next')).toMatchObject({ status: 'ok', data: { label: issued.data?.label } });
    await eventually(() => display.shown?.label === issued.data?.label, 3000, 'the call on the display');
    const latencyMs = Date.now() - started;
    await flood;
    expect(latencyMs).toBeLessThan(3000);

    const health = await eventually(
      () => {
        const h = centre.controller.devices.get('c2-keypad');
        return h && h.errors.rateLimited + h.errors.malformed + h.errors.oversized >= 100 ? h : null;
      },
      5000,
      'the garbage to be counted',
    );
    expect(health.errors.rateLimited).toBeGreaterThan(0); // most never even get parsed
    expect(health.lastError?.detail).toBeTruthy();
    await eventually(
      () =>
        centre.controller.devices
          .alerts()
          .find((a) => a.deviceId === 'c2-keypad' && a.kind === 'misbehaving'),
      3000,
      'the misbehaving alert',
    );
    expect(centre.controller.devices.get('c1-pad')?.errors.malformed).toBe(0);
    // And the controller still answers.
    expect((await fetch(`${centre.url}/healthz`)).status).toBe(200);
  });

  it('a device in a reconnect loop is slowed down while the others go on', async () => {
    const { fleet } = centre;
    const flapper = fleet.atCounter<SimCallPad>('quay-3', 'callPad') as SimCallPad;
    const kiosk = fleet.byId('kiosk-a') as SimDispenser;
    const flapping = flapper.flap(15, 5);
    const answers = await Promise.all([kiosk.press('thue'), kiosk.press('cu-tru'), kiosk.press('thue')]);
    expect(answers.map((a) => a.status)).toEqual(['ok', 'ok', 'ok']);
    await flapping;
    const refusals = centre.controller.devices.get('c3-pad')?.errors.unauthorized ?? 0;
    expect(refusals).toBeGreaterThan(0); // "reconnects too often": refused for a while
  });

  it('a device that goes quiet is reported offline only after the grace, and online again when back', async () => {
    const display = centre.fleet.atCounter<SimCallDisplay>('quay-4', 'callDisplay') as SimCallDisplay;
    await display.cutPower();
    await eventually(() => centre.controller.devices.get('c4-display')?.online === false, 3000, 'offline');
    expect(centre.controller.devices.alerts().some((a) => a.deviceId === 'c4-display')).toBe(false);
    await display.start();
    await eventually(() => centre.controller.devices.get('c4-display')?.online, 3000, 'online again');
  });
});
