import { describe, expect, it } from 'vitest';
import { hashSecret, isSecretHash, newSecret, verifySecret } from '../../controller/security/secret-hash.ts';

describe('device secret hashes', () => {
  it('verifies the secret it hashed, given as text or as the MQTT password bytes', async () => {
    const secret = newSecret();
    const stored = await hashSecret(secret);
    expect(stored).toMatch(/^scrypt:16384:8:1:/);
    expect(stored).not.toContain(secret);
    await expect(verifySecret(secret, stored)).resolves.toBe(true);
    await expect(verifySecret(Buffer.from(secret), stored)).resolves.toBe(true);
  });

  it('rejects a wrong secret', async () => {
    const stored = await hashSecret('đúng-mật-khẩu');
    await expect(verifySecret('sai-mật-khẩu', stored)).resolves.toBe(false);
    await expect(verifySecret('', stored)).resolves.toBe(false);
    await expect(verifySecret(Buffer.alloc(0), stored)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
    expect(a).not.toBe(b);
    await expect(verifySecret('same', a)).resolves.toBe(true);
    await expect(verifySecret('same', b)).resolves.toBe(true);
  });

  it('answers false for a stored value that is not a hash of ours', async () => {
    const stored = await hashSecret('secret');
    const [, , , , salt, hash] = stored.split(':') as [string, string, string, string, string, string];
    const tampered = `${hash.slice(0, 10)}${hash[10] === 'A' ? 'B' : 'A'}${hash.slice(11)}`;
    for (const bad of [
      '',
      'secret',
      `bcrypt:16384:8:1:${salt}:${hash}`,
      `scrypt:16384:8:1:${salt}`,
      `scrypt:16384:8:1:${salt}:${hash}:extra`,
      `scrypt:x:8:1:${salt}:${hash}`,
      `scrypt:16384:0:1:${salt}:${hash}`,
      `scrypt:16384:8:1:${salt}:`,
      `scrypt:16384:8:1:${salt}:${tampered}`,
    ]) {
      await expect(verifySecret('secret', bad), bad).resolves.toBe(false);
    }
  });

  // BUG: scrypt parameters that are numbers but not valid scrypt parameters (N not a power of
  // two, or so large the memory limit is exceeded) make verifySecret reject ("Invalid scrypt
  // params") instead of answering false. device-access.ts catches the rejection, but any other
  // caller gets an exception, and isSecretHash() accepts these values as hashes.
  it('answers false, not an exception, for scrypt parameters scrypt refuses', async () => {
    const stored = await hashSecret('secret');
    const [, , , , salt, hash] = stored.split(':') as [string, string, string, string, string, string];
    for (const bad of [`scrypt:1000:8:1:${salt}:${hash}`, `scrypt:1048576:8:1:${salt}:${hash}`]) {
      expect(isSecretHash(bad)).toBe(true);
      await expect(verifySecret('secret', bad), bad).resolves.toBe(false);
    }
  });
});

describe('newSecret', () => {
  it('makes 32 URL-safe characters, different every time', () => {
    const secrets = Array.from({ length: 50 }, () => newSecret());
    for (const s of secrets) expect(s).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
  });
});

describe('isSecretHash', () => {
  it('tells a stored hash from a secret written into the configuration by mistake', async () => {
    expect(isSecretHash(await hashSecret('x'))).toBe(true);
    expect(isSecretHash(newSecret())).toBe(false);
    expect(isSecretHash('')).toBe(false);
    expect(isSecretHash('scrypt:16384:8:1:c2FsdA==')).toBe(false);
    expect(isSecretHash('scrypt:N:8:1:c2FsdA==:aGFzaA==')).toBe(false);
    expect(isSecretHash('bcrypt:16384:8:1:c2FsdA==:aGFzaA==')).toBe(false);
    expect(isSecretHash(' scrypt:16384:8:1:c2FsdA==:aGFzaA==')).toBe(false);
  });
});
