/**
 * `npm run provision -- [--data-dir DIR] [--config FILE] [--device ID ...]`: secrets for the
 * centre's MQTT devices (all that have none, or the ones named). Run it while the controller is
 * stopped, or use `POST /api/devices/:id/secret` on a running one.
 */
import { parseArgs } from 'node:util';
import { CentreStore } from './centre/centre-store.ts';
import { ConfigError } from './centre/load.ts';
import { provisionDevices, SECRETS_FILE } from './centre/provision.ts';
import { createLogger } from './logger.ts';
import { readSettings } from './settings.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    'data-dir': { type: 'string' },
    config: { type: 'string' },
    device: { type: 'string', multiple: true },
  },
});
const settings = readSettings(
  [
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values.config ? ['--config', values.config] : []),
  ],
  process.env,
);
if (settings === 'help') process.exit(0);
try {
  const store = await CentreStore.open({
    dataDir: settings.dataDir,
    seedFile: settings.configFile,
    importConfig: false,
    logger: createLogger({ level: 'warn' }),
  });
  const given = await provisionDevices(store, settings.dataDir, values.device);
  console.log(
    given.length
      ? `New secrets for ${given.length} device(s): ${given.join(', ')}\nSecrets: ${settings.dataDir}/${SECRETS_FILE} (owner-only; put them into the devices, then delete the file)`
      : 'Every MQTT device already has a secret (name devices with --device to replace theirs).',
  );
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `provision failed: ${(error as Error).message}`,
  );
  process.exit(1);
}
