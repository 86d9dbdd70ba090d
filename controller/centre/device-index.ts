/**
 * A configuration's devices by id. Every message a device sends is looked up by its id (the broker's
 * access check, the MQTT transport, the print job's transport): a walk of the device list each time
 * cost the controller a few per cent of its CPU with 500 dispensers (bench/dispensers.ts). The index
 * is built once per device list; the configuration is replaced, never changed in place (the centre
 * store saves a new object), so a new list gets a new index.
 */
import type { Device } from './schema.ts';

const indexes = new WeakMap<readonly Device[], ReadonlyMap<string, Device>>();

export function deviceById(devices: readonly Device[], id: string): Device | undefined {
  let index = indexes.get(devices);
  if (!index) {
    index = new Map(devices.map((d) => [d.id, d]));
    indexes.set(devices, index);
  }
  return index.get(id);
}
