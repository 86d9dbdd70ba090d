/**
 * `npm run provision -- [--data-dir DIR] [--config FILE] [--device ID ...] [--monitor]`: secrets for
 * the centre's MQTT devices (all that have none, or the ones named), or (`--monitor`) a new secret
 * for the read-only monitor used by `npm run monitor` and mosquitto_sub. Run it while the controller is
 * stopped (it refuses otherwise), or use `POST /api/devices/:id/secret` on a running one.
 */
import { parseArgs } from 'node:util';
import { CentreStore } from './centre/centre-store.ts';
import { ConfigError } from './centre/load.ts';
import { provisionDevices, provisionMonitor, SECRETS_FILE } from './centre/provision.ts';
import { MONITOR_USER } from './centre/schema.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { refuseNewerFormats } from './formats/data-format.ts';
import { StartupError } from './listen.ts';
import { createLogger } from './logger.ts';
import { readSettings, SettingsError } from './settings.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      config: { type: 'string' },
      device: { type: 'string', multiple: true },
      monitor: { type: 'boolean' },
    },
  });
  const args = [
    ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
    ...(values.config ? ['--config', values.config] : []),
  ];
  const settings = readSettings(args, process.env);
  if (settings === 'help') return;
  // Editing the configuration under a running controller would be lost when it next saves.
  const lock = await DataDirLock.acquire(settings.dataDir, 'provisioning');
  try {
    await refuseNewerFormats(settings.dataDir);
    const store = await CentreStore.open({
      dataDir: settings.dataDir,
      seedFile: settings.configFile,
      importConfig: false,
      logger: createLogger({ level: 'warn' }),
    });
    if (values.monitor) {
      await provisionMonitor(store, settings.dataDir);
      console.log(
        `New secret for the read-only monitor (user name "${MONITOR_USER}", client id "${MONITOR_USER}" or "${MONITOR_USER}/<anything>"): key "${MONITOR_USER}" in ${settings.dataDir}/${SECRETS_FILE}`,
      );
      return;
    }
    const given = await provisionDevices(store, settings.dataDir, values.device);
    console.log(
      given.length
        ? `New secrets for ${given.length} device(s): ${given.join(', ')}\nSecrets: ${settings.dataDir}/${SECRETS_FILE} (owner-only; put them into the devices, then delete the file)`
        : 'Every MQTT device already has a secret (name devices with --device to replace theirs).',
    );
  } finally {
    await lock.release();
  }
}

main().catch((error: Error) => {
  const known =
    error instanceof ConfigError || error instanceof StartupError || error instanceof SettingsError;
  const usage = (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  console.error(known || usage ? error.message : `provision failed: ${error.message}`);
  if (usage)
    console.error(
      'Usage: npm run provision -- [--data-dir DIR] [--config FILE] [--device ID ... | --monitor]',
    );
  process.exit(1);
});
