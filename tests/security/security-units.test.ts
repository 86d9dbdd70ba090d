/** The pure parts of issue 13: the login throttle's limits and memory, pairing, the audit chain, PIN rules. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passwordProblem } from '../../controller/accounts/account-store.ts';
import { AuditLog } from '../../controller/accounts/audit-log.ts';
import { verifyAuditChain } from '../../controller/accounts/audit-verify.ts';
import { LoginThrottle } from '../../controller/accounts/login-throttle.ts';
import { SignInFailures } from '../../controller/accounts/sign-in-failures.ts';
import { KioskPairing, MAX_PENDING, PAIRING_TTL_MS } from '../../controller/security/kiosk-pairing.ts';
import { RateLimit } from '../../controller/security/rate-limit.ts';
import { needsRehash, PASSWORD_PARAMS } from '../../controller/security/secret-hash.ts';

describe('login throttle', () => {
  it('locks a name for the guessing address only', () => {
    let now = 0;
    const t = new LoginThrottle(() => now);
    for (let i = 0; i < 5; i++) expect(t.attempt('quanly', '10.0.0.66').retryAfterMs).toBe(0);
    expect(t.attempt('quanly', '10.0.0.66').retryAfterMs).toBe(60_000);
    expect(t.attempt('quanly', '10.0.0.10').retryAfterMs).toBe(0);
    now += 60_000;
    expect(t.attempt('quanly', '10.0.0.66').retryAfterMs).toBe(0); // the 6th: locked for 2 minutes
    expect(t.attempt('quanly', '10.0.0.66').retryAfterMs).toBe(120_000);
  });

  it('slows everyone down a little while many machines fail at once, without refusing', () => {
    const t = new LoginThrottle(() => 1_000);
    let last = { retryAfterMs: 0, delayMs: 0 };
    for (let i = 0; i < 60; i++) last = t.attempt(`name-${i}`, `10.0.${i}.1`);
    expect(last.retryAfterMs).toBe(0);
    expect(last.delayMs).toBeGreaterThan(0);
    expect(last.delayMs).toBeLessThanOrEqual(2_000);
  });

  it('remembers a bounded number of names and addresses, whatever is sent', () => {
    const t = new LoginThrottle(() => 0, { maxKeys: 100 });
    for (let i = 0; i < 20_000; i++) t.attempt(`made-up-${i}`, `10.${i % 250}.${i % 7}.1`);
    expect(t.size.pairs).toBeLessThanOrEqual(100);
    expect(t.size.addresses).toBeLessThanOrEqual(100);
  });

  it('has no prototype keys to trip over', () => {
    const t = new LoginThrottle(() => 0);
    for (const name of ['constructor', '__proto__', 'toString'])
      expect(t.attempt(name, name).retryAfterMs).toBe(0);
  });
});

describe('failed sign-ins for the audit log', () => {
  it('sums guesses into one line per name and address, bounded', () => {
    const f = new SignInFailures({ maxKeys: 2 });
    for (let i = 0; i < 1000; i++) f.record('quanly', '10.0.0.66', i);
    f.record('a', '1', 5);
    f.record('b', '2', 6);
    f.record('__proto__', '3', 7);
    const lines = f.flush();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ by: 'quanly', action: 'sign in failed', details: { count: 1000 } });
    expect(lines[2]).toMatchObject({ by: '(many names)', details: { count: 2 } });
    expect(f.flush()).toEqual([]);
  });
});

describe('rate limit', () => {
  it('counts per key in windows, and forgets the least recent keys past its bound', () => {
    const r = new RateLimit({ windowMs: 1000, max: 2, maxKeys: 3 });
    expect([r.take('a', 0), r.take('a', 1), r.take('a', 2)]).toEqual([0, 0, 998]);
    expect(r.take('a', 1000)).toBe(0);
    for (const k of ['b', 'c', 'd', 'constructor', '__proto__']) r.take(k, 0);
    expect(r.size).toBe(3);
  });
});

describe('kiosk pairing', () => {
  it('gives the credential once, to the holder of the secret, after a manager confirmed', () => {
    const p = new KioskPairing();
    const req = p.request('kiosk-a', '10.0.0.5', 0);
    expect(req?.code).toMatch(/^\d{6}$/);
    if (!req) throw new Error('no pairing');
    expect(p.claim(req.id, 'not-the-secret', 1)).toEqual({ status: 'unknown' });
    expect(p.claim(req.id, req.secret, 1).status).toBe('pending');
    expect(p.byCode(req.code, 2)?.dispenserId).toBe('kiosk-a');
    expect(p.confirm(req.id, 'kiosk_token', 3)).toBe(true);
    expect(p.claim(req.id, req.secret, 4)).toEqual({
      status: 'paired',
      dispenserId: 'kiosk-a',
      token: 'kiosk_token',
    });
    expect(p.claim(req.id, req.secret, 5)).toEqual({ status: 'unknown' });
  });

  it('forgets codes after their time, and holds a bounded number', () => {
    const p = new KioskPairing();
    const first = p.request('kiosk-a', 'x', 0);
    for (let i = 1; i < MAX_PENDING; i++) p.request('kiosk-a', 'x', 0);
    expect(p.request('kiosk-a', 'x', 0)).toBeNull();
    expect(new Set(p.waiting(0).map((w) => w.code)).size).toBe(MAX_PENDING);
    expect(p.byCode(first?.code ?? '', PAIRING_TTL_MS)).toBeNull();
    expect(p.request('kiosk-a', 'x', PAIRING_TTL_MS)).not.toBeNull();
  });
});

describe('audit log hash chain', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hall-chain-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const entry = (n: number) => ({
    at: new Date(n).toISOString(),
    by: 'quanly',
    action: `POST /api/x/${n}`,
    status: 200,
  });

  it('is whole across rotations and restarts', async () => {
    const log = new AuditLog(dir, { maxBytes: 800, keepFiles: 100 });
    for (let n = 0; n < 10; n++) await log.append(entry(n));
    const again = new AuditLog(dir, { maxBytes: 800, keepFiles: 100 }); // a restart: goes on from the last line
    await again.appendAll([entry(10), entry(11)]);
    const report = await verifyAuditChain(dir);
    expect(report.files.length).toBeGreaterThan(1);
    expect(report.lines).toBe(12);
    expect(report.problems).toEqual([]);
  });

  it('shows a line edited, removed or reordered', async () => {
    const log = new AuditLog(dir);
    for (let n = 0; n < 5; n++) await log.append(entry(n));
    const file = path.join(dir, 'audit.jsonl');
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');

    fs.writeFileSync(
      file,
      `${[...lines.slice(0, 2), lines[2]?.replace('"status":200', '"status":403'), ...lines.slice(3)].join('\n')}\n`,
    );
    expect((await verifyAuditChain(dir)).problems).toEqual([
      expect.objectContaining({ line: 3, problem: expect.stringMatching(/edited/) }),
    ]);

    fs.writeFileSync(file, `${[...lines.slice(0, 2), ...lines.slice(3)].join('\n')}\n`);
    expect((await verifyAuditChain(dir)).problems).toEqual([
      expect.objectContaining({ line: 3, problem: expect.stringMatching(/removed or reordered/) }),
    ]);
  });
});

describe('passwords', () => {
  it('asks real accounts for 6-digit PINs or 8-character passwords', () => {
    expect(passwordProblem('staff', '1234')).toMatch(/6 digits/);
    expect(passwordProblem('staff', '123456')).toBeNull();
    expect(passwordProblem('staff', 'abc')).toMatch(/8 characters/);
    expect(passwordProblem('manager', '1234567')).toMatch(/8 characters/);
  });

  it('knows which hashes are below the OWASP cost', () => {
    expect(needsRehash('scrypt:16384:8:1:c2FsdA==:aGFzaA==', PASSWORD_PARAMS)).toBe(true);
    expect(needsRehash('scrypt:131072:8:1:c2FsdA==:aGFzaA==', PASSWORD_PARAMS)).toBe(false);
  });
});
