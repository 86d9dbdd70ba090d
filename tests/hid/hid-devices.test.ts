import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CentreConfig } from '../../controller/centre/schema.ts';
import type { Command } from '../../controller/core/commands.ts';
import { CitizenKeys } from '../../controller/device-service/citizen-keys.ts';
import { DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import type { DeviceContext } from '../../controller/device-service/handlers/context.ts';
import { KioskSessions } from '../../controller/device-service/kiosk-sessions.ts';
import { PrintOutcomes } from '../../controller/device-service/print-outcomes.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { HidDevices } from '../../controller/transports/hid/hid-devices.ts';
import type { HidDeviceInfo, HidModule } from '../../controller/transports/hid/hid-loader.ts';
import { smallCentre } from '../helpers/centre.ts';
import { FakeNodeHid, recordingLogger } from './fake-node-hid.ts';
import { CCCD_ID, CCCD_QR, keyReport, posReport, posReports } from './reports.ts';

const HONEYWELL = { vendorId: 0x0c2e, productId: 0x0b8f };
const KEYPAD = { vendorId: 0x1234, productId: 0x5678 };

/** The scanner's HID POS interface, and the keyboard interface it also shows. */
const counterScanner: HidDeviceInfo = {
  ...HONEYWELL,
  serialNumber: 'C1',
  path: '/dev/hidraw3',
  usagePage: 0x8c,
  usage: 2,
};
const counterScannerKeyboard: HidDeviceInfo = {
  ...HONEYWELL,
  serialNumber: 'C1',
  path: '/dev/hidraw2',
  usagePage: 1,
  usage: 6,
};
const kioskScanner: HidDeviceInfo = {
  ...HONEYWELL,
  serialNumber: 'K1',
  path: '/dev/hidraw5',
  usagePage: 0x8c,
  usage: 2,
};
const keypad: HidDeviceInfo = { ...KEYPAD, path: '/dev/hidraw4', usagePage: 0xff00, usage: 1 };

function hall(devices: { id: string; type: string; counterId?: string; zoneId?: string; hid?: object }[]) {
  const parsed = smallCentre({
    zones: [{ id: 'khu-a', name: 'Khu A' }],
    devices: devices.map(({ hid: _, ...d }) => ({
      ...d,
      transport: 'hid',
      hid: { vendorId: '0000', productId: '0000' },
    })) as unknown as CentreConfig['devices'],
  });
  // The test's own `hid` blocks replace the placeholders after parsing, so the adapter is also
  // tried on blocks the schema would refuse (a configuration edited under a running controller).
  const config = {
    ...parsed,
    devices: parsed.devices.map((d, i) => ({ ...d, hid: devices[i]?.hid })),
  } as CentreConfig;
  const registry = new DeviceRegistry({ config: () => config, bus: new EventBus() });
  const commands: Command[] = [];
  const citizens = CitizenKeys.forTests();
  const { logger, lines } = recordingLogger();
  const ctx: DeviceContext = {
    config: () => config,
    submit: async (command) => {
      commands.push(command);
      return { events: [], ticket: null };
    },
    tickets: () => [],
    print: () => Promise.reject(new Error('no printer')),
    registry,
    prints: new PrintOutcomes(),
    kiosk: new KioskSessions(),
    citizens,
    publicUrl: () => 'http://hall.test',
    logger,
    clock: Date.now,
  };
  return { config, registry, commands, citizens, ctx, logger, lines };
}

const DEVICES = [
  { id: 'c1-scanner', type: 'scanner', counterId: 'c1', hid: { ...HONEYWELL, serialNumber: 'C1' } },
  { id: 'a-scanner', type: 'scanner', zoneId: 'khu-a', hid: { ...HONEYWELL, serialNumber: 'K1' } },
  {
    id: 'c1-keypad',
    type: 'ratingKeypad',
    counterId: 'c1',
    hid: { ...KEYPAD, keys: [0x0a, 0x0b, 0x0c, 0x0d] },
  },
];

let running: HidDevices | null = null;

async function start(h: ReturnType<typeof hall>, hid: HidModule, rescanMs?: number): Promise<HidDevices> {
  running = new HidDevices({ config: () => h.config, registry: h.registry, logger: h.logger, hid, rescanMs });
  await running.start({ context: h.ctx });
  return running;
}

afterEach(async () => {
  await running?.stop();
  running = null;
  vi.useRealTimers();
});

describe('HidDevices', () => {
  it('opens each device’s HID POS interface by its ids, and a scan at a counter reaches the handler', async () => {
    const h = hall(DEVICES);
    const hid = new FakeNodeHid();
    for (const d of [counterScannerKeyboard, counterScanner, kioskScanner, keypad]) hid.plug(d);
    await start(h, hid);
    expect(hid.opened.map((o) => o.path).sort()).toEqual(['/dev/hidraw3', '/dev/hidraw4', '/dev/hidraw5']);
    expect(h.registry.all().map((d) => [d.id, d.online])).toEqual([
      ['c1-scanner', true],
      ['a-scanner', true],
      ['c1-keypad', true],
    ]);

    hid.handle('/dev/hidraw3').send(posReport('HS-2026-000123', { symbology: ']C0' }));
    await vi.waitFor(() => expect(h.commands).toHaveLength(1));
    expect(h.commands[0]).toMatchObject({
      type: 'linkVisit',
      counterId: 'c1',
      dossierCode: 'HS-2026-000123',
      by: 'c1-scanner',
    });
    expect(h.commands[0]?.requestId).toMatch(/^c1-scanner:[0-9a-f]{8}:0$/);
    expect(h.registry.get('c1-scanner')?.messages).toBe(1);
  });

  it('joins a chip ID card QR sent in two reports and holds it for the kiosk’s zone', async () => {
    const h = hall(DEVICES);
    const hid = new FakeNodeHid();
    hid.plug(kioskScanner);
    await start(h, hid);
    for (const report of posReports(CCCD_QR)) hid.handle('/dev/hidraw5').send(report);
    await vi.waitFor(() => expect(h.ctx.kiosk.peek('khu-a')).toBeDefined());
    expect(h.ctx.kiosk.peek('khu-a')?.citizenKey).toBe(h.citizens.keyOf(CCCD_ID));
    expect(h.registry.get('a-scanner')?.errors.malformed).toBe(0);
  });

  it('turns a keypad press into one rateVisit with its level, however the key bounces', async () => {
    const h = hall(DEVICES);
    const hid = new FakeNodeHid();
    hid.plug(keypad);
    await start(h, hid);
    const pad = hid.handle('/dev/hidraw4');
    pad.send(keyReport(0x0b));
    pad.send(keyReport(0x0b)); // bounce
    pad.send(keyReport(0));
    pad.send(keyReport(0x0d));
    pad.send(keyReport(0));
    await vi.waitFor(() => expect(h.commands).toHaveLength(2));
    expect(h.commands).toMatchObject([
      { type: 'rateVisit', counterId: 'c1', level: 2, by: 'c1-keypad' },
      { type: 'rateVisit', counterId: 'c1', level: 4, by: 'c1-keypad' },
    ]);
    const [first, second] = h.commands.map((c) => c.requestId);
    expect(first).toMatch(/^c1-keypad:[0-9a-f]{8}:0$/);
    expect(second).toBe(first?.replace(/:0$/, ':1'));
  });

  it('counts reports it cannot read as malformed, and acts on none of them', async () => {
    const h = hall(DEVICES);
    const hid = new FakeNodeHid();
    hid.plug(counterScanner);
    hid.plug(keypad);
    await start(h, hid);
    hid.handle('/dev/hidraw3').send(Buffer.from([0x07, 0x00, 0x13]));
    hid.handle('/dev/hidraw3').send(posReport('x', { length: 200 }));
    hid.handle('/dev/hidraw4').send(keyReport(0x42)); // not one of the configured keys
    await new Promise((r) => setTimeout(r, 20));
    expect(h.commands).toEqual([]);
    expect(h.registry.get('c1-scanner')?.errors.malformed).toBe(2);
    expect(h.registry.get('c1-scanner')?.lastError?.detail).toMatch(/not a HID POS scanned data report/);
    expect(h.registry.get('c1-keypad')?.lastError).toMatchObject({
      kind: 'malformed',
      detail: expect.stringMatching(/key code 0x42/),
    });
  });

  it('marks an unplugged device offline and takes it back at the next re-scan, in any socket', async () => {
    vi.useFakeTimers();
    const h = hall(DEVICES);
    const hid = new FakeNodeHid();
    hid.plug(counterScanner);
    hid.plug(keypad);
    hid.plug(kioskScanner);
    await start(h, hid);
    const listed = hid.listed;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(hid.listed).toBe(listed); // nothing missing: no USB enumeration

    hid.unplug('/dev/hidraw3');
    expect(h.registry.get('c1-scanner')?.online).toBe(false);
    expect(hid.opened.find((o) => o.path === '/dev/hidraw3')?.closed).toBe(true);
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.registry.get('c1-scanner')?.online).toBe(false);

    hid.plug({ ...counterScanner, path: '/dev/hidraw9' }); // back, into another socket
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.registry.get('c1-scanner')?.online).toBe(true);
    hid.handle('/dev/hidraw9').send(posReport('HS-9'));
    await vi.waitFor(() => expect(h.commands).toMatchObject([{ type: 'linkVisit', dossierCode: 'HS-9' }]));
    expect(h.registry.get('c1-keypad')?.online).toBe(true); // the others never noticed
    expect(h.lines.filter((l) => l.msg.startsWith('USB HID device lost'))).toHaveLength(1);
  });

  it('opens a device plugged in after the start, and says once what is missing', async () => {
    vi.useFakeTimers();
    const h = hall(DEVICES.slice(2));
    const hid = new FakeNodeHid();
    await start(h, hid);
    await vi.advanceTimersByTimeAsync(9000);
    expect(h.registry.get('c1-keypad')?.online).toBe(false);
    expect(h.lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      'USB HID device not open: no USB HID device 0x1234:0x5678 is plugged in; retrying',
    ]);
    hid.plug(keypad);
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.registry.get('c1-keypad')?.online).toBe(true);
  });

  it('retries a device it may not open (no udev rule), and leaves keyboard-mode scanners to the kiosk page', async () => {
    vi.useFakeTimers();
    const h = hall(DEVICES.slice(0, 2));
    const hid = new FakeNodeHid();
    hid.plug(counterScannerKeyboard); // c1-scanner still in keyboard mode
    hid.plug(kioskScanner);
    hid.refuse = 'cannot open device with path /dev/hidraw5';
    await start(h, hid);
    const warnings = h.lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings).toEqual([
      expect.stringMatching(/0x0c2e:0x0b8f is a USB keyboard.*switch it to USB HID POS/),
      expect.stringMatching(/cannot open \/dev\/hidraw5 .*udev rule/),
    ]);
    hid.refuse = null;
    await vi.advanceTimersByTimeAsync(3000);
    expect(h.registry.get('a-scanner')?.online).toBe(true);
    expect(h.registry.get('c1-scanner')?.online).toBe(false);
    expect(hid.opened.map((o) => o.path)).toEqual(['/dev/hidraw5']);
  });

  it('keeps running without node-hid where it cannot list devices (libusb missing)', async () => {
    const h = hall(DEVICES);
    const broken: HidModule = {
      devices: () => {
        throw new Error('libusb-1.0.so.0: cannot open shared object file: No such file or directory');
      },
      HIDAsync: new FakeNodeHid().HIDAsync,
    };
    await start(h, broken, 10);
    await new Promise((r) => setTimeout(r, 50));
    const errors = h.lines.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/apt-get install libusb-1\.0-0/);
    expect(h.registry.all().every((d) => !d.online)).toBe(true);
  });

  it('skips what it cannot drive, and never loads node-hid for it', async () => {
    const h = hall([
      { id: 'c1-pad', type: 'callPad', counterId: 'c1', hid: KEYPAD },
      { id: 'c1-scanner', type: 'scanner', counterId: 'c1' }, // no hid block
      { id: 'c2-keypad', type: 'ratingKeypad', counterId: 'c2', hid: { vendorId: 'zz' } },
    ]);
    const hid = new FakeNodeHid();
    hid.plug(keypad);
    await start(h, hid);
    expect(hid.listed).toBe(0);
    expect(h.lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      expect.stringMatching(/callPad on USB HID is not supported/),
      expect.stringMatching(/needs "hid"/),
      expect.stringMatching(/needs "hid"/),
    ]);
  });

  it('maps keys 1… to the levels of the rating scale when the keypad has no key list', async () => {
    const h = hall([
      {
        id: 'c1-keypad',
        type: 'ratingKeypad',
        counterId: 'c1',
        hid: { vendorId: '1234', productId: '0x5678' },
      },
    ]);
    const hid = new FakeNodeHid();
    hid.plug(keypad);
    await start(h, hid);
    const pad = hid.handle('/dev/hidraw4');
    for (const key of [1, 0, 4, 0, 5]) pad.send(keyReport(key));
    await vi.waitFor(() => expect(h.commands).toHaveLength(2));
    expect(h.commands.map((c) => (c.type === 'rateVisit' ? c.level : null))).toEqual([1, 4]);
    expect(h.registry.get('c1-keypad')?.errors.malformed).toBe(1); // key 5: the scale has 4 levels
  });
});
