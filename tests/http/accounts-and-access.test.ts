/**
 * Accounts, sessions and roles under the controller's real access policy (sessions), on the demo
 * centre's demo accounts: what anonymous screens, staff and managers may and may not do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, kioskToken, postJson, signIn } from '../helpers/controller-process.ts';

let ctx: InProcess;
const url = (path: string) => `${ctx.url}/api${path}`;
const asManager = () => signIn(ctx.url, { username: DEMO_MANAGER.username, password: DEMO_MANAGER.password });
const kiosk = () => kioskToken(ctx.dataDir, 'kiosk-a');
const asStaff = (username: string, counterId: string) =>
  signIn(ctx.url, { username, password: DEMO_STAFF_PIN, counterId });

describe('accounts and access (session policy)', () => {
  beforeEach(async () => {
    ctx = await startInProcess(null);
  });
  afterEach(async () => {
    await ctx.stop();
  });

  it('lets registered kiosks take tickets, anonymous screens read the queue, and asks them to sign in for the rest', async () => {
    // Any phone on the Wi-Fi is not a kiosk (issue 13): anonymous callers read public data only.
    const anonymous = await postJson(url('/tickets'), { serviceId: 'thue', source: 'kiosk' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('unauthenticated');
    expect(
      (await postJson(url('/tickets'), { serviceId: 'thue', source: 'kiosk' }, await kiosk())).status,
    ).toBe(201);
    expect((await getJson(url('/queue'))).status).toBe(200);
    for (const [path, body] of [
      ['/counters/quay-1/next', {}],
      ['/counters/quay-1/open', {}],
      ['/counters/quay-1/rate', { level: 1 }],
    ] as const) {
      const res = await postJson(url(path), body);
      expect(res.status, path).toBe(401);
      expect(res.json.error.code).toBe('unauthenticated');
    }
    expect((await getJson(url('/follow-ups'))).status).toBe(401);
    expect((await getJson(url('/session'))).json).toEqual({ user: null });
  });

  it('signs staff in to their counter, which they may work and no other', async () => {
    await postJson(url('/tickets'), { serviceId: 'dat-dai', source: 'kiosk' }, await kiosk());
    const staff = await asStaff('nguyen-thi-thu-ha', 'quay-1');
    const me = await getJson(url('/session'), staff);
    expect(me.json.user).toEqual({
      username: 'nguyen-thi-thu-ha',
      name: 'Nguyễn Thị Thu Hà',
      role: 'staff',
      staffId: 'nguyen-thi-thu-ha',
      counterId: 'quay-1',
    });
    const queue = (await getJson(url('/queue'))).json;
    expect(queue.counters.find((c: { id: string }) => c.id === 'quay-1')).toMatchObject({
      status: 'open',
      staff: { id: 'nguyen-thi-thu-ha' },
    });
    const called = await postJson(url('/counters/quay-1/next'), {}, staff);
    expect(called.status).toBe(200);
    expect(called.json.events[0]).toMatchObject({ type: 'ticketCalled', staffId: 'nguyen-thi-thu-ha' });
    const elsewhere = await postJson(url('/counters/quay-2/next'), {}, staff);
    expect(elsewhere.status).toBe(403);
  });

  it('refuses manager actions to staff', async () => {
    const staff = await asStaff('tran-van-minh', 'quay-2');
    const refused = [
      await postJson(url('/counters/quay-3/open'), {}, staff),
      await postJson(url('/counters/quay-2/close'), {}, staff),
      await postJson(url('/staff/tran-van-minh/services'), { services: ['thue'] }, staff, 'PUT'),
      await postJson(
        url('/accounts/intruder'),
        { name: 'X', role: 'manager', password: 'x'.repeat(10) },
        staff,
        'PUT',
      ),
      await getJson(url('/audit'), staff),
      await getJson(url('/accounts'), staff),
      await getJson(url('/follow-ups'), staff),
      await getJson(url('/dashboard'), staff),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.json.error.code).toBe('forbidden');
    }
  });

  it('records what managers do in the audit log, with secrets redacted', async () => {
    const manager = await asManager();
    expect((await postJson(url('/counters/quay-3/open'), { requestId: 'm-1' }, manager)).status).toBe(200);
    const created = await postJson(
      url('/accounts/nhan-vien-moi'),
      { name: 'Nhân viên mới', role: 'staff', staffId: 'bui-van-phuoc', password: '98765' },
      manager,
      'PUT',
    );
    // A 5-digit PIN is refused for a real account (issue 13: 6 digits or more).
    expect(created.status).toBe(400);
    expect(created.json.error.message).toMatch(/at least 6 digits/);
    const accepted = await postJson(
      url('/accounts/nhan-vien-moi'),
      { name: 'Nhân viên mới', role: 'staff', staffId: 'bui-van-phuoc', password: '987654' },
      manager,
      'PUT',
    );
    expect(accepted.status).toBe(201);
    expect(accepted.json.account).not.toHaveProperty('passwordHash');
    // An action is recorded once its answer has gone out ('close'): read until the line is there.
    const actions = async () =>
      (await getJson(url('/audit'), manager)).json.entries.map((e: { action: string }) => e.action);
    await expect.poll(actions).toHaveLength(4);
    const audit = (await getJson(url('/audit'), manager)).json.entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual([
      'PUT /api/accounts/nhan-vien-moi',
      'PUT /api/accounts/nhan-vien-moi',
      'POST /api/counters/quay-3/open',
      'sign in',
    ]);
    expect(audit[0]).toMatchObject({ by: 'quanly', status: 201, details: { password: '[redacted]' } });
    expect(readFileSync(join(ctx.dataDir, 'audit.jsonl'), 'utf8')).not.toContain('987654');
    // The new account works, and its hash has the OWASP cost (N = 2^17).
    await signIn(ctx.url, { username: 'nhan-vien-moi', password: '987654', counterId: 'quay-5' });
    expect(readFileSync(join(ctx.dataDir, 'accounts.json'), 'utf8')).toMatch(/scrypt:131072:8:1:/);
  });

  it('lets a manager change the services a staff member covers: assignment follows, and it is kept', async () => {
    const manager = await asManager();
    await postJson(url('/tickets'), { serviceId: 'thue', source: 'kiosk' }, await kiosk());
    const minh = await asStaff('tran-van-minh', 'quay-2');
    // Trần Văn Minh covers no tax (thue): nobody to call.
    expect((await postJson(url('/counters/quay-2/next'), {}, minh)).json.ticket).toBeNull();
    const changed = await postJson(
      url('/staff/tran-van-minh/services'),
      { services: ['thue', 'xay-dung'] },
      manager,
      'PUT',
    );
    expect(changed).toMatchObject({ status: 200, json: { staff: { services: ['thue', 'xay-dung'] } } });
    const called = await postJson(url('/counters/quay-2/next'), {}, minh);
    expect(called.status).toBe(200);
    expect(called.json.ticket.serviceId).toBe('thue');
    const stored = JSON.parse(readFileSync(join(ctx.dataDir, 'centre.json'), 'utf8'));
    expect(stored.config.staff.find((s: { id: string }) => s.id === 'tran-van-minh').services).toEqual([
      'thue',
      'xay-dung',
    ]);
    const bad = await postJson(
      url('/staff/tran-van-minh/services'),
      { services: ['thue', 'thue'] },
      manager,
      'PUT',
    );
    expect(bad.status).toBe(422);
    expect(
      (await postJson(url('/staff/nobody/services'), { services: ['thue'] }, manager, 'PUT')).status,
    ).toBe(404);
  });

  it('stores passwords only as scrypt hashes and sessions only as token digests', async () => {
    const cookie = await asManager();
    const token = decodeURIComponent(cookie.split('=')[1] as string);
    const accounts = readFileSync(join(ctx.dataDir, 'accounts.json'), 'utf8');
    expect(accounts).not.toContain(DEMO_MANAGER.password);
    expect(accounts).toMatch(/"passwordHash": "scrypt:16384:8:1:/);
    expect(readFileSync(join(ctx.dataDir, 'sessions.json'), 'utf8')).not.toContain(token);
  });

  it('locks an account after five wrong passwords', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await postJson(url('/session'), { username: 'quanly', password: `wrong-${i}` });
      expect(res.status).toBe(401);
    }
    const locked = await postJson(url('/session'), { username: 'quanly', password: DEMO_MANAGER.password });
    expect(locked.status).toBe(429);
    expect(locked.json.error.message).toMatch(/try again in \d+ s/);
    // Unknown names get the same answer as wrong passwords.
    expect(
      (await postJson(url('/session'), { username: 'nobody', password: 'whatever' })).json.error,
    ).toEqual(
      (await postJson(url('/session'), { username: 'tran-van-minh', password: '0000', counterId: 'quay-1' }))
        .json.error,
    );
  });

  it('signs out: the cookie stops working and the counter is left', async () => {
    const staff = await asStaff('vo-thi-my-linh', 'quay-5');
    const res = await fetch(url('/session'), { method: 'DELETE', headers: { cookie: staff } });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/qms_session=;/);
    expect((await getJson(url('/session'), staff)).json).toEqual({ user: null });
    const queue = (await getJson(url('/queue'))).json;
    expect(queue.counters.find((c: { id: string }) => c.id === 'quay-5').staff).toBeNull();
  });

  it('keeps sessions across a controller restart', async () => {
    const manager = await asManager();
    const dir = ctx.dataDir;
    await ctx.controller.stop();
    const again = await startInProcess(null, { dataDir: dir });
    try {
      expect((await getJson(`${again.url}/api/session`, manager)).json.user.username).toBe('quanly');
    } finally {
      await again.stop();
    }
  });

  it('lets staff act only as themselves, at the counter they hold now, on citizens at it', async () => {
    await postJson(url('/tickets'), { serviceId: 'dat-dai', source: 'kiosk' }, await kiosk());
    const first = await asStaff('nguyen-thi-thu-ha', 'quay-1');
    // Not as someone else: the login command names the staff member.
    const asOther = await postJson(url('/counters/quay-1/login'), { staffId: 'tran-van-minh' }, first);
    expect(asOther.status).toBe(403);
    const called = await postJson(url('/counters/quay-1/next'), {}, first);
    expect(called.status).toBe(200);
    // Another staff member cannot cancel or send back the citizen at counter 1.
    const minh = await asStaff('tran-van-minh', 'quay-2');
    const ticketId = encodeURIComponent(called.json.ticket.id);
    expect((await postJson(url(`/tickets/${ticketId}/cancel`), {}, minh)).status).toBe(403);
    // Signed in again elsewhere (the engine moves her), the first session no longer works counter 1.
    await postJson(url('/counters/quay-1/finish'), {}, first);
    await asStaff('nguyen-thi-thu-ha', 'quay-3');
    const stale = await postJson(url('/counters/quay-1/next'), {}, first);
    expect(stale.status).toBe(403);
    expect(stale.json.error.message).toMatch(/no longer hold/);
  });

  it('counts sign-in guesses sent all at once like guesses sent one by one', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postJson(url('/session'), {
          username: 'tran-van-minh',
          password: `${1000 + i}`,
          counterId: 'quay-2',
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  it('gives kiosks walk-in tickets only, and keeps their request ids apart from devices', async () => {
    const k = await kiosk();
    for (const body of [
      {
        serviceId: 'thue',
        source: 'appointment',
        appointment: { slotStart: Date.now(), slotEnd: Date.now() + 60_000 },
      },
      { serviceId: 'thue', source: 'kiosk', citizenKey: 'k'.repeat(43) },
      { serviceId: 'thue', source: 'staff' },
    ]) {
      const res = await postJson(url('/tickets'), body, k);
      expect(res.status, JSON.stringify(body)).toBe(403);
    }
    const taken = await postJson(
      url('/tickets'),
      {
        serviceId: 'thue',
        source: 'kiosk',
        requestId: 'c1-pad:3f9a:42',
      },
      k,
    );
    expect(taken.status).toBe(201);
    const kioskId = ctx.controller.queue.state.tickets[taken.json.ticket.id]?.issuedBy;
    expect(Object.keys(ctx.controller.queue.state.requests)).toContain(`http:${kioskId}:c1-pad:3f9a:42`);
    expect(Object.keys(ctx.controller.queue.state.requests)).not.toContain('c1-pad:3f9a:42');
  });

  it('signs out every session of a removed account', async () => {
    const manager = await asManager();
    const staff = await asStaff('le-thi-kim-oanh', 'quay-4');
    const removed = await fetch(url('/accounts/le-thi-kim-oanh'), {
      method: 'DELETE',
      headers: { cookie: manager },
    });
    expect(removed.status).toBe(200);
    expect((await getJson(url('/session'), staff)).json).toEqual({ user: null });
    expect((await postJson(url('/counters/quay-4/next'), {}, staff)).status).toBe(401);
  });
});
