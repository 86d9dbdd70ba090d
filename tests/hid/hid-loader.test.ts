import { describe, expect, it } from 'vitest';
import { createHidLoader, type HidModule, loadNodeHid } from '../../controller/transports/hid/hid-loader.ts';
import { FakeNodeHid, recordingLogger } from './fake-node-hid.ts';

const LIBUSB_MISSING = 'libusb-1.0.so.0: cannot open shared object file: No such file or directory';

describe('node-hid loader', () => {
  it('gives up on a node-hid whose devices() throws (libusb missing), with one message naming the fix', async () => {
    const { logger, lines } = recordingLogger();
    let imports = 0;
    const load = createHidLoader(async () => {
      imports++;
      return {
        devices: () => {
          throw new Error(LIBUSB_MISSING);
        },
        HIDAsync: new FakeNodeHid().HIDAsync,
      };
    });
    expect(await load(logger)).toBeNull();
    expect(await load(logger)).toBeNull();
    expect(imports).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe(50);
    expect(lines[0]?.msg).toMatch(/sudo apt-get install libusb-1\.0-0/);
    expect(lines[0]?.msg).toMatch(/hidraw .*udev rule/);
    expect(lines[0]?.msg).toMatch(/MQTT and serial devices keep working/);
  });

  it('gives up on a node-hid that cannot even be imported', async () => {
    const { logger, lines } = recordingLogger();
    const load = createHidLoader(() => Promise.reject(new Error('Cannot find module node-hid')));
    expect(await load(logger)).toBeNull();
    expect(lines.map((l) => l.msg)).toEqual([expect.stringMatching(/npm install/)]);
  });

  it('hands over a node-hid that lists devices', async () => {
    const { logger, lines } = recordingLogger();
    const fake = new FakeNodeHid();
    const load = createHidLoader(async () => fake);
    expect(await load(logger)).toBe(fake);
    expect(fake.listed).toBe(1);
    expect(lines).toEqual([]);
  });

  it('loads the real node-hid on this machine, or explains in one message why not', async () => {
    const { logger, lines } = recordingLogger();
    const module: HidModule | null = await loadNodeHid(logger);
    if (module) {
      expect(Array.isArray(module.devices())).toBe(true);
      expect(lines).toEqual([]);
    } else {
      expect(lines).toHaveLength(1);
      expect(lines[0]?.msg).toMatch(/USB HID devices disabled/);
    }
  });
});
