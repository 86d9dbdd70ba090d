/**
 * Scanners and rating keypads plugged into this PC's USB ports as HID devices (docs/usb-hid.md):
 * barcode scanners in HID POS mode and keypads in vendor mode. They sit behind the same device
 * model as the MQTT and serial devices (health, alerts, the same handlers), so the queue does not
 * care how a device is attached.
 *
 * Each device is found by its USB ids among the HID devices the system lists, and looked for
 * again every few seconds while it is missing: one plugged in after the start, or unplugged and
 * plugged back (into any socket), comes back without a restart.
 */
import { randomUUID } from 'node:crypto';
import { type HidDeviceConfig, hidConfigOf } from '../../../devices/hid/hid-config.ts';
import { DEFAULT_KEYPAD_KEYS, KeypadDecoder } from '../../../devices/hid/keypad-report.ts';
import { PosScannerDecoder } from '../../../devices/hid/pos-scanner-report.ts';
import type { CentreConfig, Device } from '../../centre/schema.ts';
import type { DeviceErrorKind, DeviceRegistry } from '../../device-service/device-registry.ts';
import type { DeviceHost } from '../../device-service/device-service.ts';
import type { Answer, DeviceContext, HandledEvent } from '../../device-service/handlers/context.ts';
import { onRate } from '../../device-service/handlers/rating-keypad.ts';
import { onScan } from '../../device-service/handlers/scanner.ts';
import type { DeviceTransport } from '../../device-service/transport.ts';
import type { Logger } from '../../logger.ts';
import {
  checkNodeHid,
  type HidDeviceInfo,
  type HidHandle,
  type HidModule,
  loadNodeHid,
} from './hid-loader.ts';

/** HID POS usage page (HID Point of Sale Usage Tables: "Bar Code Scanner"). */
export const HID_POS_USAGE_PAGE = 0x8c;
const GENERIC_DESKTOP = 0x01;
const KEYBOARD = 0x06;
export const HID_RESCAN_MS = 3000;

export interface HidDevicesOptions {
  config: () => CentreConfig;
  registry: DeviceRegistry;
  logger: Logger;
  /** node-hid, or a stand-in; by default node-hid, loaded only when a device needs it. */
  hid?: HidModule;
  /** How often missing devices are looked for. */
  rescanMs?: number;
  /** Identical keypad reports closer together than this count once. */
  keypadDebounceMs?: number;
}

interface Slot {
  device: Device;
  hid: HidDeviceConfig;
  handle: HidHandle | null;
  /** The device's path while it is open or being opened. */
  path: string | null;
  opening: boolean;
  /** The last reason it could not be opened, so a repeat is not logged again. */
  problem: string;
}

export class HidDevices implements DeviceTransport {
  readonly kind = 'hid';
  readonly #o: HidDevicesOptions;
  readonly #slots: Slot[] = [];
  #module: HidModule | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Bumped by stop(), so an open that finishes after it is closed again. */
  #generation = 0;
  #boot = '';
  #seq = 0;
  #listProblem = '';

  constructor(options: HidDevicesOptions) {
    this.#o = options;
  }

  /** Opens what the configuration has on USB HID; without any, node-hid is never loaded. */
  async start(host: Pick<DeviceHost, 'context'>): Promise<void> {
    const ctx = host.context;
    const log = this.#o.logger;
    for (const device of this.#o.config().devices) {
      if (device.transport !== 'hid' || !device.installed) continue;
      if (device.type !== 'scanner' && device.type !== 'ratingKeypad') {
        log.warn(
          { deviceId: device.id, type: device.type },
          `a ${device.type} on USB HID is not supported (only scanners and rating keypads are); it stays offline`,
        );
        continue;
      }
      const hid = hidConfigOf(device);
      if (!hid) {
        log.warn(
          { deviceId: device.id },
          'a USB HID device needs "hid": { "vendorId", "productId" } (see docs/usb-hid.md); it stays offline',
        );
        continue;
      }
      this.#slots.push({ device, hid, handle: null, path: null, opening: false, problem: '' });
    }
    if (this.#slots.length === 0) return;
    this.#module = this.#o.hid ? checkNodeHid(this.#o.hid, log) : await loadNodeHid(log);
    if (!this.#module) return;
    this.#boot = randomUUID().slice(0, 8);
    this.#seq = 0;
    this.#o.registry.expect(this.#slots.map((s) => s.device.id));
    this.#timer = setInterval(() => void this.#rescan(ctx), this.#o.rescanMs ?? HID_RESCAN_MS);
    this.#timer.unref();
    await this.#rescan(ctx);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#generation++;
    this.#module = null;
    const handles = this.#slots.splice(0).flatMap((slot) => (slot.handle ? [slot.handle] : []));
    await Promise.all(handles.map(closeQuietly));
  }

  /** Opens every configured device that is not open and is plugged in now. */
  async #rescan(ctx: DeviceContext): Promise<void> {
    const module = this.#module;
    const missing = this.#slots.filter((s) => !s.handle && !s.opening);
    if (!module || missing.length === 0) return; // no enumeration while everything is open
    let attached: HidDeviceInfo[];
    try {
      attached = module.devices();
      this.#listProblem = '';
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.#listProblem) this.#o.logger.warn({ err: message }, 'cannot list USB HID devices');
      this.#listProblem = message;
      return;
    }
    const generation = this.#generation;
    const opens: Promise<void>[] = [];
    for (const slot of missing) {
      const inUse = new Set(this.#slots.map((s) => s.path).filter((p) => p !== null));
      const found = pick(attached, slot, inUse);
      if ('problem' in found) {
        this.#problem(slot, found.problem);
        continue;
      }
      slot.opening = true;
      slot.path = found.path;
      const opened = Promise.resolve()
        .then(() => module.HIDAsync.open(found.path))
        .then(
          (handle) => {
            slot.opening = false;
            if (generation !== this.#generation) return void closeQuietly(handle);
            this.#opened(slot, handle, found.path, ctx);
          },
          (error: Error) => {
            slot.opening = false;
            slot.path = null;
            this.#problem(
              slot,
              `cannot open ${found.path} (${error.message}); is there a udev rule giving this user access? (docs/usb-hid.md)`,
            );
          },
        );
      opens.push(opened);
    }
    await Promise.all(opens);
  }

  #opened(slot: Slot, handle: HidHandle, path: string, ctx: DeviceContext): void {
    const { device } = slot;
    const registry = this.#o.registry;
    slot.handle = handle;
    slot.path = path;
    slot.problem = '';
    const bad = (kind: DeviceErrorKind, detail: string) => registry.countError(device.id, kind, detail);
    let onReport: (report: Buffer) => void;
    if (device.type === 'scanner') {
      const decoder = new PosScannerDecoder({ onReject: bad });
      onReport = (report) => {
        const code = decoder.push(report);
        if (code) this.#handle(device, (handled) => onScan(ctx, handled, { data: code.data }));
      };
    } else {
      const scale = this.#o.config().ratings.scale.length;
      const keys = slot.hid.keys ?? DEFAULT_KEYPAD_KEYS.slice(0, scale);
      const decoder = new KeypadDecoder(keys, { onReject: bad, debounceMs: this.#o.keypadDebounceMs });
      onReport = (report) => {
        const level = decoder.push(report);
        if (level !== null) this.#handle(device, (handled) => onRate(ctx, handled, { level }));
      };
    }
    handle.on('data', (report) => {
      if (slot.handle !== handle) return;
      registry.seen(device.id);
      onReport(report);
    });
    handle.on('error', (error) =>
      this.#lost(slot, handle, error instanceof Error ? error.message : String(error)),
    );
    registry.connected(device.id);
    this.#o.logger.info({ deviceId: device.id, path }, 'USB HID device open');
  }

  /** Unplugged (or unreadable): closed, offline, and looked for again at the next re-scan. */
  #lost(slot: Slot, handle: HidHandle, reason: string): void {
    if (slot.handle !== handle) return;
    slot.handle = null;
    slot.path = null;
    void closeQuietly(handle);
    this.#o.registry.disconnected(slot.device.id);
    this.#o.logger.warn(
      { deviceId: slot.device.id, reason },
      `USB HID device lost; looking for it every ${(this.#o.rescanMs ?? HID_RESCAN_MS) / 1000} s`,
    );
  }

  #handle(device: Device, handler: (handled: HandledEvent) => Promise<Answer>): void {
    const handled = { device, requestId: `${device.id}:${this.#boot}:${this.#seq++}` };
    handler(handled).then(
      (answer) => {
        if (answer.status === 'error')
          this.#o.registry.countError(device.id, 'refusedEvent', answer.error.message);
      },
      (error: Error) => this.#o.logger.error({ err: error, deviceId: device.id }, 'USB HID event failed'),
    );
  }

  #problem(slot: Slot, problem: string): void {
    if (problem === slot.problem) return;
    slot.problem = problem;
    this.#o.logger.warn({ deviceId: slot.device.id }, `USB HID device not open: ${problem}; retrying`);
  }
}

/** The device's interface to open, or why there is none. */
function pick(
  attached: HidDeviceInfo[],
  slot: Slot,
  inUse: ReadonlySet<string>,
): { path: string } | { problem: string } {
  const { hid, device } = slot;
  const ids = `${hex(hid.vendorId)}:${hex(hid.productId)}`;
  let candidates = attached.filter(
    (d): d is HidDeviceInfo & { path: string } =>
      d.vendorId === hid.vendorId &&
      d.productId === hid.productId &&
      (hid.serialNumber === undefined || d.serialNumber === hid.serialNumber) &&
      typeof d.path === 'string' &&
      d.path.length > 0,
  );
  const serial = hid.serialNumber === undefined ? '' : ` with serial number ${hid.serialNumber}`;
  if (candidates.length === 0) return { problem: `no USB HID device ${ids}${serial} is plugged in` };
  // Backends that cannot read the report descriptor give no usage page (undefined or 0).
  const known = candidates.filter((d) => d.usagePage !== undefined && d.usagePage !== 0);
  const wanted = hid.usagePage ?? (device.type === 'scanner' ? HID_POS_USAGE_PAGE : undefined);
  if (wanted !== undefined && known.length > 0) {
    const matching = candidates.filter((d) => d.usagePage === wanted);
    if (matching.length > 0) candidates = matching;
    else if (hid.usagePage !== undefined)
      return { problem: `device ${ids} has no HID interface with usage page ${hex(wanted)}` };
  }
  const keyboards = (d: HidDeviceInfo) => d.usagePage === GENERIC_DESKTOP && d.usage === KEYBOARD;
  if (candidates.every(keyboards)) {
    const mode = device.type === 'scanner' ? 'USB HID POS' : 'its vendor (HID) mode';
    return {
      problem: `device ${ids} is a USB keyboard, which the system keeps to itself: switch it to ${mode} (docs/usb-hid.md)`,
    };
  }
  const free = candidates.filter((d) => !keyboards(d) && !inUse.has(d.path));
  const first = free[0];
  if (!first) return { problem: `device ${ids}${serial} is already used by another configured device` };
  return { path: first.path };
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}

async function closeQuietly(handle: HidHandle): Promise<void> {
  try {
    await handle.close();
  } catch {
    // Already closed, or gone with the device.
  }
}
