/**
 * `npm run kiosk-token -- <dispenserId> [--data-dir DIR]`: registers a kiosk for a dispenser of the
 * centre and prints its credential once, for `Authorization: Bearer <token>` (provisioning
 * scripts, load tests, a kiosk set up without the dashboard). Only its digest is kept, in
 * DATA_DIR/kiosks/; a running controller picks it up by itself. Revoke it on the dashboard.
 */
import { parseArgs } from 'node:util';
import { CentreStore } from './centre/centre-store.ts';
import { createLogger } from './logger.ts';
import { KioskCredentials } from './security/kiosk-credentials.ts';
import { readSettings } from './settings.ts';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, config: { type: 'string' } },
  });
  const dispenserId = positionals[0];
  if (!dispenserId || positionals.length > 1)
    throw new Error('usage: npm run kiosk-token -- <dispenserId> [--data-dir DIR]');
  const settings = readSettings(
    [
      ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
      ...(values.config ? ['--config', values.config] : []),
    ],
    process.env,
  );
  if (settings === 'help') return;
  const centre = await CentreStore.open({
    dataDir: settings.dataDir,
    seedFile: settings.configFile,
    importConfig: false,
    logger: createLogger({ level: 'warn' }),
  });
  const dispensers = centre.config.devices.filter((d) => d.type === 'dispenser').map((d) => d.id);
  if (!dispensers.includes(dispenserId)) {
    throw new Error(`no dispenser "${dispenserId}" in ${centre.file} (dispensers: ${dispensers.join(', ')})`);
  }
  const kiosks = new KioskCredentials(settings.dataDir);
  await kiosks.load();
  const { token, kiosk } = await kiosks.issue(dispenserId, 'kiosk-token command');
  console.error(
    `kiosk ${kiosk.id} registered for dispenser "${dispenserId}" in ${kiosks.dir}; its token (shown once):`,
  );
  console.log(token);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
