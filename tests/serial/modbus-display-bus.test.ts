import { Duplex } from 'node:stream';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterDisplay } from '../../devices/protocol/messages.ts';
import { DisplayBus, DisplayBusError } from '../../devices/serial/modbus/display-bus.ts';
import { RtuFrameSplitter } from '../../devices/serial/modbus/frames.ts';
import { DisplayBusSim } from '../../firmware-sim/serial/display-bus-sim.ts';

/**
 * `@serialport/binding-mock`'s MockBinding, the very instance SerialPortMock opens ports with
 * (importing the package here would load its ESM build, a second instance with its own ports).
 */
const MockBinding = SerialPortMock.binding;
const TIMEOUT_MS = 100;
const PATH = '/dev/ttyRS485';

function call(counterNumber: number, label: string): CounterDisplay {
  return { counterNumber, label, state: 'called', blink: true, at: Date.now(), version: 1 };
}
function paused(counterNumber: number): CounterDisplay {
  return { counterNumber, label: null, state: 'paused', blink: false, at: Date.now(), version: 1 };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  MockBinding.reset();
});

/** A bus of displays behind a binding-mock serial port, the way the controller will open it. */
async function mockBus(addresses: number[], options: { retries?: number } = {}) {
  MockBinding.createPort(PATH, { echo: false, record: true });
  const port = new SerialPortMock({ path: PATH, baudRate: 9600 });
  await new Promise<void>((resolve, reject) => port.on('open', resolve).on('error', reject));
  const sim = new DisplayBusSim(addresses);
  sim.attachBinding(port.port as NonNullable<typeof port.port>);
  const bus = new DisplayBus({ port, timeoutMs: TIMEOUT_MS, ...options });
  cleanups.push(async () => {
    bus.close();
    if (port.isOpen) await new Promise((resolve) => port.close(resolve));
  });
  /** Requests the controller put on the wire for `address`, from the mock's recording. */
  const sentTo = (address: number): number =>
    new RtuFrameSplitter({ expect: 'requests' })
      .push(port.port?.recording ?? Buffer.alloc(0))
      .filter((frame) => frame[0] === address).length;
  return { port, sim, bus, sentTo };
}

/** Two in-memory ends of a serial line that deliver every byte in a chunk of its own. */
function byteByByteLine(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const end = (other: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        for (const byte of chunk) other().push(Buffer.from([byte]));
        callback();
      },
    });
  ends.push(
    end(() => ends[1] as Duplex),
    end(() => ends[0] as Duplex),
  );
  return ends as [Duplex, Duplex];
}

async function elapsed(promise: Promise<unknown>, since: number): Promise<number> {
  await promise;
  return Date.now() - since;
}

describe('DisplayBus over binding-mock', () => {
  it('sends a call to the right display on a bus of 4', async () => {
    const { port, sim, bus } = await mockBus([1, 2, 3, 4]);
    const shown: [number, unknown][] = [];
    sim.on('shown', (address, state) => shown.push([address, state]));

    await bus.show(3, call(3, '1023'));

    expect(sim.shown(3)).toEqual({ mode: 'called', counterNumber: 3, label: '1023' });
    expect(shown).toEqual([[3, { mode: 'called', counterNumber: 3, label: '1023' }]]);
    for (const other of [1, 2, 4]) expect(sim.shown(other).mode).toBe('blank');
    expect(port.port?.recording.toString('hex').toUpperCase()).toBe(
      '0310000000060C0003000331303233202020208804',
    );
    expect(bus.status().get(3)).toEqual({ online: true, lastOk: expect.any(Number), failures: 0 });
  });

  it('runs one transaction at a time and delivers each display its own state', async () => {
    const { port, sim, bus } = await mockBus([1, 2, 3, 4]);
    const wire: string[] = []; // what goes over the bus, in order
    const binding = port.port as NonNullable<typeof port.port>;
    const { write, emitData } = binding;
    binding.write = (data: Buffer) => {
      wire.push(`request to ${data[0]}`);
      return write.call(binding, data);
    };
    binding.emitData = (data: Buffer | string) => {
      wire.push(`answer from ${data[0]}`);
      emitData.call(binding, data);
    };

    await Promise.all([bus.show(1, call(1, 'A001')), bus.show(2, paused(2)), bus.show(4, call(4, '4004'))]);

    expect(sim.shown(1)).toEqual({ mode: 'called', counterNumber: 1, label: 'A001' });
    expect(sim.shown(2)).toEqual({ mode: 'paused', counterNumber: 2, label: null });
    expect(sim.shown(4)).toEqual({ mode: 'called', counterNumber: 4, label: '4004' });
    expect(wire).toEqual([
      'request to 1',
      'answer from 1',
      'request to 2',
      'answer from 2',
      'request to 4',
      'answer from 4',
    ]);
  });

  it('marks a silent display offline after its retries without holding up the others', async () => {
    const { sim, bus, sentTo } = await mockBus([1, 2, 3, 4]);
    const offline: number[] = [];
    bus.on('offline', (address) => offline.push(address));
    sim.silence(2);

    const start = Date.now();
    const dead = bus.show(2, call(2, '2001')).catch((error: unknown) => error);
    const others = [1, 3, 4].map((address) =>
      elapsed(bus.show(address, call(address, `${address}00`)), start),
    );

    const took = await Promise.all(others);
    for (const ms of took) expect(ms).toBeLessThan(TIMEOUT_MS * 2);
    const error = await dead;
    expect(error).toBeInstanceOf(DisplayBusError);
    expect(error).toMatchObject({ address: 2, reason: 'timeout' });
    expect((error as Error).message).toBe('display 2 did not answer (3 attempts, 100 ms each)');
    expect(sentTo(2)).toBe(3);
    expect(offline).toEqual([2]);
    expect(bus.status().get(2)).toEqual({ online: false, lastOk: null, failures: 1 });
    expect(sim.shown(3).label).toBe('300');

    // offline now: one attempt per write, and the others still go straight through
    const again = Date.now();
    const second = elapsed(
      bus.show(2, paused(2)).catch(() => undefined),
      again,
    );
    expect(await elapsed(bus.show(1, paused(1)), again)).toBeLessThan(TIMEOUT_MS * 2);
    expect(await second).toBeLessThan(TIMEOUT_MS * 2);
    expect(sentTo(2)).toBe(4);
    expect(bus.status().get(2)?.failures).toBe(2);
    expect(offline).toEqual([2]);
  });

  it('brings a display back online when it answers again', async () => {
    const { sim, bus } = await mockBus([1, 2], { retries: 1 });
    const events: string[] = [];
    bus.on('offline', (address) => events.push(`offline ${address}`));
    bus.on('online', (address) => events.push(`online ${address}`));
    sim.silence(2);
    await expect(bus.show(2, call(2, '17'))).rejects.toThrow(/display 2 did not answer \(2 attempts/);

    sim.silence(2, false);
    await bus.show(2, call(2, '18'));
    expect(events).toEqual(['offline 2', 'online 2']);
    expect(sim.shown(2).label).toBe('18');
    expect(bus.status().get(2)).toEqual({ online: true, lastOk: expect.any(Number), failures: 0 });
  });

  it('coalesces queued writes for the same address: only the latest state goes out', async () => {
    const { sim, bus } = await mockBus([1, 2, 3, 4]);
    const first = bus.show(1, call(1, '100')); // on the bus now
    const queued = [bus.show(3, call(3, '301')), bus.show(3, call(3, '302')), bus.show(3, paused(3))];
    const last = bus.show(4, call(4, '401'));
    await Promise.all([first, ...queued, last]);

    expect(sim.writesTo(3)).toBe(1);
    expect(sim.shown(3)).toEqual({ mode: 'paused', counterNumber: 3, label: null });
    expect(sim.requests.map((r) => r.address)).toEqual([1, 3, 4]);
  });

  it('retries an answer with a bad CRC', async () => {
    const { sim, bus, sentTo } = await mockBus([1, 2, 3, 4]);
    sim.corruptAnswers(4);
    await bus.show(4, call(4, '4711'));
    expect(sentTo(4)).toBe(2);
    expect(sim.shown(4).label).toBe('4711');
    expect(bus.status().get(4)).toMatchObject({ online: true, failures: 0 });
  });
});

describe('DisplayBus over an in-memory line', () => {
  async function lineBus(addresses: number[], simOptions: { registers?: number } = {}) {
    const [controllerEnd, displayEnd] = byteByByteLine();
    const sim = new DisplayBusSim(addresses, simOptions);
    sim.attach(displayEnd);
    const bus = new DisplayBus({ port: controllerEnd, timeoutMs: TIMEOUT_MS, retries: 1 });
    cleanups.push(() => bus.close());
    return { sim, bus };
  }

  it('works when every byte arrives in a chunk of its own', async () => {
    const { sim, bus } = await lineBus([7, 8]);
    await Promise.all([bus.show(7, call(7, 'B12')), bus.show(8, call(8, 'C7'))]);
    expect(sim.shown(7)).toEqual({ mode: 'called', counterNumber: 7, label: 'B12' });
    expect(sim.shown(8)).toEqual({ mode: 'called', counterNumber: 8, label: 'C7' });
  });

  it('names the exception code when a display refuses the write, and keeps it online', async () => {
    const { sim, bus } = await lineBus([5], { registers: 4 }); // an older model without label registers 4–5
    const error = await bus.show(5, call(5, '12')).catch((e: unknown) => e);
    expect(error).toMatchObject({ address: 5, reason: 'exception', exceptionCode: 2 });
    expect((error as Error).message).toBe(
      'display 5 refused the write: exception 0x02 (illegal data address)',
    );
    expect(sim.writesTo(5)).toBe(1); // an exception is an answer: no retry
    expect(bus.status().get(5)).toMatchObject({ online: true, failures: 0, lastOk: null });
  });

  it('rejects what cannot be shown before touching the bus', async () => {
    const { sim, bus } = await lineBus([1]);
    await expect(bus.show(0, call(0, '1'))).rejects.toThrow(/address must be 1–247/);
    await expect(bus.show(248, call(1, '1'))).rejects.toThrow(RangeError);
    await expect(bus.show(1, call(1, 'TOO-LONG-1'))).rejects.toThrow(/8 printable ASCII/);
    expect(sim.requests).toEqual([]);
    expect(bus.status().size).toBe(0);
  });

  it('close() rejects the write in flight and the queued ones', async () => {
    const { sim, bus } = await lineBus([1, 2]);
    sim.silence(1);
    const writes = [bus.show(1, call(1, '1')), bus.show(2, call(2, '2'))].map((p) =>
      p.catch((e: unknown) => e),
    );
    bus.close();
    for (const error of await Promise.all(writes)) expect(error).toMatchObject({ reason: 'closed' });
    await expect(bus.show(2, call(2, '3'))).rejects.toThrow(/closed/);
    expect(sim.writesTo(2)).toBe(0);
  });
});
