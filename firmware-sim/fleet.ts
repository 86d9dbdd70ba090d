/** A simulated device for every MQTT device of a centre's configuration. */
import type { CentreConfig, Device } from '../controller/centre/schema.ts';
import { SimCallPad, SimRatingKeypad } from './devices/counter-devices.ts';
import { SimDispenser } from './devices/dispenser.ts';
import { SimCallDisplay, SimHallDisplay } from './devices/displays.ts';
import { SimScanner } from './devices/scanner.ts';
import type { SimDevice, SimOptions } from './sim-device.ts';

export interface Fleet {
  devices: SimDevice[];
  dispensers: SimDispenser[];
  displays: SimCallDisplay[];
  hallDisplays: SimHallDisplay[];
  pads: SimCallPad[];
  keypads: SimRatingKeypad[];
  scanners: SimScanner[];
  byId: (id: string) => SimDevice | undefined;
  /** The device of this type at this counter. */
  atCounter: <T extends SimDevice>(counterId: string, type: T['type']) => T | undefined;
}

/** A dispenser's paper roll (sheets, default 500), for a run longer than one roll. */
export type SimDeviceOptions = SimOptions & { paper?: number };

export function createSimDevice(device: Device, options: SimDeviceOptions): SimDevice {
  switch (device.type) {
    case 'dispenser':
      return new SimDispenser(options);
    case 'callDisplay':
      return new SimCallDisplay(options);
    case 'hallDisplay':
      return new SimHallDisplay(options);
    case 'ratingKeypad':
      return new SimRatingKeypad(options);
    case 'scanner':
      return new SimScanner(options);
    case 'callPad':
      return new SimCallPad(options);
  }
}

/** Builds (does not connect) the fleet; devices without a secret in `secrets` are left out. */
export function createFleet(
  config: CentreConfig,
  secrets: Record<string, string>,
  url: string,
  extra: Partial<SimDeviceOptions> = {},
): Fleet {
  const configured = new Map<string, Device>();
  const devices: SimDevice[] = [];
  for (const device of config.devices) {
    const secret = secrets[device.id];
    if (device.transport !== 'mqtt' || !secret) continue;
    configured.set(device.id, device);
    devices.push(
      createSimDevice(device, { url, centreId: config.centre.id, deviceId: device.id, secret, ...extra }),
    );
  }
  const of = <T extends SimDevice>(type: T['type']) => devices.filter((d): d is T => d.type === type);
  return {
    devices,
    dispensers: of<SimDispenser>('dispenser'),
    displays: of<SimCallDisplay>('callDisplay'),
    hallDisplays: of<SimHallDisplay>('hallDisplay'),
    pads: of<SimCallPad>('callPad'),
    keypads: of<SimRatingKeypad>('ratingKeypad'),
    scanners: of<SimScanner>('scanner'),
    byId: (id) => devices.find((d) => d.id === id),
    atCounter: <T extends SimDevice>(counterId: string, type: T['type']) =>
      devices.find((d): d is T => d.type === type && configured.get(d.id)?.counterId === counterId),
  };
}

export async function startFleet(fleet: Fleet): Promise<void> {
  await Promise.all(fleet.devices.map((d) => d.start()));
}

export async function stopFleet(fleet: Fleet): Promise<void> {
  await Promise.all(fleet.devices.map((d) => d.stop()));
}
