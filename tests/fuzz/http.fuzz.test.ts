/**
 * Fuzzing the HTTP API with fast-check, through a running controller: arbitrary JSON bodies and
 * query strings on every command route and the report routes get a 4xx with the JSON error format
 * — never a 500 — and the controller stays healthy.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { fuzzRuns, report } from './fuzz-runs.ts';

let centre: InProcess;
beforeAll(async () => {
  centre = await startInProcess();
}, 60_000);
afterAll(async () => centre?.stop());

const paths = [
  '/api/tickets',
  '/api/counters/quay-1/next',
  '/api/counters/quay-1/login',
  '/api/counters/quay-1/transfer',
  '/api/counters/quay-1/rate',
  '/api/counters/constructor/next',
  '/api/tickets/__proto__/cancel',
  '/api/appointments',
  '/api/kiosks/kiosk-a/tickets',
  '/api/kiosks/kiosk-a/scan',
];

describe('fuzz: the HTTP API', () => {
  it('answers arbitrary bodies with a 4xx (or a success), never a 500, and stays healthy', async () => {
    const runs = fuzzRuns(1_500);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
          fc.string({ maxLength: 80 }),
          fc
            .record({
              serviceId: fc.oneof(fc.constantFrom('dat-dai', 'thue', ''), fc.string({ maxLength: 10 })),
              source: fc.oneof(fc.constantFrom('kiosk', 'staff'), fc.jsonValue()),
              staffId: fc.constantFrom('nguyen-thi-thu-ha', 'constructor', '__proto__'),
              level: fc.oneof(fc.integer(), fc.string()),
              requestId: fc.string({ maxLength: 130 }),
              code: fc.string({ maxLength: 60 }),
            })
            .map((v) => JSON.stringify(v)),
        ),
        async (path, body) => {
          const res = await fetch(`${centre.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          expect(res.status, `${path} ${body}`).toBeLessThan(500);
          if (res.status >= 400) expect((await res.json()).error?.code).toEqual(expect.any(String));
          else await res.arrayBuffer();
        },
      ),
      { numRuns: runs },
    );
    const queries = fuzzRuns(300);
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (q) => {
        const res = await fetch(`${centre.url}/api/reports/daily?day=${encodeURIComponent(q)}`);
        expect(res.status).toBeLessThan(500);
        await res.arrayBuffer();
      }),
      { numRuns: queries },
    );
    expect((await fetch(`${centre.url}/healthz`)).status).toBe(200);
    report(
      `HTTP API bodies and queries (statuses ${JSON.stringify(Object.fromEntries(statuses))})`,
      runs + queries,
    );
  }, 240_000);
});
