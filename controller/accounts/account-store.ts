/**
 * Staff and manager accounts, kept in DATA_DIR/accounts.json (lowdb, fsynced). Passwords and PINs
 * are stored only as scrypt hashes (slow and salted); nothing here ever leaves the controller.
 */
import { join } from 'node:path';
import { Low } from 'lowdb';
import { z } from 'zod';
import {
  hashSecret,
  isSecretHash,
  needsRehash,
  PASSWORD_PARAMS,
  verifySecret,
} from '../security/secret-hash.ts';
import { FsyncJsonFile } from '../store/fsync-file-adapter.ts';

export const ACCOUNT_ROLES = ['staff', 'manager'] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,39}$/, 'must be 2-40 characters of a-z, 0-9, ".", "_" and "-"');

/**
 * Staff sign in with a PIN of at least 6 digits or a password of 8 or more; managers with a
 * password of 8 or more. (Accounts made earlier with 4-digit PINs still sign in; the demo centre's
 * published PIN is set by the demo seeding, not through here.)
 */
export function passwordProblem(role: AccountRole, password: string): string | null {
  if (password.length > 128) return 'must be at most 128 characters';
  if (role === 'manager' && password.length < 8) return 'a manager password must have at least 8 characters';
  if (/^\d+$/.test(password) && password.length < 6) return 'a PIN must have at least 6 digits';
  if (!/^\d+$/.test(password) && password.length < 8)
    return 'a password must have at least 8 characters (or use a PIN of 6 or more digits)';
  return null;
}

/** Password checks at once: each costs 128 MiB of scrypt memory, so a burst of sign-ins cannot exhaust RAM. */
const MAX_CONCURRENT_CHECKS = 2;
let checking = 0;
const waiting: (() => void)[] = [];
async function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
  if (checking >= MAX_CONCURRENT_CHECKS) await new Promise<void>((go) => waiting.push(go));
  checking += 1;
  try {
    return await work();
  } finally {
    checking -= 1;
    waiting.shift()?.();
  }
}

const accountSchema = z.strictObject({
  username: usernameSchema,
  name: z.string().min(1).max(80),
  role: z.enum(ACCOUNT_ROLES),
  /** The staff member (centre configuration) this account signs in as; required for staff. */
  staffId: z.string().min(1).optional(),
  passwordHash: z.string().refine(isSecretHash, 'must be a scrypt hash'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Account = z.output<typeof accountSchema>;
/** An account as shown to managers: everything but the hash. */
export type AccountInfo = Omit<Account, 'passwordHash'>;

const fileSchema = z.strictObject({ accounts: z.array(accountSchema) });
type AccountsFile = z.output<typeof fileSchema>;

export class AccountStore {
  readonly file: string;
  readonly #db: Low<AccountsFile>;

  private constructor(file: string) {
    this.file = file;
    this.#db = new Low<AccountsFile>(new FsyncJsonFile<AccountsFile>(file), { accounts: [] });
  }

  static async open(dataDir: string): Promise<AccountStore> {
    const store = new AccountStore(join(dataDir, 'accounts.json'));
    await store.#db.read();
    const parsed = fileSchema.safeParse(store.#db.data ?? { accounts: [] });
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`${store.file} is not a valid accounts file: ${problems}`);
    }
    store.#db.data = parsed.data;
    return store;
  }

  get isEmpty(): boolean {
    return this.#db.data.accounts.length === 0;
  }

  find(username: string): Account | undefined {
    return this.#db.data.accounts.find((a) => a.username === username);
  }

  list(): AccountInfo[] {
    return this.#db.data.accounts.map(({ passwordHash: _, ...info }) => info);
  }

  /** The account if the password is right; null otherwise (also for unknown users, after the same work). */
  async verify(username: string, password: string): Promise<Account | null> {
    const account = this.find(username);
    // Hash even for unknown names, so timing does not tell which accounts exist.
    const ok = await oneAtATime(() => verifySecret(password, account?.passwordHash ?? UNKNOWN_USER_HASH));
    if (!ok || !account) return null;
    // Hashed with an older, cheaper cost: hashed again now that the password is known.
    if (needsRehash(account.passwordHash, PASSWORD_PARAMS)) {
      account.passwordHash = await oneAtATime(() => hashSecret(password, PASSWORD_PARAMS));
      await this.#db.write();
    }
    return account;
  }

  /** Creates the account, or replaces its name/role/staff and password. */
  async put(input: {
    username: string;
    name: string;
    role: AccountRole;
    staffId?: string;
    password: string;
    /** 'published': a password printed in the README (the demo's), not worth a slow hash. */
    cost?: 'published';
  }): Promise<AccountInfo> {
    const now = new Date().toISOString();
    const existing = this.find(input.username);
    const account = accountSchema.parse({
      username: input.username,
      name: input.name,
      role: input.role,
      ...(input.staffId ? { staffId: input.staffId } : {}),
      passwordHash: await hashSecret(
        input.password,
        input.cost === 'published' ? undefined : PASSWORD_PARAMS,
      ),
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    this.#db.data.accounts = [
      ...this.#db.data.accounts.filter((a) => a.username !== input.username),
      account,
    ];
    await this.#db.write();
    const { passwordHash: _, ...info } = account;
    return info;
  }

  async setPassword(username: string, password: string): Promise<void> {
    const account = this.find(username);
    if (!account) throw new Error(`no account "${username}"`);
    account.passwordHash = await hashSecret(password, PASSWORD_PARAMS);
    account.updatedAt = new Date().toISOString();
    await this.#db.write();
  }

  async remove(username: string): Promise<boolean> {
    const before = this.#db.data.accounts.length;
    this.#db.data.accounts = this.#db.data.accounts.filter((a) => a.username !== username);
    if (this.#db.data.accounts.length === before) return false;
    await this.#db.write();
    return true;
  }
}

// A real scrypt hash of a random secret nobody knows, verified against for names that do not exist.
const UNKNOWN_USER_HASH =
  'scrypt:131072:8:1:EOXFYoOYQbmYsf5bT7/aCQ==:HLhe5q3b1Zyd9AydbOwIUaYKEOWW8duxWBluI716/ho=';
