/** Counter displays on an RS-485 bus, through a real pseudo-terminal made by socat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisplayBusSim } from '../../firmware-sim/serial/display-bus-sim.ts';
import { postJson } from '../helpers/controller-process.ts';
import { eventually } from '../helpers/device-centre.ts';
import { type SerialCentre, startSerialCentre } from '../helpers/serial-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

describe.runIf(requireProgram('socat', 'socat'))('RS-485 counter displays over a pty', () => {
  let centre: SerialCentre;
  const sim = new DisplayBusSim([5, 6]);

  beforeAll(async () => {
    centre = await startSerialCentre();
    sim.attach(await centre.openDevice(centre.bus));
    await postJson(`${centre.url}/api/counters/quay-5/login`, { staffId: 'vo-thi-my-linh' });
    await postJson(`${centre.url}/api/counters/quay-6/login`, { staffId: 'huynh-ngoc-tuan' });
  });
  afterAll(async () => centre?.stopAll());

  const call = async (counterId: string, serviceId: string) => {
    const issued = await postJson(`${centre.url}/api/tickets`, { serviceId, source: 'kiosk' });
    const called = await postJson(`${centre.url}/api/counters/${counterId}/next`, {});
    expect(called.json.ticket?.label).toBe(issued.json.ticket.label);
    return issued.json.ticket.label as string;
  };

  it('a call reaches the right display on a bus of several', async () => {
    const label = await call('quay-6', 'tu-phap-ho-tich');
    const shown = await eventually(
      () => (sim.shown(6)?.label === label ? sim.shown(6) : null),
      3000,
      'display 6',
    );
    expect(shown).toMatchObject({ mode: 'called', counterNumber: 6 });
    expect(sim.shown(5)?.label ?? null).not.toBe(label);
    await eventually(() => centre.controller.devices.get('c6-led')?.online, 3000, 'c6-led online');
  });

  it('a display that stops answering is marked offline; the other still gets its calls', async () => {
    sim.silence(5, true);
    const label6 = await call('quay-6', 'tu-phap-ho-tich');
    const missed = await call('quay-5', 'lao-dong-thuong-binh-xa-hoi');
    await eventually(() => sim.shown(6)?.label === label6, 3000, 'display 6 still served');
    await eventually(() => centre.controller.devices.get('c5-led')?.online === false, 3000, 'c5-led offline');
    sim.silence(5, false);
    // Back without any new call: it is brought up to date with the call it missed.
    await eventually(
      () => sim.shown(5)?.label === missed,
      10_000,
      'display 5 refreshed when it answers again',
    );
    await eventually(() => centre.controller.devices.get('c5-led')?.online, 3000, 'c5-led online');
    const label5 = await call('quay-5', 'lao-dong-thuong-binh-xa-hoi');
    await eventually(() => sim.shown(5)?.label === label5, 3000, 'display 5 back');
    await eventually(() => centre.controller.devices.get('c5-led')?.online, 3000, 'c5-led online again');
  });

  it('recovers without a restart when the adapter is unplugged and plugged back', async () => {
    const before = sim.shown(6)?.label;
    expect(before).toBeTruthy();
    await centre.bus.unplug();
    // The adapter is gone: so, for the controller, are the displays on it.
    await eventually(
      () =>
        !centre.controller.devices.get('c5-led')?.online && !centre.controller.devices.get('c6-led')?.online,
      5000,
      'the bus displays offline',
    );
    await centre.bus.plug();
    const replugged = new DisplayBusSim([5, 6]);
    replugged.attach(await centre.openDevice(centre.bus));
    // The controller reopens the port every 2 s and writes each display's current state again.
    await eventually(
      () => replugged.shown(6)?.label === before,
      8000,
      'display 6 refreshed after replugging',
    );
    await eventually(() => centre.controller.devices.get('c6-led')?.online, 3000, 'c6-led online again');
    const label = await call('quay-6', 'tu-phap-ho-tich');
    await eventually(() => replugged.shown(6)?.label === label, 5000, 'the call after replugging');
  });
});
