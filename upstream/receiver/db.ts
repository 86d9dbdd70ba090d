/**
 * The receiver's database: one small interface, two implementations running the same SQL — a
 * PostgreSQL server through a `pg` pool (`DATABASE_URL`), or embedded PostgreSQL (PGlite) in a
 * local folder when no server is configured.
 *
 * Queries return plain rows; callers cast in SQL (`::float8`, `::int`) what they read back as
 * numbers, so both drivers give the same JavaScript values.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Several statements, no parameters (a migration file). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export class PgDb implements Db {
  readonly kind = 'postgres';
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const result = await this.#pool.query(sql, params as unknown[]);
    return result.rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.#pool.query(sql);
  }

  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const tx: Queryable = {
        query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
          (await client.query(sql, params as unknown[])).rows as R[],
        exec: async (sql: string) => {
          await client.query(sql);
        },
      };
      const result = await work(tx);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

export class PgliteDb implements Db {
  readonly kind = 'pglite';
  readonly #db: PGlite;

  constructor(db: PGlite) {
    this.#db = db;
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.#db.query<T>(sql, params as unknown[])).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.#db.exec(sql);
  }

  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#db.transaction((t) =>
      work({
        query: async <R extends Row>(sql: string, params: readonly unknown[] = []) =>
          (await t.query<R>(sql, params as unknown[])).rows,
        exec: async (sql: string) => {
          await t.exec(sql);
        },
      }),
    );
  }

  close(): Promise<void> {
    return this.#db.close();
  }
}

export type DatabaseTarget = { url: string } | { dataDir: string } | { memory: true };

/** Connects to PostgreSQL (`url`) or opens embedded PostgreSQL in `dataDir` (created if needed). */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  if ('url' in target) {
    const pool = new pg.Pool({ connectionString: target.url, max: 8, connectionTimeoutMillis: 10_000 });
    // An idle client losing its server must not crash the process: the next query reconnects.
    pool.on('error', () => {});
    const db = new PgDb(pool);
    try {
      await db.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => {});
      throw new Error(`cannot reach the database at ${redactUrl(target.url)}: ${(error as Error).message}`);
    }
    return db;
  }
  if ('dataDir' in target) {
    mkdirSync(target.dataDir, { recursive: true });
    return new PgliteDb(await PGlite.create(target.dataDir));
  }
  return new PgliteDb(await PGlite.create());
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
