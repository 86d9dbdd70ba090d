/**
 * The RS-485 counter-display bus: the controller is the Modbus RTU master, each LED counter
 * display a slave with its own address (docs/rs485-displays.md).
 *
 * The bus is half duplex, so one transaction at a time: write the display's registers, wait for
 * its answer. A display that does not answer is retried, but its retries go to the back of the
 * queue so the other displays are not held up; when it has used them all it is marked offline
 * and from then on gets one attempt per write until it answers again.
 */
import { EventEmitter } from 'node:events';
import { type CounterDisplayState, displayRegisters } from './display-registers.ts';
import {
  exceptionName,
  FN_WRITE_MULTIPLE_REGISTERS,
  MAX_ADDRESS,
  MIN_ADDRESS,
  parseResponse,
  RtuFrameSplitter,
  toHex,
  type WriteResponse,
  writeRegistersRequest,
} from './frames.ts';

/** What the bus needs of a serial port: a SerialPort, a SerialPortMock or any Duplex. */
export interface BusPort {
  write(data: Buffer, callback?: (error?: Error | null) => void): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/** A pino logger fits. */
export interface BusLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface DisplayBusOptions {
  port: BusPort;
  /** How long to wait for each answer, from the moment the request is written. */
  timeoutMs?: number;
  /** Further attempts after the first, for a display that is online. */
  retries?: number;
  /** Silence kept on the bus between transactions. */
  interFrameMs?: number;
  logger?: BusLogger;
}

export interface AddressStatus {
  /** Assumed true until a write gets no answer after all its attempts. */
  online: boolean;
  /** When a display last acknowledged a write (epoch ms). */
  lastOk: number | null;
  /** Writes in a row that got no answer. */
  failures: number;
}

export type DisplayBusErrorReason = 'timeout' | 'exception' | 'closed' | 'port';

export class DisplayBusError extends Error {
  override readonly name = 'DisplayBusError';
  constructor(
    message: string,
    readonly address: number,
    readonly reason: DisplayBusErrorReason,
    readonly exceptionCode?: number,
  ) {
    super(message);
  }
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

interface Job {
  address: number;
  frame: Buffer;
  attempts: number;
  /** Every `show` this write stands for (newer states replace queued older ones). */
  waiters: Waiter[];
}

/** Emits 'offline' (address) and 'online' (address). */
export class DisplayBus extends EventEmitter {
  readonly #port: BusPort;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #interFrameMs: number;
  readonly #logger: BusLogger | undefined;
  readonly #splitter = new RtuFrameSplitter({ expect: 'responses' });
  readonly #status = new Map<number, AddressStatus>();
  #queue: Job[] = [];
  #busy = false;
  #closed = false;
  /** The transaction in flight: takes the answers, or is aborted by `close()`. */
  #current: {
    address: number;
    onAnswer: (answer: WriteResponse) => void;
    abort: (error: Error) => void;
  } | null = null;

  constructor({ port, timeoutMs = 200, retries = 2, interFrameMs = 5, logger }: DisplayBusOptions) {
    super();
    this.#port = port;
    this.#timeoutMs = timeoutMs;
    this.#retries = retries;
    this.#interFrameMs = interFrameMs;
    this.#logger = logger;
    port.on('data', this.#onData);
  }

  /**
   * Queues a write of `display` to the display at `address`. Resolves when the display has
   * acknowledged it (or a newer state for the same address that replaced it while queued).
   */
  show(address: number, display: CounterDisplayState): Promise<void> {
    if (this.#closed) return Promise.reject(new DisplayBusError('display bus is closed', address, 'closed'));
    if (!Number.isInteger(address) || address < MIN_ADDRESS || address > MAX_ADDRESS) {
      return Promise.reject(
        new RangeError(`display address must be ${MIN_ADDRESS}–${MAX_ADDRESS}, got ${address}`),
      );
    }
    let frame: Buffer;
    try {
      frame = writeRegistersRequest(address, 0, displayRegisters(display));
    } catch (error) {
      return Promise.reject(error);
    }
    if (!this.#status.has(address)) this.#status.set(address, { online: true, lastOk: null, failures: 0 });
    return new Promise<void>((resolve, reject) => {
      const queued = this.#queue.find((job) => job.address === address);
      if (queued) {
        queued.frame = frame;
        queued.waiters.push({ resolve, reject });
      } else {
        this.#queue.push({ address, frame, attempts: 0, waiters: [{ resolve, reject }] });
      }
      void this.#pump();
    });
  }

  status(): Map<number, AddressStatus> {
    return new Map([...this.#status].map(([address, status]) => [address, { ...status }]));
  }

  /** Stops listening to the port (it stays open) and rejects the write in flight and all queued. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.off('data', this.#onData);
    if (this.#current) {
      this.#current.abort(new DisplayBusError('display bus is closed', this.#current.address, 'closed'));
    }
    for (const job of this.#queue.splice(0)) {
      this.#settle(job, new DisplayBusError('display bus is closed', job.address, 'closed'));
    }
  }

  readonly #onData = (chunk: Buffer): void => {
    for (const frame of this.#splitter.push(chunk)) {
      const answer = parseResponse(frame);
      if (answer && this.#current) this.#current.onAnswer(answer);
      else this.#logger?.debug({ frame: toHex(frame) }, 'display bus: frame nobody waits for');
    }
  };

  async #pump(): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let job = this.#queue.shift(); job && !this.#closed; job = this.#queue.shift()) {
        await this.#run(job);
        await sleep(this.#interFrameMs);
      }
    } finally {
      this.#busy = false;
    }
  }

  /** One attempt of `job`; settles it or puts it back in the queue for another. */
  async #run(job: Job): Promise<void> {
    const status = this.#status.get(job.address) as AddressStatus;
    const maxAttempts = status.online ? 1 + this.#retries : 1;
    job.attempts++;
    let answer: WriteResponse | null;
    try {
      answer = await this.#transact(job);
    } catch (error) {
      const failure =
        error instanceof DisplayBusError
          ? error
          : new DisplayBusError(`serial port write failed: ${(error as Error).message}`, job.address, 'port');
      this.#settle(job, failure);
      return;
    }
    if (answer) {
      this.#reachable(job.address, status, answer.ok);
      if (answer.ok) this.#settle(job);
      else {
        const message = `display ${job.address} refused the write: exception ${exceptionName(answer.exceptionCode)}`;
        this.#settle(job, new DisplayBusError(message, job.address, 'exception', answer.exceptionCode));
      }
      return;
    }
    if (job.attempts < maxAttempts && !this.#closed) {
      this.#logger?.debug(
        { address: job.address, attempt: job.attempts },
        'display bus: no answer, will retry',
      );
      const newer = this.#queue.find((queued) => queued.address === job.address);
      if (newer) newer.waiters.push(...job.waiters);
      else this.#queue.push(job);
      return;
    }
    status.failures++;
    if (status.online) {
      status.online = false;
      this.#logger?.warn({ address: job.address, attempts: job.attempts }, 'display bus: display offline');
      this.emit('offline', job.address);
    }
    const tries = job.attempts === 1 ? '1 attempt' : `${job.attempts} attempts`;
    const message = `display ${job.address} did not answer (${tries}, ${this.#timeoutMs} ms each)`;
    this.#settle(job, new DisplayBusError(message, job.address, 'timeout'));
  }

  /** Writes the request and waits for the matching answer: null when none came in time. */
  #transact(job: Job): Promise<WriteResponse | null> {
    const start = job.frame.readUInt16BE(2);
    const quantity = job.frame.readUInt16BE(4);
    return new Promise((resolve, reject) => {
      const done = (finish: () => void): void => {
        if (this.#current !== current) return;
        clearTimeout(timer);
        this.#current = null;
        finish();
      };
      const current = {
        address: job.address,
        onAnswer: (answer: WriteResponse): void => {
          const matches =
            answer.address === job.address &&
            answer.function === FN_WRITE_MULTIPLE_REGISTERS &&
            (!answer.ok || (answer.start === start && answer.quantity === quantity));
          if (matches) done(() => resolve(answer));
          else this.#logger?.debug({ address: job.address, answer }, 'display bus: answer does not match');
        },
        abort: (error: Error): void => done(() => reject(error)),
      };
      const timer = setTimeout(() => done(() => resolve(null)), this.#timeoutMs);
      this.#current = current;
      this.#splitter.reset(); // anything heard before this request is stale
      this.#port.write(job.frame, (error) => {
        if (error) current.abort(error);
      });
    });
  }

  #reachable(address: number, status: AddressStatus, acknowledged: boolean): void {
    status.failures = 0;
    if (acknowledged) status.lastOk = Date.now();
    if (!status.online) {
      status.online = true;
      this.#logger?.info({ address }, 'display bus: display back online');
      this.emit('online', address);
    }
  }

  #settle(job: Job, error?: Error): void {
    for (const waiter of job.waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
