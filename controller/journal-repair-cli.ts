/**
 * `npm run journal:repair -- [--data-dir DIR]`: when a start is refused for a damaged journal,
 * moves the damaged record and everything after it to journal/quarantine/ and lists the tickets
 * those records concerned (controller/journal/repair.ts). Run it with the controller stopped (it
 * refuses otherwise), after copying the data folder aside.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DataDirLock } from './data-dir-lock.ts';
import { refuseNewerFormats } from './formats/data-format.ts';
import { JournalCorruptError } from './journal/journal.ts';
import { repairJournal } from './journal/repair.ts';
import { StartupError } from './listen.ts';
import { createLogger } from './logger.ts';
import { readSettings, SettingsError } from './settings.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { 'data-dir': { type: 'string' } },
  });
  const settings = readSettings(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (settings === 'help') return;
  const lock = await DataDirLock.acquire(settings.dataDir, 'journal repair');
  try {
    await refuseNewerFormats(settings.dataDir);
    const report = await repairJournal(join(settings.dataDir, 'journal'), createLogger({ level: 'error' }));
    if (!report) {
      console.log('The journal opens as it is: nothing to repair. / Nhật ký không bị hỏng: không cần sửa.');
      return;
    }
    const seqs = report.seqs.length ? `seqs ${report.seqs[0]}–${report.seqs.at(-1)}` : 'no readable seq';
    console.log(
      [
        `Journal repaired / Đã sửa nhật ký: ${report.file} line ${report.line}${report.fromSeq ? ` (seq ${report.fromSeq})` : ''}`,
        `  problem: ${report.problem.split('. ')[0]}`,
        `  moved to ${report.quarantine}: that record and everything after it (${seqs}, ${report.seqs.length} readable records)${report.snapshotSetAside ? ', and snapshot.json (it was ahead of what is kept)' : ''}`,
        report.tickets.length
          ? '  tickets affected (what these records did to them is no longer in the journal; check them in the hall — their numbers may be issued again today):'
          : '  no ticket is named in the records moved aside',
        ...report.tickets.map(
          (t) => `    ${t.id}${t.label ? `  label ${t.label}` : ''}  ${t.events.join(', ')}`,
        ),
        '  The first of these records is the damaged one: what it says may be wrong.',
        'Start the controller again. / Hãy khởi động lại bộ điều khiển.',
      ].join('\n'),
    );
  } finally {
    await lock.release();
  }
}

main().catch((error: Error) => {
  const known =
    error instanceof StartupError || error instanceof SettingsError || error instanceof JournalCorruptError;
  const usage = (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
  console.error(known || usage ? error.message : `journal repair failed: ${error.message}`);
  if (usage) console.error('Usage: npm run journal:repair -- [--data-dir DIR]');
  process.exit(1);
});
