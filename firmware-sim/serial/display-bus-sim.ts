/**
 * Several RS-485 LED counter displays on one bus, answering Modbus RTU like the real ones
 * (register map: devices/serial/modbus/display-registers.ts). Frames with a bad CRC and frames for
 * other addresses get no answer at all, as on a real bus.
 *
 * Connect it with `attach(port)` (any stream-like port: it listens to 'data' and answers with
 * `write`), `attachBinding(binding)` (a `@serialport/binding-mock` port binding: it hears what the
 * master writes and answers with `emitData`) or call `receive(bytes)` and deliver the answers
 * yourself. Emits 'shown' (address, ShownDisplay) after each accepted write.
 */
import { EventEmitter } from 'node:events';
import {
  DISPLAY_MODES,
  DISPLAY_REGISTER_COUNT,
  REG_MODE,
  readDisplayRegisters,
  type ShownDisplay,
} from '../../devices/serial/modbus/display-registers.ts';
import {
  exceptionResponse,
  FN_WRITE_MULTIPLE_REGISTERS,
  MAX_WRITE_REGISTERS,
  parseWriteRequest,
  RtuFrameSplitter,
  type WriteRequest,
  writeRegistersResponse,
} from '../../devices/serial/modbus/frames.ts';

export interface SimPort {
  write(data: Buffer): unknown;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
}

/** The part of a `@serialport/binding-mock` MockPortBinding (`serialPortMock.port`) the sim uses. */
export interface SimBinding {
  write(data: Buffer): Promise<void>;
  emitData(data: Buffer): void;
}

export interface DisplayBusSimOptions {
  /** Registers each display has (default 6, the full map); fewer models an older display. */
  registers?: number;
  /** Time a display takes to answer. */
  replyDelayMs?: number;
}

interface SimDisplay {
  registers: number[];
  silent: boolean;
  corruptAnswers: number;
}

const BLANK_LABEL_WORD = 0x2020;

export class DisplayBusSim extends EventEmitter {
  /** Every sound write request a (not silenced) display of this bus heard, in order. */
  readonly requests: WriteRequest[] = [];
  readonly #displays = new Map<number, SimDisplay>();
  readonly #splitter = new RtuFrameSplitter({ expect: 'requests', gapMs: 50 });
  readonly #registerCount: number;
  readonly #replyDelayMs: number;

  constructor(addresses: number[], options: DisplayBusSimOptions = {}) {
    super();
    this.#registerCount = options.registers ?? DISPLAY_REGISTER_COUNT;
    this.#replyDelayMs = options.replyDelayMs ?? 1;
    for (const address of addresses) {
      const registers = new Array<number>(Math.max(this.#registerCount, DISPLAY_REGISTER_COUNT)).fill(0);
      registers.fill(BLANK_LABEL_WORD, 2, DISPLAY_REGISTER_COUNT);
      this.#displays.set(address, { registers, silent: false, corruptAnswers: 0 });
    }
  }

  /** Bytes heard on the bus; returns the answers to put back on it. */
  receive(bytes: Uint8Array): Buffer[] {
    const answers: Buffer[] = [];
    for (const frame of this.#splitter.push(bytes)) {
      const display = this.#displays.get(frame[0] as number);
      if (!display || display.silent) continue;
      let answer = this.#answer(frame[0] as number, display, frame);
      if (display.corruptAnswers > 0) {
        display.corruptAnswers--;
        answer = Buffer.from(answer);
        answer[answer.length - 1] = (answer[answer.length - 1] as number) ^ 0xff;
      }
      answers.push(answer);
    }
    return answers;
  }

  /** Listens to `port` and writes the answers back to it. Returns a function that detaches. */
  attach(port: SimPort): () => void {
    const onData = (chunk: Buffer): void => {
      for (const answer of this.receive(chunk)) setTimeout(() => port.write(answer), this.#replyDelayMs);
    };
    port.on('data', onData);
    return () => port.off('data', onData);
  }

  /** Hears every write to a binding-mock port and answers with `emitData`. Returns a function that detaches. */
  attachBinding(binding: SimBinding): () => void {
    const write = binding.write;
    binding.write = async (data: Buffer): Promise<void> => {
      await write.call(binding, data);
      for (const answer of this.receive(data)) {
        setTimeout(() => {
          try {
            binding.emitData(answer);
          } catch {
            // the port was closed meanwhile: the answer is lost, as on a real bus
          }
        }, this.#replyDelayMs);
      }
    };
    return () => {
      binding.write = write;
    };
  }

  /** What the display at `address` shows now. */
  shown(address: number): ShownDisplay {
    return readDisplayRegisters(this.#display(address).registers);
  }

  registers(address: number): number[] {
    return [...this.#display(address).registers];
  }

  /** A silenced display hears nothing and answers nothing (unplugged, powered off). */
  silence(address: number, silent = true): void {
    this.#display(address).silent = silent;
  }

  /** The next `count` answers of this display go out with a broken CRC. */
  corruptAnswers(address: number, count = 1): void {
    this.#display(address).corruptAnswers += count;
  }

  /** How many write requests the display at `address` has heard. */
  writesTo(address: number): number {
    return this.requests.filter((request) => request.address === address).length;
  }

  #display(address: number): SimDisplay {
    const display = this.#displays.get(address);
    if (!display) throw new Error(`no display at address ${address} on this bus`);
    return display;
  }

  #answer(address: number, display: SimDisplay, frame: Buffer): Buffer {
    const fn = frame[1] as number;
    const request = fn === FN_WRITE_MULTIPLE_REGISTERS ? parseWriteRequest(frame) : null;
    if (!request) return exceptionResponse(address, fn, 0x01); // illegal function
    this.requests.push(request);
    const { start, quantity, values } = request;
    if (quantity < 1 || quantity > MAX_WRITE_REGISTERS || values.length !== quantity) {
      return exceptionResponse(address, fn, 0x03); // illegal data value
    }
    if (start + quantity > this.#registerCount) return exceptionResponse(address, fn, 0x02); // illegal data address
    const registers = [...display.registers];
    registers.splice(start, quantity, ...values);
    if ((registers[REG_MODE] as number) >= DISPLAY_MODES.length) return exceptionResponse(address, fn, 0x03);
    display.registers = registers;
    this.emit('shown', address, readDisplayRegisters(registers));
    return writeRegistersResponse(address, start, quantity);
  }
}
