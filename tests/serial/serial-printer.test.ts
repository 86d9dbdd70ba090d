/** A serial printer that stops answering: its last known state must not keep saying it can print. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { silentLogger } from '../../controller/logger.ts';
import type { SerialLine } from '../../controller/transports/serial/serial-line.ts';
import { SerialPrinter } from '../../controller/transports/serial/serial-printer.ts';
import { smallCentre } from '../helpers/centre.ts';

/** A port that is open, takes every write, and never answers (printer off, cable out at its end). */
class SilentLine extends EventEmitter {
  up = true;
  writes = 0;
  readonly bytes: Buffer[] = [];
  start(): void {}
  async stop(): Promise<void> {}
  async write(bytes: Buffer): Promise<void> {
    this.writes++;
    this.bytes.push(bytes);
  }
}

describe('serial printer gone silent', () => {
  it('is offline and cannot print, instead of keeping its last "paper ok, online" state', async () => {
    const config = smallCentre({
      devices: [
        { id: 'k1', type: 'dispenser', transport: 'serial', serial: { path: '/dev/null', baudRate: 9600 } },
      ],
    });
    const registry = new DeviceRegistry({ config: () => config, bus: new EventBus() });
    registry.connected('k1');
    registry.state('k1', { printer: { paper: 'ok', cover: 'closed', online: true } });
    expect(registry.canPrint('k1')).toBe(true);
    const line = new SilentLine();
    const device = config.devices[0];
    if (!device) throw new Error('no device');
    const printer = new SerialPrinter(
      device,
      line as unknown as SerialLine,
      registry,
      silentLogger,
      () => 'UTC',
    );
    await printer.poll();
    expect(line.writes).toBeGreaterThan(0);
    expect(registry.get('k1')).toMatchObject({ online: false, printer: { online: false } });
    expect(registry.canPrint('k1')).toBe(false);
    expect(registry.alerts().map((a) => a.kind)).toContain('printerOffline');
  });
});

describe('serial printer ticket time', () => {
  it("prints the time in the centre's time zone, not a fixed one", async () => {
    const config = smallCentre({
      devices: [
        { id: 'k1', type: 'dispenser', transport: 'serial', serial: { path: '/dev/null', baudRate: 9600 } },
      ],
    });
    const registry = new DeviceRegistry({ config: () => config, bus: new EventBus() });
    const line = new SilentLine();
    const device = config.devices[0];
    if (!device) throw new Error('no device');
    const printer = new SerialPrinter(
      device,
      line as unknown as SerialLine,
      registry,
      silentLogger,
      () => 'Asia/Tokyo',
    );
    await printer.print({
      centreName: 'Trung tâm',
      serviceName: 'Đất đai',
      label: '1001',
      priority: null,
      peopleAhead: 0,
      estimatedWaitMinutes: null,
      issuedAt: Date.UTC(2026, 11, 5, 1, 0), // 08:00 in Hà Nội, 10:00 in Tokyo
      qrUrl: 'http://192.0.2.1/t/x',
      footer: '',
    });
    const text = Buffer.concat(line.bytes).toString('latin1');
    expect(text).toContain('05/12/2026 10:00');
    expect(text).not.toContain('05/12/2026 08:00');
  });
});
