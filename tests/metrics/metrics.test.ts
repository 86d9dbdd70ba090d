/**
 * GET /metrics (issue 16): after a scripted day at the demo centre with its simulated devices, the
 * Prometheus text is parsed as Prometheus would (parse-prometheus-text-format) and every figure is
 * compared with what the API says: tickets issued, called, finished by service, waiting now and the
 * longest wait, first calls within the wait target, ratings by level, devices online and offline by
 * type, the journal's group commits. /healthz/live and /healthz/ready name what is not ready.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { notReadyParts } from '../../controller/http/health-routes.ts';
import type { QueueService } from '../../controller/queue/queue-service.ts';
import { getJson, postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';

let ctx: DeviceCentre | undefined;
afterEach(async () => {
  await ctx?.stopAll();
  ctx = undefined;
});

type Families = ReturnType<typeof parsePrometheusTextFormat>;
const family = (all: Families, name: string) => {
  const f = all.find((m) => m.name === name);
  if (!f) throw new Error(`no metric ${name}`);
  return f;
};
/** Sum of a family's samples whose labels include `match`. */
const sum = (all: Families, name: string, match: Record<string, string> = {}) =>
  family(all, name)
    .metrics.filter((m) => Object.entries(match).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value), 0);

describe('GET /metrics after a scripted day (issue 16)', () => {
  it('agrees with the API on every figure', async () => {
    ctx = await startDeviceCentre();
    const { url } = ctx;
    const post = async (path: string, body: unknown = {}) => {
      const res = await postJson(`${url}/api${path}`, body);
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.json)}`);
      return res.json;
    };
    const issued: Record<string, number> = {};
    const plan = ['dat-dai', 'dat-dai', 'cu-tru', 'dat-dai', 'tu-phap-ho-tich', 'cu-tru', 'dat-dai', 'thue'];
    for (const serviceId of plan) {
      const t = await post('/tickets', { serviceId, source: 'kiosk' });
      issued[t.ticket.serviceId] = (issued[t.ticket.serviceId] ?? 0) + 1;
    }
    const config = ctx.controller.centre.config;
    const counters = config.counters.slice(0, 3);
    let calls = 0;
    for (const [i, counter] of counters.entries()) {
      await post(`/counters/${counter.id}/login`, { staffId: config.staff[i]?.id });
    }
    const levels = [1, 2, 1, 4];
    for (let round = 0; round < 2; round++) {
      for (const counter of counters) {
        const next = await post(`/counters/${counter.id}/next`);
        if (!next.ticket) continue;
        calls++;
        if (round === 0 && counter === counters[2]) {
          await post(`/counters/${counter.id}/skip`);
          continue;
        }
        await post(`/counters/${counter.id}/finish`);
        const level = levels.shift();
        if (level) await post(`/counters/${counter.id}/rate`, { level });
      }
    }
    await eventually(
      () => ctx?.controller.devices.all().some((d) => d.online),
      10_000,
      'a simulated device online',
    );

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parsePrometheusTextFormat(await res.text());
    const dash = (await getJson(`${url}/api/dashboard`)).json;

    for (const [service, n] of Object.entries(issued))
      expect(sum(m, 'hall_tickets_issued_total', { service }), service).toBe(n);
    expect(sum(m, 'hall_tickets_called_total')).toBe(calls);
    for (const s of dash.services as {
      id: string;
      waiting: number;
      servedToday: number;
      calledToday: number;
      longestWaitMinutes: number;
      withinTarget: { met: number; missed: number };
    }[]) {
      expect(sum(m, 'hall_tickets_waiting', { service: s.id }), s.id).toBe(s.waiting);
      expect(sum(m, 'hall_tickets_finished_total', { service: s.id }), s.id).toBe(s.servedToday);
      expect(sum(m, 'hall_first_calls_total', { service: s.id }), s.id).toBe(s.calledToday);
      expect(sum(m, 'hall_first_calls_total', { service: s.id, within_target: 'yes' })).toBe(
        s.withinTarget.met,
      );
      expect(sum(m, 'hall_first_calls_total', { service: s.id, within_target: 'no' })).toBe(
        s.withinTarget.missed,
      );
      expect(Math.floor(sum(m, 'hall_longest_wait_seconds', { service: s.id }) / 60)).toBe(
        s.longestWaitMinutes,
      );
    }
    expect(sum(m, 'hall_tickets_waiting')).toBe(dash.total.waiting);
    expect(dash.total.waiting).toBeGreaterThan(0);
    const byLevel = dash.satisfaction.byLevel as number[];
    expect(byLevel.reduce((a, b) => a + b, 0)).toBe(4);
    for (const [i, n] of byLevel.entries())
      expect(sum(m, 'hall_ratings_total', { level: String(i + 1) })).toBe(n);

    const devices = (await getJson(`${url}/api/devices`)).json.devices as {
      type: string;
      online: boolean;
      installed: boolean;
    }[];
    const types = new Set(devices.map((d) => d.type));
    for (const type of types) {
      for (const online of [true, false]) {
        const n = devices.filter((d) => d.installed && d.type === type && d.online === online).length;
        expect(sum(m, 'hall_devices', { type, status: online ? 'online' : 'offline' }), type).toBe(n);
      }
    }
    expect(sum(m, 'hall_devices', { status: 'online' })).toBeGreaterThan(0);

    // Every event of this fresh journal went through a group commit, each with one fdatasync.
    const group = family(m, 'hall_journal_group_events').metrics[0];
    expect(Number(group?.sum)).toBe(sum(m, 'hall_journal_seq'));
    expect(Number(family(m, 'hall_journal_fsync_seconds').metrics[0]?.count)).toBe(Number(group?.count));
    expect(sum(m, 'hall_journal_seq')).toBe(dash.seq);
    expect(sum(m, 'hall_ready')).toBe(1);
    // The process's own figures, and no upstream figures while reporting is not configured.
    expect(family(m, 'nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
    expect(sum(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(family(m, 'hall_upstream_backlog_records').metrics).toEqual([]);
  }, 60_000);
});

describe('liveness and readiness (issue 16)', () => {
  it('are separate, and readiness names the part that is not ready', async () => {
    ctx = await startDeviceCentre({ connect: false });
    expect((await getJson(`${ctx.url}/healthz/live`)).json).toMatchObject({ live: true });
    expect(await getJson(`${ctx.url}/healthz/ready`)).toEqual({
      status: 200,
      json: { ready: true, notReady: [] },
    });
    expect((await getJson(`${ctx.url}/healthz`)).json).toMatchObject({
      status: 'ok',
      live: true,
      notReady: [],
    });
  });

  it('names the journal, the disk and the part being started', () => {
    const queue = (failure: Error | null, diskFull: Error | null) =>
      ({ failure, diskFull }) as unknown as QueueService;
    expect(notReadyParts({ queue: queue(null, null) })).toEqual([]);
    expect(
      notReadyParts({
        queue: queue(new Error('Journal write failed: EIO'), new Error('the disk is full')),
        ready: () => false,
        starting: () => 'the MQTT broker',
      }),
    ).toEqual([
      { part: 'journal', reason: 'Journal write failed: EIO' },
      { part: 'disk', reason: 'the disk is full' },
      { part: 'the MQTT broker', reason: 'starting' },
    ]);
  });
});
