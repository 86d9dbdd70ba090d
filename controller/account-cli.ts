/**
 * `npm run account -- --username NAME --role manager|staff [--name "Full name"] [--staff-id ID]`:
 * creates an account, or sets a new password on an existing one. The password is read from the
 * ACCOUNT_PASSWORD environment variable or, failing that, from standard input (one line), so it is
 * never on the command line. Run it while the controller is stopped; on a running controller a
 * manager uses PUT /api/accounts/:username instead.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import {
  ACCOUNT_ROLES,
  type AccountRole,
  AccountStore,
  passwordProblem,
  usernameSchema,
} from './accounts/account-store.ts';
import { CentreStore } from './centre/centre-store.ts';
import { ConfigError } from './centre/load.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { refuseNewerFormats } from './formats/data-format.ts';
import { StartupError } from './listen.ts';
import { createLogger } from './logger.ts';
import { readSettings, SettingsError } from './settings.ts';

const USAGE =
  'Usage: npm run account -- --username NAME --role manager|staff [--name "Full name"] [--staff-id ID] [--data-dir DIR]\n' +
  '       (password from ACCOUNT_PASSWORD or typed on standard input)';

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    strict: true,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      'staff-id': { type: 'string' },
      'data-dir': { type: 'string' },
      config: { type: 'string' },
    },
  });
  const username = usernameSchema.safeParse(values.username ?? '');
  if (!username.success) throw new UsageError(`--username ${username.error.issues[0]?.message}`);
  const role = values.role as AccountRole;
  if (!ACCOUNT_ROLES.includes(role)) throw new UsageError('--role must be manager or staff');
  const settings = readSettings(
    [
      ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
      ...(values.config ? ['--config', values.config] : []),
    ],
    process.env,
  );
  if (settings === 'help') return;
  const lock = await DataDirLock.acquire(settings.dataDir, 'account');
  try {
    await refuseNewerFormats(settings.dataDir);
    const centre = await CentreStore.open({
      dataDir: settings.dataDir,
      seedFile: settings.configFile,
      importConfig: false,
      logger: createLogger({ level: 'warn' }),
    });
    const staffId = values['staff-id'];
    const staff = staffId ? centre.config.staff.find((s) => s.id === staffId) : undefined;
    if (staffId && !staff) throw new UsageError(`--staff-id: no staff member "${staffId}" in ${centre.file}`);
    if (role === 'staff' && !staff) throw new UsageError('--staff-id is required for a staff account');
    const name = values.name ?? staff?.name;
    if (!name) throw new UsageError('--name is required for a manager account');
    const password = process.env.ACCOUNT_PASSWORD ?? (await readLine('Password: '));
    const problem = passwordProblem(role, password);
    if (problem) throw new UsageError(`password ${problem}`);
    const accounts = await AccountStore.open(settings.dataDir);
    const existed = accounts.find(username.data) !== undefined;
    await accounts.put({ username: username.data, name, role, ...(staffId ? { staffId } : {}), password });
    console.log(`${existed ? 'Updated' : 'Created'} ${role} account "${username.data}" in ${accounts.file}`);
  } finally {
    await lock.release();
  }
}

async function readLine(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    if (process.stdin.isTTY) process.stderr.write(prompt);
    return (await rl.question('')).trim();
  } finally {
    rl.close();
  }
}

main().catch((error: Error) => {
  const known =
    error instanceof ConfigError ||
    error instanceof StartupError ||
    error instanceof SettingsError ||
    error instanceof UsageError;
  const usage =
    error instanceof UsageError || (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS');
  console.error(known ? error.message : `account failed: ${error.message}`);
  if (usage) console.error(USAGE);
  process.exit(1);
});
