/**
 * Session lifetime (issue 13, "Also"): an idle timeout per role beside the 12-hour absolute
 * lifetime, where only the user's own acts count as activity; and sign-out everywhere: when a
 * session ends (signed out, idle, account removed, new password) its open socket.io connections are
 * closed at once. Real controller, real sessions, a real socket.io client.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { type Session, Sessions } from '../../controller/accounts/sessions.ts';
import { readSettings } from '../../controller/settings.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, kioskToken, postJson, signIn } from '../helpers/controller-process.ts';

const MIN = 60_000;

describe('sessions: idle timeout (unit, with a clock)', () => {
  let dir: string;
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sessions-'));
    now = Date.UTC(2026, 11, 5, 2, 0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const person = (role: 'manager' | 'staff') => ({
    username: role === 'manager' ? 'boss' : 'ha',
    role,
    staffId: role === 'staff' ? 'ha' : null,
    counterId: role === 'staff' ? 'quay-1' : null,
  });

  it('ends a manager after 30 idle minutes and staff after 60 by default; acting restarts the idle time', async () => {
    const sessions = await Sessions.open(dir, { clock });
    const m = await sessions.create(person('manager'));
    const s = await sessions.create(person('staff'));
    now += 45 * MIN;
    expect(sessions.get(m.token)).toBeNull(); // a manager idle 45 minutes is signed out
    expect(sessions.get(s.token)).not.toBeNull();
    const m1 = await sessions.create(person('manager'));
    now += 10 * MIN;
    sessions.touch(m1.token); // the manager pressed something
    sessions.touch(m.token); // too late: an ended session does not come back
    expect(sessions.get(m.token)).toBeNull();
    now += 5 * MIN;
    expect(sessions.get(s.token)).toBeNull(); // staff: 60 minutes idle
    expect(sessions.get(m1.token)).not.toBeNull(); // 5 minutes since acting
    now += 25 * MIN;
    expect(sessions.get(m1.token)).toBeNull(); // 30 since acting
    // Looking at a session (every request does) is not acting: get() never extends it.
    const m2 = await sessions.create(person('manager'));
    for (let i = 0; i < 30; i++) {
      now += MIN;
      sessions.get(m2.token);
    }
    expect(sessions.get(m2.token)).toBeNull();
  });

  it('does not idle out a staff member serving a citizen; the 12-hour lifetime holds all the same', async () => {
    let serving = true;
    const sessions = await Sessions.open(dir, {
      clock,
      inUse: (s: Session) => s.role === 'staff' && serving,
    });
    const s = await sessions.create(person('staff'));
    now += 3 * 60 * MIN; // a three-hour "5 on the spot" visit, nobody touching the console
    expect(sessions.get(s.token)).not.toBeNull();
    serving = false;
    expect(sessions.get(s.token)).toBeNull();
    serving = true;
    const s2 = await sessions.create(person('staff'));
    now += 12 * 60 * MIN;
    expect(sessions.get(s2.token)).toBeNull();
  });

  it('takes its idle times from the settings, and tells who listens which sessions ended', async () => {
    const settings = readSettings([], { SESSION_IDLE_MANAGER: '10', SESSION_IDLE_STAFF: '240' });
    if (settings === 'help') throw new Error('unexpected');
    expect(settings.sessionIdleMinutes).toEqual({ manager: 10, staff: 240 });
    expect(() => readSettings([], { SESSION_IDLE_STAFF: '0' })).toThrow(/SESSION_IDLE_STAFF/);
    const sessions = await Sessions.open(dir, { clock, idleMinutes: settings.sessionIdleMinutes });
    const ended: string[] = [];
    sessions.onEnded((list) => ended.push(...list.map((e) => e.username)));
    const m = await sessions.create(person('manager'));
    await sessions.create(person('staff'));
    now += 11 * MIN;
    expect(sessions.get(m.token)).toBeNull();
    expect(await sessions.expire()).toHaveLength(1);
    expect(ended).toEqual(['boss']);
    now += 230 * MIN;
    await sessions.expire();
    expect(ended).toEqual(['boss', 'ha']);
  });

  it('reads a sessions file from before idle timeouts without signing anyone out', async () => {
    const old = now - 2 * 60 * MIN;
    // The layout of sessions.json version 1 as written before: no lastActiveAt.
    writeFileSync(
      join(dir, 'sessions.json'),
      JSON.stringify({
        sessions: {
          [digestOf('tok')]: { ...person('manager'), createdAt: old, expiresAt: old + 12 * 60 * MIN },
        },
      }),
    );
    const sessions = await Sessions.open(dir, { clock });
    expect(sessions.get('tok')).not.toBeNull();
    now += 31 * MIN;
    expect(sessions.get('tok')).toBeNull();
  });
});

function digestOf(token: string): string {
  // The same digest as sessions.ts (SHA-256, base64url): the file holds no token.
  return createHash('sha256').update(token).digest('base64url');
}

describe('sessions in the running controller', () => {
  let ctx: InProcess;
  const opened: Socket[] = [];
  const url = (path: string) => `${ctx.url}/api${path}`;
  const asManager = () =>
    signIn(ctx.url, { username: DEMO_MANAGER.username, password: DEMO_MANAGER.password });
  const asStaff = (username: string, counterId: string) =>
    signIn(ctx.url, { username, password: DEMO_STAFF_PIN, counterId });
  /** A socket.io client as a screen opens it, with the page's cookie. */
  const live = (cookie?: string) => {
    const socket = connect(ctx.url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      extraHeaders: cookie ? { cookie } : {},
    });
    opened.push(socket);
    const seen: string[] = [];
    let closedBy: string | null = null;
    socket.onAny((event: string) => seen.push(event));
    socket.on('disconnect', (reason) => {
      closedBy = reason;
    });
    return { socket, seen, closedBy: () => closedBy };
  };

  beforeEach(async () => {
    ctx = await startInProcess(null);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const s of opened.splice(0)) s.close();
    await ctx.stop();
  });

  it('closes the live connections of a removed account at once, and only theirs', async () => {
    const manager = await asManager();
    const staff = await asStaff('le-thi-kim-oanh', 'quay-4');
    const other = await asStaff('tran-van-minh', 'quay-2');
    const removedScreen = live(staff);
    const otherScreen = live(other);
    const hall = live();
    for (const s of [removedScreen, otherScreen, hall])
      await expect.poll(() => s.socket.connected).toBe(true);
    await expect.poll(() => removedScreen.seen).toContain('devices:state');

    const removed = await fetch(url('/accounts/le-thi-kim-oanh'), {
      method: 'DELETE',
      headers: { cookie: manager },
    });
    expect(removed.status).toBe(200);
    // At once: by the time the answer is back the server has closed it (no timer involved).
    await expect.poll(() => removedScreen.closedBy(), { timeout: 1_000 }).toBe('io server disconnect');
    expect((await getJson(url('/session'), staff)).json).toEqual({ user: null });
    // …and leaves the counter they held (nobody was at it), as signing out does.
    await expect.poll(() => ctx.controller.queue.state.counters['quay-4']?.staffId).toBeUndefined();
    expect(ctx.controller.queue.state.counters['quay-2']?.staffId).toBe('tran-van-minh');
    await new Promise((r) => setTimeout(r, 200));
    expect(otherScreen.socket.connected).toBe(true);
    expect(hall.socket.connected).toBe(true);
    // Reconnecting with the old cookie makes a public connection: no device health any more.
    const again = live(staff);
    await expect.poll(() => again.seen).toContain('queue:state');
    await new Promise((r) => setTimeout(r, 200));
    expect(again.seen).not.toContain('devices:state');
  });

  it('closes the live connections of an account given a new password, and of a session signed out', async () => {
    const manager = await asManager();
    const staff = await asStaff('tran-van-minh', 'quay-2');
    const screen = live(staff);
    await expect.poll(() => screen.socket.connected).toBe(true);
    const changed = await postJson(
      url('/accounts/tran-van-minh'),
      { name: 'Trần Văn Minh', role: 'staff', staffId: 'tran-van-minh', password: '824613' },
      manager,
      'PUT',
    );
    expect(changed.status).toBe(200);
    await expect.poll(() => screen.closedBy(), { timeout: 1_000 }).toBe('io server disconnect');
    // A new password is the same person: the counter stays theirs until they sign in again.
    expect(ctx.controller.queue.state.counters['quay-2']?.staffId).toBe('tran-van-minh');

    const dashboard = live(manager);
    await expect.poll(() => dashboard.socket.connected).toBe(true);
    const out = await fetch(url('/session'), { method: 'DELETE', headers: { cookie: manager } });
    expect(out.status).toBe(200);
    await expect.poll(() => dashboard.closedBy(), { timeout: 1_000 }).toBe('io server disconnect');
  });

  it('signs out an idle manager and closes their dashboard socket; reading and the socket are not activity, commands are', async () => {
    const manager = await asManager();
    const first = (await getJson(url('/session'), manager)).json;
    expect(first.endsAt).toBeGreaterThan(Date.now() + 29 * MIN);
    expect(first.endsAt).toBeLessThanOrEqual(Date.now() + 30 * MIN);
    const dashboard = live(manager);
    await expect.poll(() => dashboard.seen).toContain('devices:state');
    // The dashboard polls and listens for a while: its end does not move.
    await new Promise((r) => setTimeout(r, 20));
    await getJson(url('/dashboard'), manager);
    await getJson(url('/queue'), manager);
    expect((await getJson(url('/session'), manager)).json.endsAt).toBe(first.endsAt);
    // A command, or the page reporting a key or a tap, is the manager acting.
    expect((await postJson(url('/counters/quay-3/open'), {}, manager)).status).toBe(200);
    const afterCommand = (await getJson(url('/session'), manager)).json.endsAt;
    expect(afterCommand).toBeGreaterThan(first.endsAt);
    await new Promise((r) => setTimeout(r, 20));
    const activity = await postJson(url('/session/activity'), {}, manager);
    expect(activity.status).toBe(200);
    expect(activity.json.endsAt).toBeGreaterThan(afterCommand);
    // Activity reports are not manager actions for the audit log.
    const audit = (await getJson(url('/audit?limit=50'), manager)).json.entries as { action: string }[];
    expect(audit.some((e) => e.action.includes('/session/activity'))).toBe(false);

    // 31 minutes later, nobody having touched anything.
    const later = Date.now() + 31 * MIN;
    vi.spyOn(Date, 'now').mockReturnValue(later);
    await expect
      .poll(() => dashboard.closedBy(), { timeout: 8_000, interval: 100 })
      .toBe('io server disconnect');
    expect((await getJson(url('/session'), manager)).json).toEqual({ user: null });
    expect((await postJson(url('/session/activity'), {}, manager)).status).toBe(401);
  }, 15_000);

  it('keeps a staff console that is in use: a command restarts its idle time, as a serving counter does', async () => {
    const k = await kioskToken(ctx.dataDir, 'kiosk-a');
    await postJson(url('/tickets'), { serviceId: 'dat-dai', source: 'kiosk' }, k);
    const staff = await asStaff('nguyen-thi-thu-ha', 'quay-1');
    const start = Date.now();
    const console = live(staff);
    await expect.poll(() => console.socket.connected).toBe(true);
    vi.spyOn(Date, 'now').mockReturnValue(start + 50 * MIN);
    expect((await postJson(url('/counters/quay-1/next'), {}, staff)).status).toBe(200);
    // Serving for two hours without touching the console: still signed in.
    vi.spyOn(Date, 'now').mockReturnValue(start + 170 * MIN);
    await new Promise((r) => setTimeout(r, 5_500)); // one expiry check
    expect(console.socket.connected).toBe(true);
    expect((await getJson(url('/session'), staff)).json.user?.username).toBe('nguyen-thi-thu-ha');
    expect((await postJson(url('/counters/quay-1/finish'), {}, staff)).status).toBe(200);
    // Then an hour with nothing at the counter: signed out, console socket closed, counter left (so
    // it no longer counts as staffed, and the next person can sign in there).
    vi.spyOn(Date, 'now').mockReturnValue(start + 231 * MIN);
    await expect
      .poll(() => console.closedBy(), { timeout: 8_000, interval: 100 })
      .toBe('io server disconnect');
    await expect.poll(() => ctx.controller.queue.state.counters['quay-1']?.staffId).toBeUndefined();
    const next = await asStaff('tran-van-minh', 'quay-1');
    expect((await getJson(url('/session'), next)).json.user.counterId).toBe('quay-1');
  }, 20_000);
});
