/**
 * node-hid is a native module: loaded only when the centre has USB HID devices. Importing it is not
 * enough to know it works (its binary, and the libraries that binary needs, load at the first
 * call), so the loader lists the devices once: a machine where that fails keeps running its MQTT
 * and serial devices, with one clear message saying what to install.
 */
import type { Logger } from '../../logger.ts';

/** What the controller uses of a device list entry. */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** An open device: reports come as 'data'; 'error' when it is unplugged or cannot be read. */
export interface HidHandle {
  on(event: 'data', listener: (report: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void> | void;
}

/**
 * What the controller uses of node-hid (tests pass a fake). Devices are opened with HIDAsync: it
 * reads each device on a thread of its own, where the sync HID class would hold one of libuv's
 * four worker threads (the ones file writes and scrypt need) per device for as long as it is open.
 */
export interface HidModule {
  devices(): HidDeviceInfo[];
  HIDAsync: { open(path: string): Promise<HidHandle> };
}

/** The module if it really works here (it can list the devices), else null after one logged message. */
export function checkNodeHid(module: HidModule, logger: Logger): HidModule | null {
  try {
    module.devices();
    return module;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    logger.error({ err: message }, unavailable(message));
    return null;
  }
}

/** A loader that imports once and checks once, however often it is called. */
export function createHidLoader(
  importModule: () => Promise<HidModule>,
): (logger: Logger) => Promise<HidModule | null> {
  let loading: Promise<HidModule | null> | null = null;
  return (logger) => {
    loading ??= importModule().then(
      (module) => checkNodeHid(module, logger),
      (error: Error) => {
        logger.error(
          { err: error.message },
          'USB HID devices disabled: the node-hid module cannot load. Reinstall with "npm install" on this machine (it ships prebuilt binaries for Linux x64/arm64); the MQTT and serial devices keep working.',
        );
        return null;
      },
    );
    return loading;
  };
}

export const loadNodeHid = createHidLoader(async () => {
  const module: HidModule = await import('node-hid');
  return module;
});

function unavailable(reason: string): string {
  const rules =
    'The default hidraw backend also needs a udev rule giving this user access to the scanners and keypads (docs/usb-hid.md).';
  const keepGoing = 'The MQTT and serial devices keep working.';
  if (/libusb/i.test(reason)) {
    return `USB HID devices disabled: node-hid cannot start because libusb is missing. Install it with "sudo apt-get install libusb-1.0-0" (node-hid's Linux binaries load it for both backends, libusb and hidraw) and restart. ${rules} ${keepGoing}`;
  }
  if (/libudev/i.test(reason)) {
    return `USB HID devices disabled: node-hid cannot start because libudev is missing. Install it with "sudo apt-get install libudev1 libusb-1.0-0" and restart. ${rules} ${keepGoing}`;
  }
  return `USB HID devices disabled: node-hid cannot list the USB devices. On Debian/Ubuntu install libusb ("sudo apt-get install libusb-1.0-0") and restart. ${rules} ${keepGoing}`;
}
