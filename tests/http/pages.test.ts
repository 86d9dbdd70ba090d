/** The screens as the controller serves them: routes, content policy, caching, and the unbuilt case. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_ROUTES } from '../../controller/http/pages.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';

describe('screens served by the controller', () => {
  let ctx: InProcess;
  beforeAll(async () => {
    ctx = await startInProcess();
  });
  afterAll(async () => {
    await ctx.stop();
  });

  it('serves every screen as a page with a same-origin content policy', async () => {
    for (const path of Object.keys(PAGE_ROUTES)) {
      const res = await fetch(`${ctx.url}${path.replace(':ticketId', '2026-11-23:1001')}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const html = await res.text();
      expect(html).toContain('<html lang="vi">');
      const asset = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
      expect(asset, path).toBeDefined();
      const script = await fetch(`${ctx.url}${asset}`);
      expect(script.status).toBe(200);
      expect(script.headers.get('cache-control')).toContain('immutable');
    }
  });

  it('answers 400 to an address that cannot be decoded, and 204 to the favicon', async () => {
    const bad = await fetch(`${ctx.url}/t/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalidRequest');
    expect((await fetch(`${ctx.url}/favicon.ico`)).status).toBe(204);
  });
});

describe('screens not built', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-screens-'));
  let ctx: InProcess;
  beforeAll(async () => {
    ctx = await startInProcess(undefined, { screensDir: empty });
  });
  afterAll(async () => {
    await ctx.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  it('says how to build them instead of failing', async () => {
    const res = await fetch(`${ctx.url}/hall`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
