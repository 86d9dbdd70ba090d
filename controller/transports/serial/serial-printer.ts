/**
 * A dispenser's ESC/POS printer on a serial port: prints tickets (Vietnamese in WPC1258, or without
 * accents where the printer lacks it) and polls its real-time status (DLE EOT), so paper running
 * out, an open cover or a dead printer show up in the device's health and alerts like any device.
 */

import type { PrintJob } from '../../../devices/protocol/messages.ts';
import { STATUS_REQUEST } from '../../../devices/serial/escpos/commands.ts';
import { parseStatusByte, toPrinterState } from '../../../devices/serial/escpos/status.ts';
import { buildTicket, DEFAULT_WPC1258_CODE_PAGE } from '../../../devices/serial/escpos/ticket.ts';
import type { Device } from '../../centre/schema.ts';
import type { DeviceRegistry } from '../../device-service/device-registry.ts';
import type { Logger } from '../../logger.ts';
import type { SerialLine } from './serial-line.ts';

const POLL_MS = 3000;
const ANSWER_MS = 500;

interface Status {
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperEnd: boolean;
}

export class SerialPrinter {
  readonly #device: Device;
  readonly #line: SerialLine;
  readonly #registry: DeviceRegistry;
  readonly #logger: Logger;
  readonly #timeZone: () => string;
  #timer: NodeJS.Timeout | null = null;
  #answer: ((byte: number) => void) | null = null;
  /** One conversation at a time: a status poll never interleaves with a ticket. */
  #busy: Promise<unknown> = Promise.resolve();

  /** `timeZone`: the centre's, read at each print (the ticket's time is printed in it). */
  constructor(
    device: Device,
    line: SerialLine,
    registry: DeviceRegistry,
    logger: Logger,
    timeZone: () => string,
  ) {
    this.#device = device;
    this.#line = line;
    this.#registry = registry;
    this.#logger = logger;
    this.#timeZone = timeZone;
  }

  start(): void {
    this.#line.on('data', (chunk: Buffer) => {
      for (const byte of chunk) this.#answer?.(byte);
    });
    this.#line.on('up', () => void this.poll());
    this.#line.on('down', () => this.#gone());
    this.#line.start();
    this.#timer = setInterval(() => void this.poll(), POLL_MS);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#line.stop();
  }

  print(job: PrintJob): Promise<void> {
    const printer = this.#device.printer ?? {
      encoding: 'wpc1258' as const,
      codePage: DEFAULT_WPC1258_CODE_PAGE,
      columns: 42,
    };
    const bytes = buildTicket(job, { ...printer, timeZone: this.#timeZone() });
    return this.#exclusive(() => this.#line.write(bytes));
  }

  /** Asks the printer how it is; its answer becomes the device's printer state. */
  poll(): Promise<void> {
    return this.#exclusive(async () => {
      if (!this.#line.up) return;
      const status: Status = { online: true, coverOpen: false, paperNearEnd: false, paperEnd: false };
      for (const query of [1, 2, 4] as const) {
        const byte = await this.#ask(
          STATUS_REQUEST[query === 1 ? 'printer' : query === 2 ? 'offline' : 'paper'],
        );
        const parsed = byte === null ? null : parseStatusByte(query, byte);
        if (!parsed) {
          // A port that is open but silent: the printer is off or its cable is out.
          this.#gone();
          return;
        }
        Object.assign(status, parsed);
      }
      if (!this.#registry.get(this.#device.id)?.online) this.#registry.connected(this.#device.id);
      this.#registry.state(this.#device.id, { printer: toPrinterState(status) });
    }).catch((error: Error) =>
      this.#logger.debug({ deviceId: this.#device.id, err: error.message }, 'printer poll failed'),
    );
  }

  /**
   * The printer cannot be reached (port gone, or no answer): offline, and its last known state no
   * longer says it can print (paper and cover as last seen, printer offline).
   */
  #gone(): void {
    const id = this.#device.id;
    const last = this.#registry.get(id)?.printer;
    if (last?.online) this.#registry.state(id, { printer: { ...last, online: false } });
    this.#registry.disconnected(id);
  }

  #ask(request: Buffer): Promise<number | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#answer = null;
        resolve(null);
      }, ANSWER_MS);
      this.#answer = (byte) => {
        clearTimeout(timer);
        this.#answer = null;
        resolve(byte);
      };
      this.#line.write(request).catch(() => {
        clearTimeout(timer);
        this.#answer = null;
        resolve(null);
      });
    });
  }

  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#busy.then(work, work);
    this.#busy = next.catch(() => undefined);
    return next;
  }
}
