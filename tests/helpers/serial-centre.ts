/**
 * The demo centre with its serial devices on real pseudo-terminals (socat): the controller opens
 * the host ends as if they were USB-serial adapters; the tests drive simulators on the other ends.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { type InProcess, startInProcess } from './controller-in-process.ts';
import { tempDataDir } from './controller-process.ts';
import { PtyPair } from './pty-pair.ts';

export interface SerialCentre extends InProcess {
  printer: PtyPair;
  bus: PtyPair;
  scanner: PtyPair;
  /** Opens the device end of a pair, as the simulated device. */
  openDevice: (pair: PtyPair, baudRate?: number) => Promise<SerialPort>;
  stopAll: () => Promise<void>;
}

/** `serialOnly`: the demo centre without its MQTT and USB devices (a centre wired only to this PC). */
export async function startSerialCentre(options: { serialOnly?: boolean } = {}): Promise<SerialCentre> {
  const ptys = tempDataDir('hall-pty-');
  const printer = new PtyPair(ptys.dir, 'printer');
  const bus = new PtyPair(ptys.dir, 'rs485');
  const scanner = new PtyPair(ptys.dir, 'scanner');
  await Promise.all([printer.plug(), bus.plug(), scanner.plug()]);
  const config = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
  if (options.serialOnly)
    config.devices = config.devices.filter((d: { transport?: string }) => d.transport === 'serial');
  for (const d of config.devices) {
    if (d.transport === 'serial') d.installed = true;
    if (d.id === 'kiosk-c') d.serial.path = printer.host;
    if (d.id === 'kiosk-a-scanner') d.serial.path = scanner.host;
  }
  config.serialBuses[0].port.path = bus.host;
  const configFile = join(ptys.dir, 'centre.json');
  writeFileSync(configFile, JSON.stringify(config));
  const centre = await startInProcess(undefined, { configFile });
  const opened: SerialPort[] = [];
  return {
    ...centre,
    printer,
    bus,
    scanner,
    openDevice: (pair, baudRate = 9600) =>
      new Promise((resolve, reject) => {
        const port = new SerialPort({ path: pair.device, baudRate }, (error) =>
          error ? reject(error) : resolve(port),
        );
        opened.push(port);
      }),
    stopAll: async () => {
      for (const port of opened) if (port.isOpen) await new Promise((r) => port.close(() => r(undefined)));
      await centre.stop();
      await Promise.all([printer.unplug(), bus.unplug(), scanner.unplug()]);
      ptys.remove();
    },
  };
}
