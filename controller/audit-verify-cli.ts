/**
 * `npm run audit:verify [-- --data-dir DIR]`: checks the audit log's hash chain in the data folder
 * and says whether it is whole; exits 1 with the first lines that were edited, removed or reordered.
 * Read-only: safe beside a running controller.
 */
import { parseArgs } from 'node:util';
import { CHAIN_START, verifyAuditChain } from './accounts/audit-verify.ts';
import { readSettings } from './settings.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: { 'data-dir': { type: 'string' } },
  });
  const settings = readSettings(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env);
  if (settings === 'help') return 0;
  const report = await verifyAuditChain(settings.dataDir);
  if (report.files.length === 0) {
    console.log(`no audit log in ${settings.dataDir}`);
    return 0;
  }
  const from =
    report.startsFrom === CHAIN_START
      ? 'from its first line'
      : `from a rotated file no longer kept (${report.startsFrom})`;
  if (report.problems.length === 0) {
    console.log(`audit log whole: ${report.lines} lines in ${report.files.length} file(s), chained ${from}`);
    return 0;
  }
  console.log(`audit log NOT whole: ${report.problems.length} problem(s) in ${report.lines} lines`);
  for (const p of report.problems.slice(0, 20)) console.log(`  ${p.file}:${p.line}: ${p.problem}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`audit:verify failed: ${error.message}`);
    process.exit(2);
  },
);
