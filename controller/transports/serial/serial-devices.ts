/**
 * The devices wired to this PC rather than on the network: dispensers' ESC/POS printers, serial
 * scanners, and RS-485 buses of counter displays. They sit behind the same device model as the MQTT
 * devices (health, alerts, the same handlers and display states), so the queue does not care how a
 * device is attached.
 */
import { randomUUID } from 'node:crypto';
import type { CounterDisplay, PrintJob } from '../../../devices/protocol/messages.ts';
import type { DisplayBus } from '../../../devices/serial/modbus/display-bus.ts';
import type { CentreConfig, Device } from '../../centre/schema.ts';
import type { DeviceRegistry } from '../../device-service/device-registry.ts';
import type { DeviceHost } from '../../device-service/device-service.ts';
import type { DisplaySync } from '../../device-service/display-sync.ts';
import type { DeviceContext } from '../../device-service/handlers/context.ts';
import { onScan } from '../../device-service/handlers/scanner.ts';
import type { DeviceTransport } from '../../device-service/transport.ts';
import type { Logger } from '../../logger.ts';
import { SerialLine, type SerialLineOptions } from './serial-line.ts';
import { loadSerialPort } from './serial-loader.ts';
import type { SerialPrinter } from './serial-printer.ts';

const TERMINATORS = { CR: '\r', LF: '\n', CRLF: '\r\n' } as const;
/** How often a bus display that stopped answering is sent its current state again. */
const BUS_RETRY_MS = 3000;

export interface SerialDevicesOptions {
  config: () => CentreConfig;
  registry: DeviceRegistry;
  logger: Logger;
}

export class SerialDevices implements DeviceTransport {
  readonly kind = 'serial';
  readonly #o: SerialDevicesOptions;
  readonly #printers = new Map<string, SerialPrinter>();
  readonly #lines: SerialLine[] = [];
  readonly #buses = new Map<string, DisplayBus>();
  readonly #timers: NodeJS.Timeout[] = [];
  readonly #boot = randomUUID().slice(0, 8);
  #seq = 0;

  constructor(options: SerialDevicesOptions) {
    this.#o = options;
  }

  /** Opens the installed devices the configuration has on serial ports; without any, serialport is never loaded. */
  async start(host: Pick<DeviceHost, 'context' | 'displays'>): Promise<void> {
    const ctx = host.context;
    const displays = host.displays;
    const config = this.#o.config();
    const devices = config.devices.filter((d) => d.transport === 'serial' && d.installed);
    if (devices.length === 0) return;
    const module = await loadSerialPort(this.#o.logger);
    if (!module) return;
    const { SerialPort } = module;
    // Like serialport, what drives the devices (the ESC/POS printer with its Vietnamese encoding,
    // iconv-lite; the RS-485 display bus) is loaded only when one is installed (issue 14: a start
    // loads what the centre uses).
    const [{ SerialPrinter }, { DisplayBus }] = await Promise.all([
      import('./serial-printer.ts'),
      import('../../../devices/serial/modbus/display-bus.ts'),
    ]);
    const line = (options: SerialLineOptions, part: string) => {
      const l = new SerialLine(options, SerialPort, this.#o.logger.child({ line: part }));
      this.#lines.push(l);
      return l;
    };
    for (const device of devices) {
      if (device.type === 'dispenser' && device.serial) {
        const printer = new SerialPrinter(
          device,
          line(device.serial, `printer:${device.id}`),
          this.#o.registry,
          this.#o.logger,
          () => this.#o.config().centre.timezone,
        );
        this.#printers.set(device.id, printer);
        printer.start();
      } else if (device.type === 'scanner' && device.serial) {
        this.#startScanner(device, line(device.serial, `scanner:${device.id}`), ctx);
      }
    }
    for (const bus of config.serialBuses) {
      const members = devices.filter((d) => d.type === 'callDisplay' && d.busId === bus.id);
      if (members.length === 0) continue;
      const port = line(bus.port, `bus:${bus.id}`);
      this.#startBus(new DisplayBus({ port }), bus.id, port, members, displays);
    }
  }

  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    for (const bus of this.#buses.values()) bus.close();
    await Promise.all([...this.#printers.values()].map((p) => p.stop()));
    await Promise.all(this.#lines.map((l) => l.stop()));
  }

  /** Prints on a dispenser's serial printer; rejects when it has none or it is unplugged. */
  print(deviceId: string, job: PrintJob): Promise<void> {
    const printer = this.#printers.get(deviceId);
    if (!printer) return Promise.reject(new Error(`no serial printer for ${deviceId}`));
    return printer.print(job);
  }

  #startScanner(device: Device, line: SerialLine, ctx: DeviceContext): void {
    const terminator = TERMINATORS[device.terminator ?? 'CR'];
    let pending = '';
    line.on('up', () => this.#o.registry.connected(device.id));
    line.on('down', () => this.#o.registry.disconnected(device.id));
    line.on('data', (chunk: Buffer) => {
      this.#o.registry.seen(device.id);
      pending += chunk.toString('utf8');
      if (pending.length > 4096) {
        this.#o.registry.countError(device.id, 'oversized', 'no terminator within 4096 bytes');
        pending = '';
      }
      for (let end = pending.indexOf(terminator); end >= 0; end = pending.indexOf(terminator)) {
        const data = pending.slice(0, end).replace(/[\r\n]/g, '');
        pending = pending.slice(end + terminator.length);
        if (!data) continue;
        const handled = { device, requestId: `${device.id}:${this.#boot}:${this.#seq++}` };
        onScan(ctx, handled, { data }).then(
          (answer) => {
            if (answer.status === 'error')
              this.#o.registry.countError(device.id, 'refusedEvent', answer.error.message);
          },
          (error: Error) => this.#o.logger.error({ err: error, deviceId: device.id }, 'serial scan failed'),
        );
      }
    });
    line.start();
  }

  #startBus(
    bus: DisplayBus,
    busId: string,
    line: SerialLine,
    members: Device[],
    displays: DisplaySync,
  ): void {
    this.#buses.set(busId, bus);
    const byAddress = new Map(members.map((d) => [d.address as number, d]));
    /** What each display should show now: written again when it or its adapter comes back. */
    const latest = new Map<string, CounterDisplay>();
    bus.on('online', (address: number) => {
      const d = byAddress.get(address);
      if (d) this.#o.registry.connected(d.id);
    });
    bus.on('offline', (address: number) => {
      const d = byAddress.get(address);
      if (d) this.#o.registry.disconnected(d.id);
    });
    const show = (device: Device, display: CounterDisplay) => {
      latest.set(device.id, display);
      bus.show(device.address as number, display).then(
        () => {
          // A display that answers is there, whether or not the bus saw it missing before.
          if (!this.#o.registry.get(device.id)?.online) this.#o.registry.connected(device.id);
        },
        (error: Error) => this.#o.registry.countError(device.id, 'commandFailed', error.message),
      );
    };
    const refresh = (which: (d: Device) => boolean) => {
      for (const d of members) {
        const display = latest.get(d.id);
        if (display && which(d)) show(d, display);
      }
    };
    displays.onCounterDisplay((counterId, display) => {
      for (const d of members) if (d.counterId === counterId) show(d, display);
    });
    // The adapter unplugged: every display behind it is out of reach. Plugged back: all rewritten.
    line.on('down', () => {
      for (const d of members) this.#o.registry.disconnected(d.id);
    });
    line.on('up', () => refresh(() => true));
    // A display that went silent (power, cable) is tried again with its current state until it answers.
    const retry = setInterval(() => {
      if (line.up) refresh((d) => this.#o.registry.get(d.id)?.online === false);
    }, BUS_RETRY_MS);
    retry.unref();
    this.#timers.push(retry);
    line.start();
  }
}
