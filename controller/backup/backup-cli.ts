/**
 * `npm run backup -- <folder> [--data-dir DIR] [--keep N]`: a consistent copy of DATA_DIR (the same
 * setting as `npm start`) into a new folder `<folder>/backup-<centre>-<time>/`, while the controller
 * runs. Exit code 0 with the backup's path, 1 when refused (with why), 2 for a usage error.
 * Installed as a nightly systemd timer by deploy/hall-controller-backup.timer (docs/deployment.md).
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readSettings } from '../settings.ts';
import { takeBackup } from './backup.ts';
import { BackupError } from './manifest.ts';

const USAGE = `Usage: npm run backup -- <folder> [--data-dir DIR] [--keep N]

  <folder>        where to put the backup (a second disk, a mounted share); a new folder
                  backup-<centre id>-<UTC time>/ is made inside it
  --data-dir DIR  the controller's data folder (env DATA_DIR, default ./data), as for npm start
  --keep N        keep only the newest N backups of this centre in <folder>`;

async function main(): Promise<number> {
  let values: { 'data-dir'?: string; keep?: string; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        keep: { type: 'string' },
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
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  if (positionals.length !== 1 || (keep !== undefined && (!Number.isInteger(keep) || keep < 1))) {
    console.error(
      `${positionals.length !== 1 ? 'give exactly one backup folder' : '--keep must be a whole number of at least 1'}\n\n${USAGE}`,
    );
    return 2;
  }
  const settings = readSettings(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (settings === 'help') return 0;
  try {
    const { dir, manifest } = await takeBackup({
      dataDir: settings.dataDir,
      folder: resolve(positionals[0] ?? ''),
      ...(keep !== undefined ? { keep } : {}),
    });
    const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
    console.log(
      [
        `Backup written / Đã sao lưu: ${dir}`,
        `  centre ${manifest.centre.id} (${manifest.centre.name}), ${manifest.files.length} files, ${bytes} bytes`,
        `  journal up to seq ${manifest.journal.lastSeq} (snapshot at seq ${manifest.journal.snapshotSeq}); checksums in manifest.json and SHA256SUMS`,
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(`Backup refused / Không sao lưu được: ${error.message}`);
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
