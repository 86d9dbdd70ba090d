/**
 * `npm run restore -- <backup folder> [--data-dir DIR] [--replace]`: checks the backup's manifest and
 * every checksum, then restores it into DATA_DIR (the same setting as `npm start`) with the
 * controller stopped. Exit code 0 once restored, 1 when refused (with why, nothing changed), 2 for
 * a usage error.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { StartupError } from '../listen.ts';
import { readSettings } from '../settings.ts';
import { BackupError } from './manifest.ts';
import { restoreBackup } from './restore.ts';

const USAGE = `Usage: npm run restore -- <backup folder> [--data-dir DIR] [--replace]

  <backup folder>  a folder made by npm run backup (backup-<centre id>-<UTC time>)
  --data-dir DIR   the controller's data folder (env DATA_DIR, default ./data), as for npm start;
                   the controller must be stopped (systemctl stop hall-controller)
  --replace        the data folder already holds data: move it into DATA_DIR/replaced-<time>/ first`;

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; replace?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        replace: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(`give exactly one backup folder\n\n${USAGE}`);
    return 2;
  }
  const settings = readSettings(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (settings === 'help') return 0;
  try {
    const result = await restoreBackup({
      backupDir: resolve(positionals[0] ?? ''),
      dataDir: settings.dataDir,
      replace: values.replace === true,
    });
    const m = result.manifest;
    console.log(
      [
        `Restored / Đã khôi phục: ${settings.dataDir}`,
        `  from ${resolve(positionals[0] ?? '')} (centre ${m.centre.id}, taken ${m.createdAt} by ${m.createdBy})`,
        `  ${m.files.length} files, every checksum matched; journal up to seq ${result.journal.lastSeq}`,
        ...(result.replacedInto ? [`  what the folder held before is in ${result.replacedInto}`] : []),
        '  start the controller now (systemctl start hall-controller, or npm start)',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupError || error instanceof StartupError) {
      console.error(`Restore refused / Không khôi phục được: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
