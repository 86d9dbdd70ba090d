import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../../controller/centre/load.ts';
import { type DeviceAlert, DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { smallCentre } from '../helpers/centre.ts';

const config = smallCentre({
  devices: [
    { id: 'k1', type: 'dispenser' },
    { id: 'd1', type: 'callDisplay', counterId: 'c1' },
  ],
});

function registry(options: { offlineAlertMs?: number; misbehavingPerMinute?: number } = {}) {
  const bus = new EventBus();
  const alerts: DeviceAlert[] = [];
  bus.onDeviceAlert({}, (a) => alerts.push(a));
  return { registry: new DeviceRegistry({ config: () => config, bus, ...options }), alerts };
}

afterEach(() => vi.useRealTimers());

describe('device registry', () => {
  it('lists every configured device, offline until it connects', () => {
    const { registry: r } = registry();
    expect(r.all().map((h) => [h.id, h.online])).toEqual([
      ['k1', false],
      ['d1', false],
    ]);
    expect(r.get('nope')).toBeUndefined();
  });

  it('raises "offline" only after the grace, and not at all for a quick reconnect', () => {
    vi.useFakeTimers();
    const { registry: r, alerts } = registry({ offlineAlertMs: 30_000 });
    r.connected('d1');
    r.disconnected('d1');
    vi.advanceTimersByTime(10_000);
    r.connected('d1');
    vi.advanceTimersByTime(60_000);
    expect(alerts).toEqual([]);
    r.disconnected('d1');
    vi.advanceTimersByTime(30_000);
    expect(alerts).toMatchObject([
      { deviceId: 'd1', kind: 'offline', active: true, message: 'Thiết bị d1 (Quầy 1) mất kết nối' },
    ]);
    r.connected('d1');
    expect(alerts.at(-1)).toMatchObject({ kind: 'offline', active: false });
    r.stop();
  });

  it('turns printer state into alerts that clear when fixed, and refuses printing while out', () => {
    const { registry: r, alerts } = registry();
    r.connected('k1');
    r.state('k1', { printer: { paper: 'low', cover: 'closed', online: true } });
    expect(r.canPrint('k1')).toBe(true);
    r.state('k1', { printer: { paper: 'out', cover: 'open', online: true } });
    expect(r.canPrint('k1')).toBe(false);
    expect(
      r
        .alerts()
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['coverOpen', 'paperOut']);
    r.state('k1', { printer: { paper: 'ok', cover: 'closed', online: true } });
    expect(r.alerts()).toEqual([]);
    expect(alerts.map((a) => `${a.kind}:${a.active}`)).toEqual([
      'paperLow:true',
      'paperOut:true',
      'paperLow:false',
      'coverOpen:true',
      'paperOut:false',
      'coverOpen:false',
    ]);
    expect(r.canPrint('k1')).toBe(true);
  });

  it('can print only while connected, with a working printer, that answered its last command', () => {
    const { registry: r } = registry();
    // Never connected (or gone): the kiosk must not promise paper.
    expect(r.canPrint('k1')).toBe(false);
    r.connected('k1');
    expect(r.canPrint('k1')).toBe(true); // no printer state yet: a fresh device may not have reported
    r.noAnswer('k1');
    expect(r.canPrint('k1')).toBe(false); // a print timed out: silent, though still connected
    r.seen('k1');
    expect(r.canPrint('k1')).toBe(true); // it spoke again
    r.disconnected('k1');
    expect(r.canPrint('k1')).toBe(false);
    expect(r.canPrint('nope')).toBe(false);
  });

  it('counts errors per kind and calls a device misbehaving past the threshold', () => {
    const { registry: r } = registry({ misbehavingPerMinute: 5 });
    for (let i = 0; i < 4; i++) r.countError('d1', 'malformed', `bad ${i}`);
    expect(r.alerts()).toEqual([]);
    r.countError('d1', 'oversized', 'big');
    expect(r.get('d1')).toMatchObject({
      errors: { malformed: 4, oversized: 1 },
      lastError: { kind: 'oversized', detail: 'big' },
    });
    expect(r.alerts()).toMatchObject([
      { deviceId: 'd1', kind: 'misbehaving', messageEn: 'Device d1 (Quầy 1) is sending bad data' },
    ]);
  });

  it('does not count QoS 1 repeats as misbehaviour, and clears the alert once the device calms down', () => {
    let now = 1_000_000;
    const bus = new EventBus();
    const r = new DeviceRegistry({ config: () => config, bus, clock: () => now, misbehavingPerMinute: 3 });
    for (let i = 0; i < 10; i++) r.countError('d1', 'duplicate', 'again');
    expect(r.alerts()).toEqual([]);
    for (let i = 0; i < 3; i++) r.countError('d1', 'malformed', 'junk');
    expect(r.alerts().map((a) => a.kind)).toEqual(['misbehaving']);
    now += 61_000;
    r.review();
    expect(r.alerts()).toEqual([]);
  });

  it("raises nothing for devices configured as not installed (the demo centre's serial and USB devices)", async () => {
    vi.useFakeTimers();
    const demo = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    const bus = new EventBus();
    const alerts: DeviceAlert[] = [];
    bus.onDeviceAlert({}, (a) => alerts.push(a));
    const r = new DeviceRegistry({ config: () => demo, bus, offlineAlertMs: 30_000 });
    r.expect(demo.devices.map((d) => d.id));
    vi.advanceTimersByTime(60_000);
    const notInstalled = ['kiosk-c', 'kiosk-a-scanner', 'c8-scanner', 'c5-led', 'c6-led'];
    expect(alerts.filter((a) => notInstalled.includes(a.deviceId))).toEqual([]);
    expect(alerts.length).toBe(demo.devices.length - notInstalled.length); // the MQTT ones that never came
    for (const id of notInstalled) expect(r.get(id)).toMatchObject({ installed: false, online: false });
    expect(r.canPrint('kiosk-c')).toBe(false);
  });
});

describe('device registry with a big fleet', () => {
  it('lists 1,000 devices by one walk of a new device list, and none while the list is the same', () => {
    const devices = Array.from({ length: 1_000 }, (_, i) => ({
      id: `d${i}`,
      type: 'callDisplay',
      counterId: 'c1',
    }));
    const big = smallCentre({ devices: devices as never });
    let reads = 0;
    // Counts reads of the list's entries: the walks the registry makes.
    const counted = new Proxy(big.devices, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver);
      },
    });
    const r = new DeviceRegistry({ config: () => ({ ...big, devices: counted }), bus: new EventBus() });
    expect(r.all()).toHaveLength(1_000);
    expect(reads).toBeLessThanOrEqual(5_000);
    reads = 0;
    r.all();
    expect(r.get('d999')?.online).toBe(false);
    expect(reads).toBe(0);
  });
});
