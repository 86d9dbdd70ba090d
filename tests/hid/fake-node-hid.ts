/** A stand-in for node-hid: a list of plugged-in devices the test changes, and handles it drives. */
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../../controller/logger.ts';
import type { HidDeviceInfo, HidModule } from '../../controller/transports/hid/hid-loader.ts';

export class FakeHandle extends EventEmitter {
  closed = false;

  constructor(readonly path: string) {
    super();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.removeAllListeners();
  }

  /** The device sends an input report. */
  send(report: Buffer): void {
    this.emit('data', report);
  }

  /** The device is pulled out: node-hid's read fails. */
  unplug(): void {
    this.emit('error', new Error('could not read from HID device'));
  }
}

export class FakeNodeHid implements HidModule {
  attached: HidDeviceInfo[] = [];
  readonly opened: FakeHandle[] = [];
  listed = 0;
  /** Set to make opening fail, as without access to /dev/hidraw*. */
  refuse: string | null = null;
  readonly HIDAsync = {
    open: async (path: string): Promise<FakeHandle> => {
      if (this.refuse) throw new Error(this.refuse);
      if (!this.attached.some((d) => d.path === path))
        throw new Error(`cannot open device with path ${path}`);
      const handle = new FakeHandle(path);
      this.opened.push(handle);
      return handle;
    },
  };

  devices(): HidDeviceInfo[] {
    this.listed++;
    return this.attached.map((d) => ({ ...d }));
  }

  plug(info: HidDeviceInfo): void {
    this.attached.push(info);
  }

  unplug(path: string): void {
    this.attached = this.attached.filter((d) => d.path !== path);
    for (const h of this.opened) if (h.path === path && !h.closed) h.unplug();
  }

  /** The handle open on this path now. */
  handle(path: string): FakeHandle {
    const h = this.opened.findLast((o) => o.path === path && !o.closed);
    if (!h) throw new Error(`nothing open on ${path}`);
    return h;
  }
}

/** A logger that keeps what it was given, to check the messages. */
export function recordingLogger(): { logger: Logger; lines: { level: number; msg: string }[] } {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}
