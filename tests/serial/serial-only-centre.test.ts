/**
 * A centre whose devices are all on this PC's serial ports: its ESC/POS printer and its RS-485
 * counter displays work with no MQTT device transport registered or started (the device service
 * does not need the broker), and an MQTT-only centre never loads serialport or node-hid.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { DisplayBusSim } from '../../firmware-sim/serial/display-bus-sim.ts';
import { EscPosPrinterSim } from '../../firmware-sim/serial/escpos-printer-sim.ts';
import { postJson, tempDataDir } from '../helpers/controller-process.ts';
import { eventually } from '../helpers/device-centre.ts';
import { type SerialCentre, startSerialCentre } from '../helpers/serial-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

describe.runIf(requireProgram('socat', 'socat'))('a serial-only centre', () => {
  let centre: SerialCentre;
  let printer: EscPosPrinterSim;
  const displays = new DisplayBusSim([5, 6]);

  beforeAll(async () => {
    centre = await startSerialCentre({ serialOnly: true });
    const port: SerialPort = await centre.openDevice(centre.printer, 19_200);
    printer = new EscPosPrinterSim({ paper: 100, nearEndAt: 1, answer: (bytes) => port.write(bytes) });
    port.on('data', (chunk: Buffer) => printer.write(chunk));
    displays.attach(await centre.openDevice(centre.bus));
  });
  afterAll(async () => centre?.stopAll());

  it('has only serial devices, and no MQTT transport', () => {
    expect(centre.controller.centre.config.devices.every((d) => d.transport === 'serial')).toBe(true);
    expect(centre.controller.deviceService.transports).toEqual(['serial']);
  });

  it('prints its tickets on the serial printer', async () => {
    await eventually(() => centre.controller.devices.get('kiosk-c')?.online, 5000, 'the printer online');
    const issued = await postJson(`${centre.url}/api/tickets`, {
      serviceId: 'thue',
      source: 'kiosk',
      printAt: 'kiosk-c',
    });
    expect(issued.status).toBe(201);
    const ticket = await eventually(() => printer.tickets[0], 5000, 'the printed ticket');
    expect(ticket.lines.join(' ')).toContain(issued.json.ticket.label);
  });

  it('shows its calls on the RS-485 counter displays', async () => {
    await postJson(`${centre.url}/api/counters/quay-6/login`, { staffId: 'huynh-ngoc-tuan' });
    const issued = await postJson(`${centre.url}/api/tickets`, {
      serviceId: 'tu-phap-ho-tich',
      source: 'kiosk',
    });
    const called = await postJson(`${centre.url}/api/counters/quay-6/next`, {});
    expect(called.json.ticket?.label).toBe(issued.json.ticket.label);
    const shown = await eventually(
      () => (displays.shown(6)?.label === issued.json.ticket.label ? displays.shown(6) : null),
      3000,
      'display 6',
    );
    expect(shown).toMatchObject({ mode: 'called', counterNumber: 6 });
  });
});

describe('which native device modules a centre loads', () => {
  const probe = (devices: (d: { transport?: string }) => object | null) => {
    const temp = tempDataDir('hall-natives-');
    try {
      const config = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
      config.devices = config.devices.flatMap((d: { transport?: string }) => devices(d) ?? []);
      const file = join(temp.dir, 'centre.json');
      writeFileSync(file, JSON.stringify(config));
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'tests/helpers/native-modules-probe.ts', file, join(temp.dir, 'data')],
        { encoding: 'utf8' },
      );
      return JSON.parse(out.trim().split('\n').at(-1) ?? '{}');
    } finally {
      temp.remove();
    }
  };

  it('an MQTT-only centre never loads serialport or node-hid', () => {
    const report = probe((d) => ((d.transport ?? 'mqtt') === 'mqtt' ? d : null));
    expect(report).toEqual({ transports: ['mqtt'], serialport: false, nodeHid: false });
  }, 60_000);

  it('a centre with installed serial and USB devices does load them (the probe sees them)', () => {
    const report = probe((d) =>
      d.transport === 'serial' || d.transport === 'hid' ? { ...d, installed: true } : d,
    );
    expect(report).toEqual({ transports: ['mqtt', 'serial', 'hid'], serialport: true, nodeHid: true });
  }, 60_000);
});
