/**
 * serialport is a native module: loaded only when the centre has serial devices, and a machine
 * where it cannot load (no prebuilt binary, a missing system library) keeps running its MQTT
 * devices, with one clear message saying what to install.
 */
import type { Logger } from '../../logger.ts';

export type SerialPortModule = typeof import('serialport');

let loading: Promise<SerialPortModule | null> | null = null;

export function loadSerialPort(logger: Logger): Promise<SerialPortModule | null> {
  loading ??= import('serialport').then(
    (module) => module,
    (error: Error) => {
      logger.error(
        { err: error.message },
        'serial devices disabled: the serialport module cannot load on this machine. Reinstall with "npm install" on this machine (it ships prebuilt binaries for Linux x64/arm64); the MQTT devices keep working.',
      );
      return null;
    },
  );
  return loading;
}
