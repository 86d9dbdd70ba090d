/** The kiosk page's API: a touch screen acting as its dispenser, with real MQTT dispensers printing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessPolicy } from '../../controller/http/access.ts';
import { refusalStatus } from '../../controller/http/kiosk-routes.ts';
import type { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import { appointmentQr, SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson, type ResponseJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let centre: DeviceCentre;
let kioskA: SimDispenser;
let kioskB: SimDispenser;

beforeAll(async () => {
  centre = await startDeviceCentre();
  kioskA = centre.fleet.byId('kiosk-a') as SimDispenser;
  kioskB = centre.fleet.byId('kiosk-b') as SimDispenser;
});
afterAll(async () => centre?.stopAll());

const post = (path: string, body: unknown) => postJson(`${centre.url}/api${path}`, body);
const state = () => centre.controller.queue.state;
const ID_NUMBERS = ['049056001234', '049092004321', '049203007777'];

/** Nothing of the citizen in an answer: no key (the field, or any key's value), no ID number, no name. */
function expectNoPersonalData(json: ResponseJson): void {
  const text = JSON.stringify(json);
  expect(text).not.toContain('citizenKey');
  for (const t of Object.values(state().tickets)) if (t.citizenKey) expect(text).not.toContain(t.citizenKey);
  for (const id of ID_NUMBERS) expect(text).not.toContain(id);
  expect(text).not.toContain('Trần Thị Bích');
  expect(text).not.toContain('Nguyễn Văn Hùng');
}

describe('kiosk routes', () => {
  it("describes the kiosk's dispenser: its zone's services and whether it can print", async () => {
    const res = await getJson(`${centre.url}/api/kiosks/kiosk-a`);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      dispenserId: 'kiosk-a',
      zoneId: 'tang-1-khu-a',
      zoneName: expect.stringContaining('Khu A'),
      serviceIds: ['dat-dai', 'xay-dung', 'ke-hoach-dau-tu', 'tai-nguyen-moi-truong', 'thue'],
      canPrint: true,
      holdSeconds: 60,
    });
  });

  it('answers 404 for an unknown dispenser or a device that is not one, 400 for a bad body', async () => {
    expect((await getJson(`${centre.url}/api/kiosks/nope`)).status).toBe(404);
    const hall = await post('/kiosks/hall-a/tickets', { serviceId: 'thue', requestId: 'r1' });
    expect(hall).toMatchObject({ status: 404, json: { error: { code: 'notFound' } } });
    const noId = await post('/kiosks/kiosk-a/tickets', { serviceId: 'thue' });
    expect(noId).toMatchObject({ status: 400, json: { error: { code: 'invalidRequest' } } });
    expect(noId.json.error.message).toMatch(/requestId/);
    const extra = await post('/kiosks/kiosk-a/scan', { code: 'x', requestId: 'r2', name: 'A' });
    expect(extra.status).toBe(400);
    const badPriority = await post('/kiosks/kiosk-a/tickets', {
      serviceId: 'thue',
      priorityClassId: 'vip',
      requestId: 'r3',
    });
    expect(badPriority).toMatchObject({
      status: 404,
      json: { error: { message: 'priority class "vip" not found' } },
    });
    expect((await post('/kiosks/kiosk-a/tickets', { serviceId: 'nope', requestId: 'r4' })).status).toBe(404);
    expect(Object.values(state().tickets)).toHaveLength(0);
  });

  it('issues a ticket printed on the dispenser, and the same ticket, unprinted, for a repeated requestId', async () => {
    const first = await post('/kiosks/kiosk-a/tickets', { serviceId: 'thue', requestId: 'tap-1' });
    expect(first.status).toBe(201);
    const id = first.json.ticket.id as string;
    expect(first.json.ticket).toEqual({
      id,
      label: '5001',
      serviceId: 'thue',
      source: 'kiosk',
      priorityClassId: null,
      appointment: null,
      peopleAhead: 0,
      estimatedWaitMinutes: state().tickets[id]?.estimatedWaitMinutesAtIssue,
      estimatedWait: null, // no counter covering the service is open
      issuedAt: expect.any(Number),
      link: expect.stringMatching(
        new RegExp(`^${centre.started.publicUrl}/t/${encodeURIComponent(id)}/[A-Za-z0-9_-]{22}$`),
      ),
      // Sent to the printer: the reply says printed (or failed) a moment later.
      print: expect.stringMatching(/^print(ing|ed)$/),
    });
    const printed = await eventually(() => kioskA.printed.find((p) => p.job.label === '5001'), 5000, 'print');
    expect(printed.job.qrUrl).toBe(first.json.ticket.link);
    // Recorded as the dispenser's: a reprint comes out of the same printer.
    expect(state().tickets[id]).toMatchObject({ issuedBy: 'kiosk-a', source: 'kiosk' });

    const again = await post('/kiosks/kiosk-a/tickets', { serviceId: 'thue', requestId: 'tap-1' });
    expect(again.status).toBe(200);
    expect(again.json.ticket.id).toBe(id);
    await new Promise((r) => setTimeout(r, 500));
    expect(kioskA.printed.filter((p) => p.job.label === '5001')).toHaveLength(1);
    expect(Object.values(state().tickets).filter((t) => t.serviceId === 'thue')).toHaveLength(1);
    expectNoPersonalData(first.json);
  });

  it('a scanned elderly ID card gives the next ticket its priority, and a second card scan is refused', async () => {
    const scanned = await post('/kiosks/kiosk-b/scan', { code: SAMPLE_CCCD.elderly, requestId: 'scan-1' });
    expect(scanned).toMatchObject({
      status: 200,
      json: { result: 'identified', priorityClassId: 'nguoi-cao-tuoi' },
    });
    expect(scanned.json.holdSeconds).toBeGreaterThan(50);
    const taken = await post('/kiosks/kiosk-b/tickets', { serviceId: 'cu-tru', requestId: 'tap-2' });
    expect(taken.status).toBe(201);
    expect(taken.json.ticket).toMatchObject({ priorityClassId: 'nguoi-cao-tuoi', label: '8001' });
    expect(state().tickets[taken.json.ticket.id]?.citizenKey).toMatch(/^[0-9a-f]{64}$/);
    await eventually(() => kioskB.printed.find((p) => p.job.label === '8001'), 5000, 'print');

    const twice = await post('/kiosks/kiosk-b/scan', { code: SAMPLE_CCCD.elderly, requestId: 'scan-2' });
    expect(twice).toMatchObject({
      status: 409,
      json: { error: { code: 'alreadyHasTicket', details: { text: 'Công dân đã có số thứ tự đang chờ' } } },
    });
    for (const answer of [scanned.json, taken.json, twice.json]) expectNoPersonalData(answer);
  });

  it('takes a card with an impossible birth date for one ticket per person, and asks for the priority', async () => {
    // 31/02/1940 would be 86 years old: neither taken as elderly nor silently as "no priority".
    const impossible = SAMPLE_CCCD.adult
      .replace('049092004321', '049040001111')
      .replace('27091992', '31021940');
    const scanned = await post('/kiosks/kiosk-b/scan', { code: impossible, requestId: 'scan-31-02' });
    expect(scanned).toMatchObject({
      status: 200,
      json: { result: 'identified', priorityClassId: null, ageKnown: false },
    });
    const taken = await post('/kiosks/kiosk-b/tickets', {
      serviceId: 'cu-tru',
      priorityClassId: 'nguoi-cao-tuoi',
      requestId: 'tap-31-02',
    });
    expect(taken.status).toBe(201);
    expect(state().tickets[taken.json.ticket.id]?.citizenKey).toMatch(/^[0-9a-f]{64}$/);
    const again = await post('/kiosks/kiosk-b/scan', { code: impossible, requestId: 'scan-31-02-b' });
    expect(again.json).toMatchObject({ error: { code: 'alreadyHasTicket' } });
    const leap = await post('/kiosks/kiosk-b/scan', {
      code: impossible.replace('049040001111', '049044002222').replace('31021940', '29021944'),
      requestId: 'scan-29-02',
    });
    expect(leap.json).toMatchObject({ priorityClassId: 'nguoi-cao-tuoi', ageKnown: true });
    await fetch(`${centre.url}/api/kiosks/kiosk-b/identity`, { method: 'DELETE' });
  });

  it('forgets a scanned card when the page is reset, so the next citizen does not get it', async () => {
    const scanned = await post('/kiosks/kiosk-b/scan', { code: SAMPLE_CCCD.adult, requestId: 'scan-3' });
    expect(scanned.json).toMatchObject({ result: 'identified', priorityClassId: null });
    const released = await fetch(`${centre.url}/api/kiosks/kiosk-b/identity`, { method: 'DELETE' });
    expect(released.status).toBe(204);
    const next = await post('/kiosks/kiosk-b/tickets', { serviceId: 'cu-tru', requestId: 'tap-3' });
    expect(next.status).toBe(201);
    expect(state().tickets[next.json.ticket.id]?.citizenKey).toBeUndefined();
  });

  it("checks an appointment in from its QR code and prints it on the page's dispenser", async () => {
    const now = Date.now();
    expect(
      (
        await post('/appointments', {
          bookingId: 'DVC-KIOSK-1',
          serviceId: 'dat-dai',
          slotStart: now,
          slotEnd: now + 15 * 60_000,
        })
      ).status,
    ).toBe(201);
    const scanned = await post('/kiosks/kiosk-a/scan', {
      code: appointmentQr('DVC-KIOSK-1'),
      requestId: 'scan-4',
    });
    expect(scanned).toMatchObject({
      status: 200,
      json: { result: 'ticket', ticket: { source: 'appointment', serviceId: 'dat-dai', label: '1001' } },
    });
    expect(scanned.json.ticket.appointment).toMatchObject({ bookingId: 'DVC-KIOSK-1' });
    await eventually(() => kioskA.printed.find((p) => p.job.label === '1001'), 5000, 'print');
    // The page retrying the same scan: the same ticket, not a second paper one.
    const retried = await post('/kiosks/kiosk-a/scan', {
      code: appointmentQr('DVC-KIOSK-1'),
      requestId: 'scan-4',
    });
    expect(retried.json.ticket.id).toBe(scanned.json.ticket.id);
    const used = await post('/kiosks/kiosk-a/scan', {
      code: appointmentQr('DVC-KIOSK-1'),
      requestId: 'scan-5',
    });
    expect(used).toMatchObject({ status: 409, json: { error: { code: 'bookingUsed' } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(kioskA.printed.filter((p) => p.job.label === '1001')).toHaveLength(1);
  });

  it('refuses codes that are not for a kiosk, with their Vietnamese text', async () => {
    const unknown = await post('/kiosks/kiosk-a/scan', { code: 'hello there!', requestId: 'scan-6' });
    expect(unknown).toMatchObject({
      status: 422,
      json: { error: { code: 'unknownCode', details: { text: 'Không nhận dạng được mã vừa quét' } } },
    });
    const dossier = await post('/kiosks/kiosk-a/scan', {
      code: '000.00.12.H42-261123-0001',
      requestId: 'scan-7',
    });
    expect(dossier).toMatchObject({ status: 422, json: { error: { code: 'notHere' } } });
    const booking = await post('/kiosks/kiosk-a/scan', {
      code: appointmentQr('NO-SUCH'),
      requestId: 'scan-8',
    });
    expect(booking).toMatchObject({ status: 404, json: { error: { code: 'bookingNotFound' } } });
  });

  /** Waits until the kiosk's answer says it can (or cannot) print. */
  const untilCanPrint = async (expected: boolean) => {
    for (let i = 0; ; i++) {
      if ((await getJson(`${centre.url}/api/kiosks/kiosk-a`)).json.canPrint === expected) return;
      if (i > 200) throw new Error(`canPrint never became ${expected}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('while the printer is out of paper, issues tickets for the screen only and says so', async () => {
    kioskA.paper = 0;
    await kioskA.reportState();
    await untilCanPrint(false);
    const taken = await post('/kiosks/kiosk-a/tickets', { serviceId: 'xay-dung', requestId: 'tap-4' });
    expect(taken.status).toBe(201);
    expect(taken.json.ticket).toMatchObject({ serviceId: 'xay-dung', print: 'notPrinted' });
    // A card can still be scanned: its ticket is shown on the screen too.
    const scan = await post('/kiosks/kiosk-a/scan', { code: SAMPLE_CCCD.young, requestId: 'scan-9' });
    expect(scan).toMatchObject({ status: 200, json: { result: 'identified' } });
    await fetch(`${centre.url}/api/kiosks/kiosk-a/identity`, { method: 'DELETE' });
    await kioskA.refill();
    await untilCanPrint(true);
    const printedNow = await post('/kiosks/kiosk-a/tickets', { serviceId: 'xay-dung', requestId: 'tap-5' });
    expect(printedNow.status).toBe(201);
    expect(printedNow.json.ticket.print).toMatch(/^print(ing|ed)$/);
    await eventually(() => kioskA.printed.find((p) => p.job.label === printedNow.json.ticket.label), 5000);
    // Only the ticket taken while the printer worked came out on paper.
    expect(kioskA.printed.some((p) => p.job.label === taken.json.ticket.label)).toBe(false);
  });

  it('cannot print while its dispenser is not connected, and issues the ticket for the screen', async () => {
    await kioskA.stop();
    await untilCanPrint(false);
    const taken = await post('/kiosks/kiosk-a/tickets', { serviceId: 'thue', requestId: 'offline-1' });
    expect(taken.status).toBe(201);
    expect(taken.json.ticket.print).toBe('notPrinted');
    await kioskA.start();
    await untilCanPrint(true);
  });

  it('reports a print that fails after the ticket was taken, for the kiosk screen to say it', async () => {
    // The paper ran out and the dispenser has not said so yet: the print command is refused.
    kioskA.paper = 0;
    const taken = await post('/kiosks/kiosk-a/tickets', { serviceId: 'thue', requestId: 'fails-1' });
    expect(taken.status).toBe(201);
    const id = encodeURIComponent(taken.json.ticket.id);
    for (let i = 0; ; i++) {
      const now = await getJson(`${centre.url}/api/kiosks/kiosk-a/tickets/${id}`);
      expect(now.status).toBe(200);
      if (now.json.ticket.print === 'failed') break;
      if (i > 200) throw new Error(`print never reported as failed: ${JSON.stringify(now.json)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Only this kiosk's tickets: another dispenser's page cannot read them.
    expect((await getJson(`${centre.url}/api/kiosks/kiosk-b/tickets/${id}`)).status).toBe(404);
    await kioskA.refill();
    await untilCanPrint(true);
  });

  it('maps refusal reasons to HTTP statuses', () => {
    expect(refusalStatus('unknownService')).toBe(404);
    expect(refusalStatus('bookingNotFound')).toBe(404);
    expect(refusalStatus('unknownCode')).toBe(422);
    expect(refusalStatus('alreadyHasTicket')).toBe(409);
    expect(refusalStatus('printerUnavailable')).toBe(409);
    expect(refusalStatus('unavailable')).toBe(503);
  });
});

describe('kiosk routes: access', () => {
  it('are for kiosks, staff, managers and devices, not for the public role alone', async () => {
    let roles: ('public' | 'kiosk')[] = ['public'];
    const policy: AccessPolicy = { identify: () => ({ id: 'browser', roles }) };
    const ctx = await startInProcess(policy);
    try {
      const publicOnly = await getJson(`${ctx.url}/api/kiosks/kiosk-a`);
      expect(publicOnly).toMatchObject({ status: 403, json: { error: { code: 'forbidden' } } });
      const scan = await postJson(`${ctx.url}/api/kiosks/kiosk-a/scan`, { code: 'x', requestId: 'r' });
      expect(scan.status).toBe(403);
      roles = ['public', 'kiosk'];
      expect((await getJson(`${ctx.url}/api/kiosks/kiosk-a`)).status).toBe(200);
    } finally {
      await ctx.stop();
    }
  });
});
