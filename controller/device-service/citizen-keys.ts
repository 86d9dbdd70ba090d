/**
 * Citizens are recognised by a keyed hash of their ID number (HMAC-SHA256 with a secret kept only
 * in this centre's data folder), never by the number itself. The same card gives the same key
 * here, and the key means nothing anywhere else (it never goes upstream).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { StartupError } from '../listen.ts';
import { fsyncDir } from '../store/fsync-dir.ts';

const KEY_FILE = 'citizen-key';

export class CitizenKeys {
  readonly #secret: Buffer;

  private constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** Loads the centre's secret, creating it (readable by the owner only) on first start. */
  static async open(dataDir: string): Promise<CitizenKeys> {
    const file = join(dataDir, KEY_FILE);
    let text: string | undefined;
    try {
      text = (await readFile(file, 'utf8')).trim();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new StartupError(
          `cannot read ${file} (${(error as Error).message}); check its owner and permissions`,
        );
      }
    }
    if (text !== undefined) {
      // A damaged key would silently give every card a new identity: refuse to start instead.
      if (!/^[0-9a-f]{64}$/.test(text)) {
        throw new StartupError(`${file} is damaged (expected 64 hex digits); restore it from a backup`);
      }
      return new CitizenKeys(Buffer.from(text, 'hex'));
    }
    const secret = randomBytes(32);
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${secret.toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsyncDir(dataDir);
    return new CitizenKeys(secret);
  }

  static forTests(secret = 'test'): CitizenKeys {
    return new CitizenKeys(Buffer.from(secret));
  }

  keyOf(idNumber: string): string {
    return createHmac('sha256', this.#secret).update(idNumber).digest('hex');
  }

  /**
   * A staff member's pseudonym in reports sent upstream: `st-` and 16 base32 letters of a keyed
   * hash, stable within this centre (same secret), meaningless elsewhere, never the name.
   */
  staffPseudonym(staffId: string): string {
    const digest = createHmac('sha256', this.#secret).update(`staff\0${staffId}`).digest();
    return `st-${base32(digest).slice(0, 16)}`;
  }

  /**
   * The unguessable part of a ticket's own link (`/t/<ticket id>/<key>`, printed in its QR code): 128
   * bits of a keyed hash of the ticket id. Whoever holds the paper ticket holds the key; guessing ids
   * (`2026-11-23:dat-dai:7`) gives nobody the key. Derived, so nothing is stored per ticket.
   */
  ticketLinkKey(ticketId: string): string {
    const digest = createHmac('sha256', this.#secret).update(`ticket-link\0${ticketId}`).digest();
    return digest.subarray(0, 16).toString('base64url');
  }

  /** Whether `key` is the ticket's link key (compared in constant time). */
  ticketLinkKeyMatches(ticketId: string, key: string): boolean {
    const expected = Buffer.from(this.ticketLinkKey(ticketId));
    const given = Buffer.from(key);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
