/**
 * Signed-in sessions. The browser holds a random 256-bit token in an HttpOnly cookie; the controller
 * keeps only its SHA-256, in DATA_DIR/sessions.json, so staff stay signed in across a controller
 * restart and a copied data folder does not hold usable tokens. Sessions end at logout, after
 * SESSION_HOURS, after the idle time of their role without the user acting, or when their account is
 * removed or its password changed. Whoever follows `onEnded` (the live connections) hears of each end.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { FsyncJsonFile } from '../store/fsync-file-adapter.ts';
import type { AccountRole } from './account-store.ts';

export const SESSION_HOURS = 12;
const SESSION_MS = SESSION_HOURS * 3_600_000;
/** Activity is written to disk at most this often per session (a restart forgets at most this much). */
const ACTIVITY_WRITE_MS = 60_000;

export interface Session {
  username: string;
  role: AccountRole;
  staffId: string | null;
  /** The counter a staff member signed in to, if any. */
  counterId: string | null;
  createdAt: number;
  expiresAt: number;
  /**
   * When the user last acted (a command, or a key or tap reported by the page). Absent in files
   * written before idle timeouts: read as the time the file was loaded, so nobody is signed out by
   * the upgrade itself.
   */
  lastActiveAt?: number;
}

interface SessionsFile {
  sessions: Record<string, Session>;
}

export interface SessionOptions {
  clock?: () => number;
  /** Minutes without activity after which a session of each role ends. */
  idleMinutes?: { manager: number; staff: number };
  /**
   * A session that is in use although nobody touches the page (a staff member serving a citizen at
   * the counter they signed in to): it does not go idle.
   */
  inUse?: (session: Session) => boolean;
}

const DEFAULT_IDLE = { manager: 30, staff: 60 };

/** Why sessions ended: signed out, past their idle or absolute end, account removed, new password. */
export type SessionEnd = 'signedOut' | 'expired' | 'removed' | 'passwordChanged';

const digest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class Sessions {
  readonly #db: Low<SessionsFile>;
  readonly #clock: () => number;
  readonly #idleMs: { manager: number; staff: number };
  readonly #inUse: (session: Session) => boolean;
  readonly #listeners = new Set<(ended: Session[], why: SessionEnd) => void>();
  /** Per digest: the lastActiveAt on disk, to write activity at most every ACTIVITY_WRITE_MS. */
  readonly #written = new Map<string, number>();

  private constructor(file: string, options: SessionOptions) {
    this.#db = new Low<SessionsFile>(new FsyncJsonFile<SessionsFile>(file), { sessions: {} });
    this.#clock = options.clock ?? (() => Date.now());
    const idle = options.idleMinutes ?? DEFAULT_IDLE;
    this.#idleMs = { manager: idle.manager * 60_000, staff: idle.staff * 60_000 };
    this.#inUse = options.inUse ?? (() => false);
  }

  static async open(dataDir: string, options: SessionOptions = {}): Promise<Sessions> {
    const sessions = new Sessions(join(dataDir, 'sessions.json'), options);
    try {
      await sessions.#db.read();
    } catch {
      // An unreadable sessions file only signs everyone out; it must not stop the controller.
      sessions.#db.data = { sessions: {} };
    }
    sessions.#db.data ??= { sessions: {} };
    const now = sessions.#clock();
    for (const [key, s] of Object.entries(sessions.#db.data.sessions)) {
      s.lastActiveAt ??= now;
      sessions.#written.set(key, s.lastActiveAt);
    }
    // Pruning on disk can wait (a full disk must not stop a start): expired sessions are never honoured.
    await sessions.expire().catch(() => undefined);
    return sessions;
  }

  /** Starts a session; returns the token for the cookie (never stored). */
  async create(
    session: Omit<Session, 'createdAt' | 'expiresAt' | 'lastActiveAt'>,
  ): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.#clock();
    const full: Session = { ...session, createdAt: now, expiresAt: now + SESSION_MS, lastActiveAt: now };
    const key = digest(token);
    this.#db.data.sessions[key] = full;
    this.#written.set(key, now);
    const ended = this.#remove(this.#endedKeys(now));
    await this.#db.write();
    this.#tell(ended, 'expired');
    return { token, session: full };
  }

  /** The live session of a token; looking does not count as activity. */
  get(token: string | undefined): Session | null {
    if (!token) return null;
    const session = this.#db.data.sessions[digest(token)];
    if (!session || this.#ended(session, this.#clock())) return null;
    return session;
  }

  /**
   * The user acted: the idle time starts again. Written to disk at most once a minute per session,
   * so a busy counter does not fsync on every press.
   */
  touch(token: string | undefined): void {
    if (!token) return;
    const key = digest(token);
    const session = this.#db.data.sessions[key];
    const now = this.#clock();
    if (!session || this.#ended(session, now)) return;
    session.lastActiveAt = now;
    if (now - (this.#written.get(key) ?? 0) >= ACTIVITY_WRITE_MS) {
      this.#written.set(key, now);
      void this.#db.write().catch(() => undefined);
    }
  }

  /** When the session ends if nobody acts (its idle end, or its absolute end if sooner). */
  endsAt(session: Session): number {
    const idle = (session.lastActiveAt ?? session.createdAt) + this.#idleMs[session.role];
    return Math.min(session.expiresAt, idle);
  }

  async end(token: string): Promise<Session | null> {
    const key = digest(token);
    const session = this.#db.data.sessions[key] ?? null;
    this.#remove([key]);
    await this.#db.write();
    if (session) this.#tell([session], 'signedOut');
    return session;
  }

  /** Ends every session of an account (removed, or its password changed). */
  async endAllOf(username: string, why: 'removed' | 'passwordChanged'): Promise<Session[]> {
    const keys = Object.entries(this.#db.data.sessions)
      .filter(([, s]) => s.username === username)
      .map(([key]) => key);
    const ended = this.#remove(keys);
    await this.#db.write();
    this.#tell(ended, why);
    return ended;
  }

  /** Removes the sessions past their absolute or idle end (called at start, sign-in and on a timer). */
  async expire(): Promise<Session[]> {
    const ended = this.#remove(this.#endedKeys(this.#clock()));
    if (ended.length) {
      await this.#db.write();
      this.#tell(ended, 'expired');
    }
    return ended;
  }

  /** Called with the sessions that ended (sign-out, removal, password change, expiry). */
  onEnded(listener: (ended: Session[], why: SessionEnd) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #endedKeys(now: number): string[] {
    return Object.entries(this.#db.data.sessions)
      .filter(([, s]) => this.#ended(s, now))
      .map(([key]) => key);
  }

  #ended(session: Session, now: number): boolean {
    if (session.expiresAt <= now) return true;
    if (this.#inUse(session)) return false;
    return (session.lastActiveAt ?? session.createdAt) + this.#idleMs[session.role] <= now;
  }

  #remove(keys: string[]): Session[] {
    const ended: Session[] = [];
    for (const key of keys) {
      const s = this.#db.data.sessions[key];
      if (!s) continue;
      ended.push(s);
      delete this.#db.data.sessions[key];
      this.#written.delete(key);
    }
    return ended;
  }

  /** The live sessions of an account. */
  liveOf(username: string): Session[] {
    const now = this.#clock();
    return Object.values(this.#db.data.sessions).filter(
      (s) => s.username === username && !this.#ended(s, now),
    );
  }

  #tell(ended: Session[], why: SessionEnd): void {
    if (ended.length === 0) return;
    for (const listener of this.#listeners) listener(ended, why);
  }
}
