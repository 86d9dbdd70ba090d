/**
 * What a transport adapter (MQTT, serial, USB HID, the next one) is to the device service: it
 * carries the devices whose `transport` is its `kind`, turns their wire format into the service's
 * events and handler calls, and the service's print jobs and display states into its wire format.
 * The service never imports an adapter; the composition root registers them.
 */
import type { PrintJob } from '../../devices/protocol/messages.ts';
import type { Device } from '../centre/schema.ts';
import type { DeviceHost } from './device-service.ts';

export interface DeviceTransport {
  /** The `transport` of the devices it carries. */
  readonly kind: Device['transport'];
  /** Opens its devices and follows the service (handlers, displays); registers everything it removes in stop(). */
  start(host: DeviceHost): Promise<void>;
  stop(): Promise<void>;
  /**
   * Prints a ticket on a dispenser it carries. Rejects when the printer fails, with a
   * `NoAnswerError` when the device did not answer at all (it is then not trusted to print).
   */
  print?(deviceId: string, job: PrintJob): Promise<void>;
}

/** A device did not answer a command in time. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
}
