/**
 * Run as a child process (`node --import tsx tests/helpers/native-modules-probe.ts <centre.json>
 * <data dir>`): starts the controller on that configuration, then prints which native device
 * modules the process has loaded. CommonJS packages imported from ES modules land in the CommonJS
 * module cache, so the cache tells whether serialport (its bindings) or node-hid were ever loaded.
 */
import { createRequire } from 'node:module';
import { Controller } from '../../controller/controller.ts';
import { silentLogger } from '../../controller/logger.ts';
import { settingsWith } from '../../controller/settings.ts';

const [configFile, dataDir] = process.argv.slice(2);
if (!configFile || !dataDir) throw new Error('usage: native-modules-probe.ts <centre.json> <data dir>');
const controller = new Controller(
  settingsWith({ httpPort: 0, mqttPort: 0, host: '127.0.0.1', dataDir, configFile, logLevel: 'silent' }),
  silentLogger,
);
await controller.start();
const loaded = Object.keys(createRequire(import.meta.url).cache);
const has = (pkg: string) => loaded.some((file) => file.includes(`/node_modules/${pkg}/`));
const report = {
  transports: controller.deviceService.transports,
  serialport: has('serialport') || has('@serialport/bindings-cpp'),
  nodeHid: has('node-hid'),
};
await controller.stop();
process.stdout.write(`${JSON.stringify(report)}\n`);
