/**
 * Health of every configured device: online or not, last seen, firmware, printer paper, error
 * counts. Raises alerts (a device offline for a while, a printer out of paper or open, a device
 * misbehaving) and clears them when the cause goes away, so staff see which device it is.
 */

import { DEVICE_LIMITS } from '../../devices/limits.ts';
import type { Birth, DeviceState } from '../../devices/protocol/messages.ts';
import { deviceById } from '../centre/device-index.ts';
import type { CentreConfig, Device } from '../centre/schema.ts';
import type { EventBus } from '../event-bus.ts';

export const ERROR_KINDS = [
  'malformed',
  'oversized',
  'duplicate',
  'outOfOrder',
  'unauthorized',
  'rateLimited',
  'refusedEvent',
  'commandFailed',
] as const;
export type DeviceErrorKind = (typeof ERROR_KINDS)[number];

export interface DeviceHealth {
  id: string;
  type: Device['type'];
  transport: Device['transport'];
  /** false: configured but not in place yet — never opened, never reported offline. */
  installed: boolean;
  counterId: string | null;
  zoneId: string | null;
  online: boolean;
  since: number | null;
  lastSeen: number | null;
  firmware: string | null;
  hardware: string | null;
  boot: string | null;
  caps: string[];
  printer: DeviceState['printer'] | null;
  messages: number;
  errors: Record<DeviceErrorKind, number>;
  lastError: { at: number; kind: DeviceErrorKind; detail: string } | null;
}

export type AlertKind = 'offline' | 'paperOut' | 'paperLow' | 'coverOpen' | 'printerOffline' | 'misbehaving';

export interface DeviceAlert {
  id: string;
  deviceId: string;
  kind: AlertKind;
  active: boolean;
  at: number;
  /** Vietnamese, for staff screens. */
  message: string;
  messageEn: string;
}

export interface RegistryOptions {
  config: () => CentreConfig;
  bus: EventBus;
  clock?: () => number;
  /** A device is reported offline only after this long, so a quick reconnect raises nothing. */
  offlineAlertMs?: number;
  /** Errors within a minute that make a device "misbehaving". */
  misbehavingPerMinute?: number;
}

export class DeviceRegistry {
  readonly #o: RegistryOptions;
  readonly #clock: () => number;
  /** The device list the health entries were last brought in line with. */
  #synced: readonly Device[] | null = null;
  readonly #health = new Map<string, DeviceHealth>();
  readonly #alerts = new Map<string, DeviceAlert>();
  readonly #offlineTimers = new Map<string, NodeJS.Timeout>();
  readonly #recentErrors = new Map<string, number[]>();
  /** Devices whose last command went unanswered, since when: silent until they speak again. */
  readonly #unanswered = new Map<string, number>();

  constructor(options: RegistryOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  get(id: string): DeviceHealth | undefined {
    this.#sync();
    return this.#health.get(id);
  }

  all(): DeviceHealth[] {
    this.#sync();
    return [...this.#health.values()];
  }

  alerts(activeOnly = true): DeviceAlert[] {
    return [...this.#alerts.values()].filter((a) => a.active || !activeOnly);
  }

  connected(id: string): void {
    const h = this.#entry(id);
    if (!h) return;
    const timer = this.#offlineTimers.get(id);
    if (timer) clearTimeout(timer);
    this.#offlineTimers.delete(id);
    const now = this.#clock();
    h.online = true;
    h.since = now;
    h.lastSeen = now;
    this.#unanswered.delete(id);
    this.#setAlert(h, 'offline', false);
    this.#changed(h);
  }

  /** Devices that should connect (after a start): each not online within the grace is reported offline. */
  expect(ids: readonly string[]): void {
    for (const id of ids) {
      const h = this.#entry(id);
      if (h?.installed && !h.online && !this.#offlineTimers.has(id)) this.#startOfflineTimer(h);
    }
  }

  disconnected(id: string): void {
    const h = this.#entry(id);
    if (!h?.online) return;
    h.online = false;
    h.since = this.#clock();
    this.#changed(h);
    this.#startOfflineTimer(h);
  }

  #startOfflineTimer(h: DeviceHealth): void {
    const id = h.id;
    const timer = setTimeout(() => {
      this.#offlineTimers.delete(id);
      if (!h.online) this.#setAlert(h, 'offline', true);
    }, this.#o.offlineAlertMs ?? DEVICE_LIMITS.offlineAlertMs);
    timer.unref();
    this.#offlineTimers.set(id, timer);
  }

  seen(id: string): void {
    const h = this.#entry(id);
    if (!h) return;
    h.lastSeen = this.#clock();
    h.messages++;
    if (this.#unanswered.delete(id)) this.#changed(h); // it speaks again: it may print again
  }

  /** A command to the device got no answer in time: it is not trusted to print until it speaks. */
  noAnswer(id: string): void {
    const h = this.#entry(id);
    if (!h) return;
    this.#unanswered.set(id, this.#clock());
    this.#changed(h);
  }

  birth(id: string, birth: Birth): void {
    const h = this.#entry(id);
    if (!h) return;
    h.firmware = birth.fw;
    h.hardware = birth.hw ?? null;
    h.boot = birth.boot;
    h.caps = birth.caps;
    this.#changed(h);
  }

  state(id: string, state: DeviceState): void {
    const h = this.#entry(id);
    if (!h || !state.printer) return;
    h.printer = state.printer;
    this.#setAlert(h, 'paperOut', state.printer.paper === 'out');
    this.#setAlert(h, 'paperLow', state.printer.paper === 'low');
    this.#setAlert(h, 'coverOpen', state.printer.cover === 'open');
    this.#setAlert(h, 'printerOffline', !state.printer.online);
    this.#changed(h);
  }

  /**
   * Can this dispenser print now? Only when it is connected, answered its last command, and its
   * printer (as last reported) has paper, a closed cover and is working. A connected device that
   * has not reported a printer state yet counts as able: a fresh device may not have reported.
   */
  canPrint(id: string): boolean {
    const h = this.#entry(id);
    if (h?.installed === false) return false;
    if (!h?.online || this.#unanswered.has(id)) return false;
    const p = h.printer;
    return !p || (p.paper !== 'out' && p.cover === 'closed' && p.online);
  }

  countError(id: string, kind: DeviceErrorKind, detail: string): void {
    const h = this.#entry(id);
    if (!h) return;
    const now = this.#clock();
    h.errors[kind]++;
    h.lastError = { at: now, kind, detail: detail.slice(0, 200) };
    // A repeat is what QoS 1 does on a bad link, not misbehaviour.
    if (kind !== 'duplicate' && kind !== 'outOfOrder') {
      const recent = (this.#recentErrors.get(id) ?? []).filter((t) => now - t < 60_000);
      recent.push(now);
      this.#recentErrors.set(id, recent.slice(-1000));
    }
    this.#checkMisbehaving(h, now);
    this.#changed(h);
  }

  /** Re-checks the "misbehaving" alerts, so one clears when its device has calmed down. */
  review(): void {
    const now = this.#clock();
    for (const h of this.#health.values()) this.#checkMisbehaving(h, now);
  }

  stop(): void {
    for (const t of this.#offlineTimers.values()) clearTimeout(t);
    this.#offlineTimers.clear();
  }

  #checkMisbehaving(h: DeviceHealth, now: number): void {
    const recent = (this.#recentErrors.get(h.id) ?? []).filter((t) => now - t < 60_000);
    this.#recentErrors.set(h.id, recent);
    this.#setAlert(
      h,
      'misbehaving',
      recent.length >= (this.#o.misbehavingPerMinute ?? DEVICE_LIMITS.misbehavingPerMinute),
    );
  }

  /** Devices added to or removed from the configuration since the last look. */
  /**
   * Follows a new configuration's device list (installed flags, devices removed). Done once per
   * list: a configuration is replaced, never changed in place, and with 1,000 devices a walk per
   * get() — and a walk of the list per device — was what listing their health cost.
   */
  #sync(): void {
    const devices = this.#o.config().devices;
    if (devices === this.#synced) return;
    for (const d of devices) {
      const h = this.#entry(d.id);
      if (h) h.installed = d.installed;
    }
    for (const id of this.#health.keys()) if (!deviceById(devices, id)) this.#health.delete(id);
    this.#synced = devices;
  }

  #entry(id: string): DeviceHealth | undefined {
    const existing = this.#health.get(id);
    if (existing) return existing;
    const device = deviceById(this.#o.config().devices, id);
    if (!device) return undefined;
    const h: DeviceHealth = {
      id,
      type: device.type,
      transport: device.transport,
      installed: device.installed,
      counterId: device.counterId ?? null,
      zoneId: device.zoneId ?? null,
      online: false,
      since: null,
      lastSeen: null,
      firmware: null,
      hardware: null,
      boot: null,
      caps: [],
      printer: null,
      messages: 0,
      errors: Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<DeviceErrorKind, number>,
      lastError: null,
    };
    this.#health.set(id, h);
    return h;
  }

  #setAlert(h: DeviceHealth, kind: AlertKind, active: boolean): void {
    const id = `${h.id}:${kind}`;
    const existing = this.#alerts.get(id);
    if (Boolean(existing?.active) === active) return;
    const alert: DeviceAlert = {
      id,
      deviceId: h.id,
      kind,
      active,
      at: this.#clock(),
      ...describe(this.#o.config(), h, kind),
    };
    this.#alerts.set(id, alert);
    this.#o.bus.emitDeviceAlert(alert);
  }

  #changed(h: DeviceHealth): void {
    this.#o.bus.emitDeviceHealth(h);
  }
}

function describe(
  config: CentreConfig,
  h: DeviceHealth,
  kind: AlertKind,
): { message: string; messageEn: string } {
  const counter = config.counters.find((c) => c.id === h.counterId);
  const zone = config.zones.find((z) => z.id === h.zoneId);
  const where = counter ? ` (${counter.name})` : zone ? ` (${zone.name})` : '';
  const name = `${h.id}${where}`;
  switch (kind) {
    case 'offline':
      return { message: `Thiết bị ${name} mất kết nối`, messageEn: `Device ${name} is offline` };
    case 'paperOut':
      return { message: `Máy in ${name} hết giấy`, messageEn: `Printer ${name} is out of paper` };
    case 'paperLow':
      return { message: `Máy in ${name} sắp hết giấy`, messageEn: `Printer ${name} is low on paper` };
    case 'coverOpen':
      return { message: `Máy in ${name} đang mở nắp`, messageEn: `Printer ${name} cover is open` };
    case 'printerOffline':
      return { message: `Máy in ${name} không hoạt động`, messageEn: `Printer ${name} is not working` };
    case 'misbehaving':
      return {
        message: `Thiết bị ${name} gửi nhiều dữ liệu lỗi`,
        messageEn: `Device ${name} is sending bad data`,
      };
  }
}
