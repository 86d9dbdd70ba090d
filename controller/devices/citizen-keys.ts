/**
 * Citizens are recognised by a keyed hash of their ID number (HMAC-SHA256 with a secret kept only
 * in this centre's data folder), never by the number itself. The same card gives the same key
 * here, and the key means nothing anywhere else (it never goes upstream).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const KEY_FILE = 'citizen-key';

export class CitizenKeys {
  readonly #secret: Buffer;

  private constructor(secret: Buffer) {
    this.#secret = secret;
  }

  /** Loads the centre's secret, creating it (readable by the owner only) on first start. */
  static async open(dataDir: string): Promise<CitizenKeys> {
    const file = join(dataDir, KEY_FILE);
    try {
      return new CitizenKeys(Buffer.from((await readFile(file, 'utf8')).trim(), 'hex'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const secret = randomBytes(32);
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(`${secret.toString('hex')}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return new CitizenKeys(secret);
  }

  static forTests(secret = 'test'): CitizenKeys {
    return new CitizenKeys(Buffer.from(secret));
  }

  keyOf(idNumber: string): string {
    return createHmac('sha256', this.#secret).update(idNumber).digest('hex');
  }
}
