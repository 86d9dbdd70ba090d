/**
 * Issue 13, /metrics exposure: counts, device errors and traffic are for the monitoring server and the
 * managers, not for any phone on the Wi-Fi. A second loopback address (127.0.0.2) stands for another
 * machine; 127.0.0.1 is the controller's own machine.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { AddressAllowList, parseAllowEntry } from '../../controller/security/address-allow-list.ts';
import { readSettings } from '../../controller/settings.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { signIn } from '../helpers/controller-process.ts';

describe('the address allow-list', () => {
  it('holds this machine, the listed addresses and subnets, and nothing else', () => {
    const list = new AddressAllowList(['192.168.1.20', '10.0.0.0/24', 'fd00::/8']);
    for (const a of ['127.0.0.1', '::1', '::ffff:127.0.0.1', '192.168.1.20', '10.0.0.77', 'fd00::5']) {
      expect(list.allows(a), a).toBe(true);
    }
    for (const a of ['127.0.0.2', '192.168.1.21', '10.0.1.1', 'fe80::1', '', 'not-an-address', undefined]) {
      expect(list.allows(a), String(a)).toBe(false);
    }
  });

  it('is read from METRICS_ALLOW, and a bad entry is refused with the setting named', () => {
    const s = readSettings([], { METRICS_ALLOW: '192.168.1.20, 10.0.0.0/24' });
    expect(s !== 'help' && s.metricsAllow).toEqual(['192.168.1.20', '10.0.0.0/24']);
    for (const bad of ['192.168.1.300', '10.0.0.0/33', 'monitor.local', '10.0.0.0/8/1']) {
      expect(parseAllowEntry(bad), bad).toBeNull();
      expect(() => readSettings([], { METRICS_ALLOW: bad })).toThrow(/METRICS_ALLOW \(--metrics-allow\)/);
    }
  });
});

describe('GET /metrics', () => {
  let ctx: InProcess;
  beforeAll(async () => {
    ctx = await startInProcess(null, { metricsAllow: ['127.0.0.3'] });
  });
  afterAll(async () => {
    await ctx?.stop();
  });

  /** GET /metrics from a given local address, with an optional cookie. */
  const scrape = (localAddress: string, cookie?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: new URL(ctx.url).port,
          localAddress,
          path: '/metrics',
          headers: cookie ? { cookie } : {},
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  it('answers this machine and the allowed monitoring server', async () => {
    for (const address of ['127.0.0.1', '127.0.0.3']) {
      const res = await scrape(address);
      expect(res.status, address).toBe(200);
      expect(res.body).toContain('hall_');
    }
  });

  it('refuses another machine, signed out or signed in as staff, and answers a signed-in manager', async () => {
    const refused = await scrape('127.0.0.2');
    expect(refused.status).toBe(403);
    expect(refused.body).not.toContain('hall_');
    expect(JSON.parse(refused.body).error).toMatchObject({ code: 'forbidden', text: expect.any(String) });
    const staff = await signIn(ctx.url, {
      username: 'nguyen-thi-thu-ha',
      password: DEMO_STAFF_PIN,
      counterId: 'quay-1',
    });
    expect((await scrape('127.0.0.2', staff)).status).toBe(403);
    const manager = await signIn(ctx.url, {
      username: DEMO_MANAGER.username,
      password: DEMO_MANAGER.password,
    });
    expect((await scrape('127.0.0.2', manager)).status).toBe(200);
  });
});
