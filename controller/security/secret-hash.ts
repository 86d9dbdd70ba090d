/**
 * Secrets are stored only as scrypt hashes: `scrypt:N:r:p:<salt b64>:<hash b64>`. scrypt is in
 * Node's crypto and is slow on purpose, so a stolen configuration or accounts file does not hand
 * out the secrets. Device secrets (24 random bytes, unguessable anyway) use N = 2^14, checked on
 * every MQTT connection; passwords and PINs, which people choose and may be short, use the OWASP
 * figure N = 2^17, r = 8, p = 1 (128 MiB, about a third of a second per try). A hash records its
 * own parameters, so older ones still verify (and are rehashed at the next sign-in: needsRehash).
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (
  password: string | Buffer,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

export const DEVICE_SECRET_PARAMS: ScryptParams = { N: 16384, r: 8, p: 1 };
export const PASSWORD_PARAMS: ScryptParams = { N: 131072, r: 8, p: 1 };
const KEY_LENGTH = 32;
/** Enough for N = 2^17, r = 8 (128 MiB) and no more: a forged hash cannot ask for gigabytes. */
const MAX_MEM = 160 * 1024 * 1024;

export async function hashSecret(
  secret: string,
  params: ScryptParams = DEVICE_SECRET_PARAMS,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(secret, salt, KEY_LENGTH, { ...params, maxmem: MAX_MEM });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join(':');
}

/** The hash was made with weaker parameters than `params` asks for now. */
export function needsRehash(stored: string, params: ScryptParams): boolean {
  const [, N, r, p] = stored.split(':').map(Number);
  return !(
    N !== undefined &&
    r !== undefined &&
    p !== undefined &&
    N >= params.N &&
    r >= params.r &&
    p >= params.p
  );
}

export async function verifySecret(secret: string | Buffer, stored: string): Promise<boolean> {
  const parts = stored.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4] as string, 'base64');
  const expected = Buffer.from(parts[5] as string, 'base64');
  if (!N || !r || !p || expected.length === 0) return false;
  try {
    const key = await scrypt(secret, salt, expected.length, { N, r, p, maxmem: MAX_MEM });
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
