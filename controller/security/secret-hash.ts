/**
 * Device secrets are stored only as scrypt hashes: `scrypt:N:r:p:<salt b64>:<hash b64>`.
 * scrypt is in Node's crypto and is slow on purpose, so a stolen configuration file does not
 * hand out the secrets.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join(':');
}

export async function verifySecret(secret: string | Buffer, stored: string): Promise<boolean> {
  const parts = stored.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  try {
    const key = await scrypt(secret, salt, expected.length, { N, r, p, maxmem: 64 * 1024 * 1024 });
    return timingSafeEqual(key, expected);
  } catch {
    return false; // parameters scrypt refuses (not a power of two, too much memory): not a hash we made
  }
}

/** A new random device secret: 24 bytes, base64url (32 characters), typed into firmware once. */
export function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function isSecretHash(value: string): boolean {
  return /^scrypt:\d+:\d+:\d+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/.test(value);
}
