/**
 * Issue 13, tried as a hostile phone on the centre's Wi-Fi would: against a running controller with
 * its real access policy (demo accounts), over real HTTP and socket.io. A second loopback address
 * (127.0.0.2) stands for another machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER } from '../../controller/accounts/demo-accounts.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, kioskToken, postJson, signIn } from '../helpers/controller-process.ts';

let ctx: InProcess;
const url = (path: string) => `${ctx.url}/api${path}`;

/** A JSON request from a given local address (127.0.0.2: "another machine"). */
function from(
  localAddress: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Record<string, unknown> }> {
  const { port } = new URL(ctx.url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method,
        path,
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : {}, headers: res.headers }),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

const manager = () => signIn(ctx.url, { username: DEMO_MANAGER.username, password: DEMO_MANAGER.password });

beforeAll(async () => {
  ctx = await startInProcess(null);
});
afterAll(async () => {
  await ctx?.stop();
});

describe('1. only registered kiosks issue tickets', () => {
  it('refuses every ticket-making endpoint to an anonymous caller', async () => {
    const tries = [
      ['/tickets', { serviceId: 'dat-dai', source: 'kiosk', priorityClassId: 'nguoi-cao-tuoi' }],
      ['/tickets', { serviceId: 'dat-dai', source: 'kiosk', printAt: 'kiosk-a' }],
      ['/kiosks/kiosk-a/tickets', { serviceId: 'dat-dai', requestId: 'x1' }],
      ['/kiosks/kiosk-a/scan', { code: 'APPT:whatever', requestId: 'x2' }],
      ['/tickets/anything/reprint', {}],
      ['/appointments/b-1/check-in', {}],
    ] as const;
    for (const [path, body] of tries) {
      const res = await postJson(url(path), body);
      expect(res.status, path).toBe(401);
    }
    expect(Object.keys(ctx.controller.queue.state.tickets)).toHaveLength(0);
    // Public data stays public.
    expect((await getJson(url('/queue'))).status).toBe(200);
    expect((await getJson(url('/centre'))).status).toBe(200);
  });

  it('lets a kiosk act as its own dispenser only, and a revoked kiosk not at all', async () => {
    const kioskA = await kioskToken(ctx.dataDir, 'kiosk-a');
    const taken = await postJson(
      url('/kiosks/kiosk-a/tickets'),
      { serviceId: 'dat-dai', requestId: 'k1' },
      kioskA,
    );
    expect(taken.status).toBe(201);
    expect(
      (await postJson(url('/kiosks/kiosk-b/tickets'), { serviceId: 'dat-dai', requestId: 'k2' }, kioskA))
        .status,
    ).toBe(403);
    expect(
      (await postJson(url('/tickets'), { serviceId: 'dat-dai', source: 'kiosk', printAt: 'kiosk-b' }, kioskA))
        .status,
    ).toBe(403);
    // Only the digest is on disk.
    const files = readdirSync(join(ctx.dataDir, 'kiosks'));
    const onDisk = files.map((f) => readFileSync(join(ctx.dataDir, 'kiosks', f), 'utf8')).join('\n');
    expect(onDisk).not.toContain(kioskA.bearer);
    expect(onDisk).not.toContain(kioskA.bearer.slice('kiosk_'.length));

    const cookie = await manager();
    const listed = await getJson(url('/kiosk-credentials'), cookie);
    const mine = listed.json.kiosks.find((k: { dispenserId: string; revokedAt?: string }) => !k.revokedAt);
    expect(mine).toMatchObject({ dispenserId: 'kiosk-a' });
    expect(JSON.stringify(listed.json)).not.toContain('digest');
    expect(
      (await fetch(url(`/kiosk-credentials/${mine.id}`), { method: 'DELETE', headers: { cookie } })).status,
    ).toBe(200);
    expect(
      (await postJson(url('/kiosks/kiosk-a/tickets'), { serviceId: 'dat-dai', requestId: 'k3' }, kioskA))
        .status,
    ).toBe(401);
  });

  it('pairs a kiosk: code on the kiosk, confirmed by a manager, credential once as an HttpOnly cookie', async () => {
    const asked = await postJson(url('/kiosk-pairings'), { dispenserId: 'kiosk-b' });
    expect(asked.status).toBe(201);
    expect(asked.json.code).toMatch(/^\d{6}$/);
    const claim = () =>
      fetch(url('/kiosk-pairings/claim'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pairingId: asked.json.pairingId, secret: asked.json.secret }),
      });
    expect((await claim()).status).toBe(202);
    // Nobody but a manager confirms, and a wrong secret learns nothing.
    expect((await postJson(url('/kiosk-pairings/confirm'), { code: asked.json.code })).status).toBe(401);
    const wrong = await postJson(url('/kiosk-pairings/claim'), {
      pairingId: asked.json.pairingId,
      secret: 'guess',
    });
    expect(wrong.status).toBe(404);
    const cookie = await manager();
    const waiting = await getJson(url('/kiosk-pairings'), cookie);
    expect(waiting.json.pairings).toEqual([
      expect.objectContaining({ code: asked.json.code, dispenserId: 'kiosk-b' }),
    ]);
    expect((await postJson(url('/kiosk-pairings/confirm'), { code: asked.json.code }, cookie)).status).toBe(
      201,
    );
    const paired = await claim();
    expect(paired.status).toBe(200);
    const setCookie = paired.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^qms_kiosk=kiosk_[A-Za-z0-9_-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(await paired.json()).toEqual({ status: 'paired', dispenserId: 'kiosk-b' });
    const kioskCookie = setCookie.split(';')[0] as string;
    const info = await getJson(url('/kiosks/kiosk-b'), kioskCookie);
    expect(info.status).toBe(200);
    // Claimed once: the same pairing gives nothing more.
    expect((await claim()).status).toBe(404);
  });
});

describe('2. nobody locks out a manager', () => {
  it('locks guesses from another machine, not the manager at their own', async () => {
    const answers: number[] = [];
    for (let i = 0; i < 30; i++) {
      answers.push(
        (await from('127.0.0.2', 'POST', '/api/session', { username: 'quanly', password: `guess-${i}` }))
          .status,
      );
    }
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(25);
    // The right password from the attacker's machine is refused too (locked there)…
    const there = await from('127.0.0.2', 'POST', '/api/session', {
      username: 'quanly',
      password: DEMO_MANAGER.password,
    });
    expect(there.status).toBe(429);
    expect(there.headers['retry-after']).toMatch(/^\d+$/);
    // …and the manager at 127.0.0.1 signs in.
    const here = await from('127.0.0.1', 'POST', '/api/session', {
      username: 'quanly',
      password: DEMO_MANAGER.password,
    });
    expect(here.status).toBe(200);
  }, 60_000);

  it('locks one machine that sprays guesses over many names, and writes no line per guess', async () => {
    const audit = () => {
      try {
        return readFileSync(join(ctx.dataDir, 'audit.jsonl'), 'utf8');
      } catch {
        return '';
      }
    };
    const before = audit().split('\n').length;
    const answers: number[] = [];
    for (let i = 0; i < 30; i++) {
      answers.push(
        (await from('127.0.0.3', 'POST', '/api/session', { username: `made-up-${i}`, password: 'x' })).status,
      );
    }
    expect(answers.filter((s) => s === 401)).toHaveLength(20);
    expect(answers.filter((s) => s === 429)).toHaveLength(10);
    // Summed up once a minute (and at stop), not one fsynced line per failure.
    expect(audit().split('\n').length).toBe(before);
  }, 120_000); // each unknown name still costs a full password check (so timing tells nothing)
});

describe('7. password hashing', () => {
  it('rehashes an older, cheaper hash at the next sign-in (the demo seeds N = 2^14)', async () => {
    const hashOf = () =>
      (
        JSON.parse(readFileSync(join(ctx.dataDir, 'accounts.json'), 'utf8')) as {
          accounts: { username: string; passwordHash: string }[];
        }
      ).accounts.find((a) => a.username === 'dang-thi-hong-nhung')?.passwordHash;
    expect(hashOf()).toMatch(/^scrypt:16384:/);
    await signIn(ctx.url, { username: 'dang-thi-hong-nhung', password: '1234', counterId: 'quay-8' });
    expect(hashOf()).toMatch(/^scrypt:131072:8:1:/);
    await signIn(ctx.url, { username: 'dang-thi-hong-nhung', password: '1234', counterId: 'quay-8' });
  });
});

describe('3. device health and staff events never reach the public', () => {
  const opened: Socket[] = [];
  afterAll(() => {
    for (const s of opened) s.close();
  });
  const watch = (headers: Record<string, string> = {}) => {
    const socket = connect(ctx.url, { transports: ['websocket'], forceNew: true, extraHeaders: headers });
    opened.push(socket);
    const seen: string[] = [];
    socket.onAny((event: string) => seen.push(event));
    return { socket, seen };
  };

  it('sends devices:state to managers, and not to an anonymous connection', async () => {
    const cookie = await manager();
    const anon = watch();
    const mgr = watch({ cookie });
    await expect.poll(() => mgr.seen).toContain('devices:state');
    await expect.poll(() => anon.seen).toContain('queue:state');
    // The connection's first messages were sent together: devices:state was not among them.
    await new Promise((r) => setTimeout(r, 200));
    expect(anon.seen).not.toContain('devices:state');
    // A device change reaches staff and managers, never the public.
    ctx.controller.bus.emitDeviceHealth({ deviceId: 'kiosk-a' } as never);
    await expect.poll(() => mgr.seen.filter((e) => e === 'devices:state').length).toBeGreaterThan(1);
    expect(anon.seen).not.toContain('devices:state');
    expect(anon.seen).not.toContain('devices:alert');
  });
});

describe('4. ids from the request never find Object.prototype', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'])('%s', async (key) => {
    const cookie = await manager();
    const kiosk = await kioskToken(ctx.dataDir, 'kiosk-a');
    const k = encodeURIComponent(key);
    const gets = [
      [url(`/tickets/${k}`), undefined],
      [url(`/counters/${k}/queue`), undefined],
      [url(`/kiosks/kiosk-a/tickets/${k}`), kiosk],
      [url(`/kiosks/${k}`), kiosk],
    ] as const;
    for (const [path, who] of gets) {
      const res = await getJson(path, who);
      expect(res.status, path).toBe(path.includes('/kiosks/') && !path.includes('tickets') ? 403 : 404);
    }
    const posts = [
      `/tickets/${k}/cancel`,
      `/tickets/${k}/reprint`,
      `/tickets/${k}/return`,
      `/appointments/${k}/check-in`,
      `/appointments/${k}/cancel`,
      `/follow-ups/${k}/close`,
      `/counters/${k}/open`,
    ];
    for (const path of posts) {
      const res = await postJson(url(path), {}, cookie);
      expect([404, 422], `${path}: ${JSON.stringify(res.json)}`).toContain(res.status);
    }
  });
});

describe('security headers', () => {
  it('answers the API and the pages with a content policy, no sniffing, no framing', async () => {
    for (const path of ['/api/queue', '/healthz']) {
      const res = await fetch(`${ctx.url}${path}`);
      expect(res.headers.get('content-security-policy'), path).toMatch(/default-src 'self'/);
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('strict-transport-security'), path).toBeNull(); // plain HTTP on the LAN
    }
  });

  it('limits anonymous requests per address, not for other machines', async () => {
    let limited = 0;
    for (let i = 0; i < 620; i++) {
      if ((await from('127.0.0.4', 'GET', '/api/centre')).status === 429) limited += 1;
    }
    expect(limited).toBe(20);
    expect((await from('127.0.0.5', 'GET', '/api/centre')).status).toBe(200);
  });
});
