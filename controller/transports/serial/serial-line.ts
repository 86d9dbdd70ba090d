/**
 * One serial port that comes back by itself: a USB-serial adapter pulled out and plugged in again
 * (or a port missing at start) is reopened every few seconds, without a restart. 'up' and 'down'
 * say when it changes; writes while it is down fail at once instead of piling up.
 */
import { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import type { Logger } from '../../logger.ts';

export interface SerialLineOptions {
  path: string;
  baudRate: number;
  parity: 'none' | 'even' | 'odd';
  dataBits: 7 | 8;
  stopBits: 1 | 2;
}

type PortClass = new (options: SerialLineOptions & { autoOpen: false }) => SerialPort;

export class SerialLine extends EventEmitter {
  readonly #options: SerialLineOptions;
  readonly #Port: PortClass;
  readonly #logger: Logger;
  readonly #reopenMs: number;
  #port: SerialPort | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #up = false;
  #lastError = '';

  constructor(options: SerialLineOptions, Port: PortClass, logger: Logger, reopenMs = 2000) {
    super();
    this.#options = options;
    this.#Port = Port;
    this.#logger = logger;
    this.#reopenMs = reopenMs;
  }

  get up(): boolean {
    return this.#up;
  }

  get path(): string {
    return this.#options.path;
  }

  start(): void {
    this.#stopped = false;
    this.#open();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Resolves (and calls `callback`, for stream-style callers) once the bytes are out of the port. */
  write(bytes: Buffer, callback?: (error?: Error | null) => void): Promise<void> {
    const port = this.#port;
    const done = new Promise<void>((resolve, reject) => {
      if (!port || !this.#up) return reject(new Error(`serial port ${this.path} is not connected`));
      port.write(bytes, (error) => (error ? reject(error) : port.drain((e) => (e ? reject(e) : resolve()))));
    });
    done.then(
      () => callback?.(null),
      (error: Error) => callback?.(error),
    );
    return done;
  }

  #open(): void {
    if (this.#stopped) return;
    const port = new this.#Port({ ...this.#options, autoOpen: false });
    this.#port = port;
    port.on('data', (chunk: Buffer) => this.emit('data', chunk));
    port.on('close', () => this.#down('closed'));
    port.on('error', (error: Error) => this.#down(error.message));
    port.open((error) => {
      if (error) return this.#down(error.message);
      this.#up = true;
      this.#lastError = '';
      this.#logger.info({ path: this.path }, 'serial port open');
      this.emit('up');
    });
  }

  #down(reason: string): void {
    const wasUp = this.#up;
    this.#up = false;
    if (wasUp) {
      this.#logger.warn({ path: this.path, reason }, 'serial port lost; reopening');
      this.emit('down', reason);
    } else if (reason !== this.#lastError) {
      this.#logger.warn({ path: this.path, reason }, 'serial port cannot be opened; retrying');
    }
    this.#lastError = reason;
    const port = this.#port;
    this.#port = null;
    port?.removeAllListeners('data');
    if (port?.isOpen) port.close(() => undefined);
    if (!this.#stopped && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#open();
      }, this.#reopenMs);
      this.#timer.unref();
    }
  }
}
