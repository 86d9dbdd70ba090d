/** Scanners, reprints, the time broadcast and secret rotation, end to end over MQTT. */
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import { appointmentQr, SAMPLE_CCCD, type SimScanner } from '../../firmware-sim/devices/scanner.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let centre: DeviceCentre;
let kioskB: SimDispenser;
let kioskScanner: SimScanner;
let counterScanner: SimScanner;

beforeAll(async () => {
  centre = await startDeviceCentre();
  kioskB = centre.fleet.byId('kiosk-b') as SimDispenser;
  kioskScanner = centre.fleet.byId('kiosk-b-scanner') as SimScanner;
  counterScanner = centre.fleet.byId('c1-scanner') as SimScanner;
});
afterAll(async () => centre?.stopAll());

const tickets = () => Object.values(centre.controller.queue.state.tickets);

describe('scanners', () => {
  it('an elderly citizen scans their ID card at the kiosk, then gets a priority ticket tied to a hashed id', async () => {
    const scanned = await kioskScanner.scan(SAMPLE_CCCD.elderly);
    expect(scanned).toMatchObject({ status: 'ok', data: { identified: true, priority: 'Người cao tuổi' } });
    const pressed = await kioskB.press('cu-tru');
    const ticket = tickets().find((t) => t.label === pressed.data?.label);
    expect(ticket).toMatchObject({
      priorityClassId: 'nguoi-cao-tuoi',
      citizenKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // Nothing of the card but the keyed hash is kept: not the number, not the name.
    const everything = JSON.stringify(centre.controller.queue.state);
    expect(everything).not.toContain('049056001234');
    expect(everything).not.toContain('Trần Thị Bích');
    const printed = await eventually(
      () => kioskB.printed.find((p) => p.job.label === pressed.data?.label),
      3000,
      'print',
    );
    expect(printed.job.priority).toBe('Người cao tuổi');
  });

  it('refuses a second ticket for the same person at the scan, with the reason on the device', async () => {
    const again = await kioskScanner.scan(SAMPLE_CCCD.elderly);
    expect(again).toMatchObject({
      status: 'error',
      error: { code: 'alreadyHasTicket', text: 'Công dân đã có số thứ tự đang chờ' },
    });
  });

  it("checks a booking in from its QR code and prints the ticket on the zone's dispenser", async () => {
    const now = Date.now();
    const booked = await postJson(`${centre.url}/api/appointments`, {
      bookingId: 'BK-2026-0042',
      serviceId: 'bao-hiem-xa-hoi',
      slotStart: now,
      slotEnd: now + 15 * 60_000,
    });
    expect(booked.status).toBe(201);
    const scanned = await kioskScanner.scan(appointmentQr('BK-2026-0042'));
    expect(scanned).toMatchObject({ status: 'ok', data: { label: expect.any(String) } });
    await eventually(
      () => kioskB.printed.find((p) => p.job.label === scanned.data?.label),
      3000,
      'the booking ticket printed',
    );
    const ticketId = scanned.data?.ticketId as string;
    expect(
      (await postJson(`${centre.url}/api/tickets/${encodeURIComponent(ticketId)}/reprint`, {})).status,
    ).toBe(200);
    await eventually(
      () => kioskB.printed.filter((p) => p.job.label === scanned.data?.label).length === 2,
      3000,
      'the reprint on the zone dispenser',
    );
    const twice = await kioskScanner.scan(appointmentQr('BK-2026-0042'));
    expect(twice).toMatchObject({ status: 'error', error: { code: 'bookingUsed' } });
  });

  it('links a dossier code and an ID card scanned at a counter to the visit there', async () => {
    await postJson(`${centre.url}/api/counters/quay-1/login`, { staffId: 'nguyen-thi-thu-ha' });
    const issued = (await postJson(`${centre.url}/api/tickets`, { serviceId: 'dat-dai', source: 'staff' }))
      .json.ticket;
    await postJson(`${centre.url}/api/counters/quay-1/next`, {});
    expect(await counterScanner.scan('000.00.12.H42-261123-0042', 'code128')).toMatchObject({ status: 'ok' });
    expect(await counterScanner.scan(SAMPLE_CCCD.adult)).toMatchObject({ status: 'ok' });
    const ticket = tickets().find((t) => t.id === issued.id);
    expect(ticket).toMatchObject({
      dossierCode: '000.00.12.H42-261123-0042',
      citizenKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('says so when it cannot read a code, or a code is used in the wrong place', async () => {
    expect(await kioskScanner.scan('hello')).toMatchObject({
      status: 'error',
      error: { code: 'unknownCode' },
    });
    expect(await kioskScanner.scan('000.00.12.H42-261123-0042')).toMatchObject({
      status: 'error',
      error: { code: 'notHere' },
    });
  });
});

describe('other device duties', () => {
  it('reprints a ticket on the dispenser that printed it', async () => {
    const pressed = await kioskB.press('thue');
    const ticketId = pressed.data?.ticketId as string;
    await eventually(
      () => kioskB.printed.filter((p) => p.job.label === pressed.data?.label).length === 1,
      3000,
      'print',
    );
    expect(
      (await postJson(`${centre.url}/api/tickets/${encodeURIComponent(ticketId)}/reprint`, {})).status,
    ).toBe(200);
    await eventually(
      () => kioskB.printed.filter((p) => p.job.label === pressed.data?.label).length === 2,
      3000,
      'reprint',
    );
  });

  it('reprints a ticket taken on another screen (printAt) on the dispenser that printed it', async () => {
    const taken = await postJson(`${centre.url}/api/tickets`, {
      serviceId: 'cu-tru',
      source: 'kiosk',
      printAt: 'kiosk-b',
    });
    expect(taken.status).toBe(201);
    const { id, label } = taken.json.ticket as { id: string; label: string };
    await eventually(() => kioskB.printed.filter((p) => p.job.label === label).length === 1, 3000, 'print');
    expect((await postJson(`${centre.url}/api/tickets/${encodeURIComponent(id)}/reprint`, {})).status).toBe(
      200,
    );
    await eventually(() => kioskB.printed.filter((p) => p.job.label === label).length === 2, 3000, 'reprint');
  });

  it('broadcasts the time, so devices without a clock show the right one', async () => {
    const clock = await eventually(() => kioskB.clock, 3000, 'the time broadcast');
    expect(clock.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(Math.abs(clock.now - Date.now())).toBeLessThan(120_000);
  });

  it('rotates a device secret over the API: the new one works, the old one no longer does', async () => {
    const res = await postJson(`${centre.url}/api/devices/c8-keypad/secret`, {});
    expect(res).toMatchObject({ status: 201, json: { deviceId: 'c8-keypad', secret: expect.any(String) } });
    const connect = (password: string) =>
      mqtt.connectAsync(centre.mqttUrl, {
        clientId: 'c8-keypad',
        username: 'c8-keypad',
        password,
        reconnectPeriod: 0,
      });
    await expect(connect(centre.secrets['c8-keypad'] as string)).rejects.toThrow(/Bad username or password/);
    const client = await connect(res.json.secret);
    await client.endAsync();
    const stored = JSON.stringify(centre.controller.centre.config.devices.find((d) => d.id === 'c8-keypad'));
    expect(stored).not.toContain(res.json.secret);
  });
});
