/** A dispenser's ESC/POS printer and a serial scanner, through real pseudo-terminals (socat). */
import type { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EscPosPrinterSim } from '../../firmware-sim/serial/escpos-printer-sim.ts';
import { postJson } from '../helpers/controller-process.ts';
import { eventually } from '../helpers/device-centre.ts';
import { type SerialCentre, startSerialCentre } from '../helpers/serial-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

describe.runIf(requireProgram('socat', 'socat'))('serial printer and scanner over ptys', () => {
  let centre: SerialCentre;
  let printer: EscPosPrinterSim;

  const attachPrinter = async (paper: number) => {
    const port: SerialPort = await centre.openDevice(centre.printer, 19_200);
    const sim = new EscPosPrinterSim({ paper, nearEndAt: 1, answer: (bytes) => port.write(bytes) });
    port.on('data', (chunk: Buffer) => sim.write(chunk));
    return sim;
  };

  beforeAll(async () => {
    centre = await startSerialCentre();
    printer = await attachPrinter(2);
  });
  afterAll(async () => centre?.stopAll());

  const issue = (serviceId: string) =>
    postJson(`${centre.url}/api/tickets`, { serviceId, source: 'kiosk', printAt: 'kiosk-c' });

  it('prints a ticket with every diacritic intact and the right QR payload', async () => {
    await eventually(
      () => centre.controller.devices.get('kiosk-c')?.online,
      5000,
      'the printer to answer its status',
    );
    const issued = await issue('lao-dong-thuong-binh-xa-hoi');
    expect(issued.status).toBe(201);
    const ticket = await eventually(() => printer.tickets[0], 5000, 'the printed ticket');
    const text = ticket.lines.join(' ').replace(/\s+/g, ' '); // long lines are wrapped to the paper width
    expect(text).toContain('Trung tâm Phục vụ hành chính công tỉnh Quảng Nam');
    expect(text).toContain('Lao động – Thương binh và Xã hội');
    expect(text).toContain(issued.json.ticket.label);
    expect(text).toContain('Số người đang chờ trước: 0');
    expect(ticket.qr).toMatch(
      new RegExp(
        `^${centre.started.publicUrl}/t/${encodeURIComponent(issued.json.ticket.id)}/[A-Za-z0-9_-]{22}$`,
      ),
    );
    expect(ticket.cut).toBe('partial');
  });

  it('raises the paper alert when the roll runs out, and refuses nothing silently', async () => {
    await issue('thue');
    await eventually(() => printer.tickets.length === 2, 5000, 'the second ticket');
    const alert = await eventually(
      () => centre.controller.devices.alerts().find((a) => a.deviceId === 'kiosk-c' && a.kind === 'paperOut'),
      8000,
      'the paper-out alert from the status poll',
    );
    expect(alert.message).toMatch(/^Máy in kiosk-c \(Tầng 1 – Khu B.*\) hết giấy$/);
    expect(centre.controller.devices.get('kiosk-c')?.printer).toMatchObject({ paper: 'out' });
    // No number without paper: a page printing on it is refused before a ticket exists.
    const before = Object.keys(centre.controller.queue.state.tickets).length;
    const refused = await issue('thue');
    expect(refused).toMatchObject({ status: 409, json: { error: { code: 'printerUnavailable' } } });
    expect(Object.keys(centre.controller.queue.state.tickets)).toHaveLength(before);
  });

  it('recovers when the USB-serial adapter is unplugged and plugged back, without a restart', async () => {
    await centre.printer.unplug();
    await eventually(
      () => centre.controller.devices.get('kiosk-c')?.online === false,
      8000,
      'printer offline',
    );
    await centre.printer.plug();
    printer = await attachPrinter(100);
    await eventually(() => centre.controller.devices.get('kiosk-c')?.online, 8000, 'printer back');
    await eventually(
      () => !centre.controller.devices.alerts().some((a) => a.kind === 'paperOut'),
      8000,
      'alert cleared',
    );
    await issue('cu-tru');
    await eventually(() => printer.tickets[0], 5000, 'a ticket after replugging');
  });

  it('a serial scanner checks a booking in from its QR code', async () => {
    const now = Date.now();
    await postJson(`${centre.url}/api/appointments`, {
      bookingId: 'BK-SERIAL-1',
      serviceId: 'thue',
      slotStart: now,
      slotEnd: now + 15 * 60_000,
    });
    const scanner = await centre.openDevice(centre.scanner);
    await eventually(
      () => centre.controller.devices.get('kiosk-a-scanner')?.online,
      5000,
      'scanner port open',
    );
    scanner.write('QMS-APPT:BK-SERIAL-1\r');
    const ticket = await eventually(
      () =>
        Object.values(centre.controller.queue.state.tickets).find(
          (t) => t.appointment?.bookingId === 'BK-SERIAL-1',
        ),
      5000,
      'the checked-in ticket',
    );
    expect(ticket).toMatchObject({ source: 'appointment', issuedBy: 'kiosk-a-scanner', serviceId: 'thue' });
  });
});
