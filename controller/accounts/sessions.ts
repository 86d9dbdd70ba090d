/**
 * Signed-in sessions. The browser holds a random 256-bit token in an HttpOnly cookie; the controller
 * keeps only its SHA-256, in DATA_DIR/sessions.json, so staff stay signed in across a controller
 * restart and a copied data folder does not hold usable tokens. Sessions end at logout, after
 * SESSION_HOURS, or when their account is removed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { FsyncJsonFile } from '../store/fsync-file-adapter.ts';
import type { AccountRole } from './account-store.ts';

export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 3_600_000;

export interface Session {
  username: string;
  role: AccountRole;
  staffId: string | null;
  /** The counter a staff member signed in to, if any. */
  counterId: string | null;
  createdAt: number;
  expiresAt: number;
}

interface SessionsFile {
  sessions: Record<string, Session>;
}

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class Sessions {
  readonly #db: Low<SessionsFile>;
  readonly #clock: () => number;

  private constructor(file: string, clock: () => number) {
    this.#db = new Low<SessionsFile>(new FsyncJsonFile<SessionsFile>(file), { sessions: {} });
    this.#clock = clock;
  }

  static async open(dataDir: string, clock: () => number = Date.now): Promise<Sessions> {
    const sessions = new Sessions(join(dataDir, 'sessions.json'), clock);
    try {
      await sessions.#db.read();
    } catch {
      // An unreadable sessions file only signs everyone out; it must not stop the controller.
      sessions.#db.data = { sessions: {} };
    }
    sessions.#db.data ??= { sessions: {} };
    // Pruning on disk can wait (a full disk must not stop a start): expired sessions are never honoured.
    await sessions.#prune().catch(() => undefined);
    return sessions;
  }

  /** Starts a session; returns the token for the cookie (never stored). */
  async create(
    session: Omit<Session, 'createdAt' | 'expiresAt'>,
  ): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock();
    const full: Session = { ...session, createdAt: now, expiresAt: now + SESSION_MS };
    this.#db.data.sessions[digest(token)] = full;
    await this.#prune();
    return { token, session: full };
  }

  get(token: string | undefined): Session | null {
    if (!token) return null;
    const session = this.#db.data.sessions[digest(token)];
    if (!session || session.expiresAt <= this.#clock()) return null;
    return session;
  }

  async end(token: string): Promise<Session | null> {
    const key = digest(token);
    const session = this.#db.data.sessions[key] ?? null;
    delete this.#db.data.sessions[key];
    await this.#db.write();
    return session;
  }

  /** Ends every session of an account (removed, or its password changed). */
  async endAllOf(username: string): Promise<void> {
    for (const [key, s] of Object.entries(this.#db.data.sessions)) {
      if (s.username === username) delete this.#db.data.sessions[key];
    }
    await this.#db.write();
  }

  async #prune(): Promise<void> {
    const now = this.#clock();
    for (const [key, s] of Object.entries(this.#db.data.sessions)) {
      if (s.expiresAt <= now) delete this.#db.data.sessions[key];
    }
    await this.#db.write();
  }
}
