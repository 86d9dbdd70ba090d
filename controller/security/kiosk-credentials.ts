/**
 * Kiosks are registered devices: each paired kiosk screen (or provisioning script) holds its own
 * random credential, tied to one dispenser. The controller keeps only the credential's SHA-256 (a
 * 256-bit random token needs no slow hash), one file per kiosk in DATA_DIR/kiosks/<id>.json, so
 * `npm run kiosk-token` can add one beside a running controller without racing its writes: the
 * controller looks at the folder again when it meets a token it does not know (one stat of the
 * folder; its files are read again only when it changed). A revoked credential stays on file (who, when) and is never honoured again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir } from '../store/fsync-dir.ts';
import { writeDurably } from '../store/write-durably.ts';

const TOKEN_PREFIX = 'kiosk_';

const kioskSchema = z.strictObject({
  id: z.string().regex(/^[a-f0-9]{16}$/),
  dispenserId: z.string().min(1).max(80),
  digest: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  createdAt: z.string(),
  createdBy: z.string().min(1).max(80),
  revokedAt: z.string().optional(),
  revokedBy: z.string().optional(),
});
export type KioskCredential = z.output<typeof kioskSchema>;
/** A kiosk as managers see it: everything but the digest. */
export type KioskInfo = Omit<KioskCredential, 'digest'>;

export const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64url');

export class KioskCredentials {
  readonly dir: string;
  readonly #clock: () => number;
  /** By id, and live (not revoked) ones by digest. */
  #byId = new Map<string, KioskCredential>();
  #byDigest = new Map<string, KioskCredential>();
  #dirMtime = 0;

  constructor(dataDir: string, clock: () => number = Date.now) {
    this.dir = join(dataDir, 'kiosks');
    this.#clock = clock;
  }

  async load(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    this.#scan();
  }

  /** The kiosk holding this token, or null (unknown, malformed or revoked). */
  identify(token: string | undefined): KioskCredential | null {
    if (!token?.startsWith(TOKEN_PREFIX) || token.length > 100) return null;
    const digest = tokenDigest(token);
    if (!this.#byDigest.has(digest)) this.#rescanSoon();
    return this.#byDigest.get(digest) ?? null;
  }

  list(): KioskInfo[] {
    return [...this.#byId.values()]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(({ digest: _, ...info }) => info);
  }

  /** A new credential for a dispenser: the token is returned once and never stored. */
  async issue(dispenserId: string, by: string): Promise<{ token: string; kiosk: KioskInfo }> {
    const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const kiosk = kioskSchema.parse({
      id: randomBytes(8).toString('hex'),
      dispenserId,
      digest: tokenDigest(token),
      createdAt: new Date(this.#clock()).toISOString(),
      createdBy: by,
    });
    await this.#save(kiosk);
    const { digest: _, ...info } = kiosk;
    return { token, kiosk: info };
  }

  /** Revokes a kiosk's credential at once; false when there is no such (live) kiosk. */
  async revoke(id: string, by: string): Promise<KioskInfo | null> {
    const kiosk = this.#byId.get(id);
    if (!kiosk || kiosk.revokedAt) return null;
    const revoked = { ...kiosk, revokedAt: new Date(this.#clock()).toISOString(), revokedBy: by };
    await this.#save(revoked);
    const { digest: _, ...info } = revoked;
    return info;
  }

  async #save(kiosk: KioskCredential): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, `${kiosk.id}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeDurably(temp, Buffer.from(`${JSON.stringify(kiosk, null, 2)}\n`));
    await rename(temp, file);
    await fsyncDir(this.dir);
    this.#remember(kiosk);
  }

  #remember(kiosk: KioskCredential): void {
    const before = this.#byId.get(kiosk.id);
    if (before) this.#byDigest.delete(before.digest);
    this.#byId.set(kiosk.id, kiosk);
    if (!kiosk.revokedAt) this.#byDigest.set(kiosk.digest, kiosk);
  }

  #rescanSoon(): void {
    this.#scan();
  }

  /**
   * Reads the folder again if it changed (a token added by the command line). Synchronous, so the
   * request that brings a new token is answered with it.
   */
  #scan(): void {
    let mtime = 0;
    let names: string[] = [];
    try {
      mtime = statSync(this.dir).mtimeMs;
      if (mtime === this.#dirMtime) return;
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    this.#dirMtime = mtime;
    for (const name of names) {
      if (!/^[a-f0-9]{16}\.json$/.test(name)) continue;
      try {
        const parsed = kioskSchema.safeParse(JSON.parse(readFileSync(join(this.dir, name), 'utf8')));
        if (parsed.success) this.#remember(parsed.data);
      } catch {
        // a half-written file of a concurrent command: read again on the next scan
      }
    }
  }

  /** Reads the folder now. */
  reload(): void {
    this.#dirMtime = -1;
    this.#scan();
  }
}

/** The token from `Authorization: Bearer <token>`, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
