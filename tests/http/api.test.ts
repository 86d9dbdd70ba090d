import { type FileHandle, open } from 'node:fs/promises';
import { io as connect } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson, type ResponseJson } from '../helpers/controller-process.ts';

let ctx: Awaited<ReturnType<typeof startInProcess>>;

describe('HTTP API', () => {
  beforeEach(async () => {
    ctx = await startInProcess();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await ctx.stop();
  });

  const post = (path: string, body: unknown = {}) => postJson(`${ctx.url}/api${path}`, body);

  it('issues a ticket with its place in line, and the same ticket again for a repeated requestId', async () => {
    const first = await post('/tickets', { serviceId: 'thue', source: 'kiosk', requestId: 'k1-7' });
    expect(first.status).toBe(201);
    expect(first.json.ticket).toMatchObject({
      label: expect.stringMatching(/^\d001$/),
      peopleAhead: 0,
      serviceName: 'Thuế',
    });
    const again = await post('/tickets', { serviceId: 'thue', source: 'kiosk', requestId: 'k1-7' });
    expect(again.status).toBe(200);
    expect(again.json.ticket.id).toBe(first.json.ticket.id);
    expect(again.json.events).toEqual([]);
  });

  it('says which field is wrong', async () => {
    const res = await post('/tickets', { serviceId: 'thue', source: 'fax', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalidRequest');
    expect(res.json.error.message).toMatch(/source/);
    expect(res.json.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'source' }),
        expect.objectContaining({ message: expect.stringMatching(/colour/) }),
      ]),
    );
  });

  it('refuses a transfer naming both a counter and a person', async () => {
    const res = await post('/counters/quay-1/transfer', {
      to: { counterId: 'quay-2', staffId: 'tran-van-minh' },
    });
    expect(res.status).toBe(400);
    expect(res.json.error.message).toBe('invalid request: to: name a counter or a staff member, not both');
  });

  it('answers broken JSON, unknown endpoints and oversized bodies with JSON errors', async () => {
    const broken = await fetch(`${ctx.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"serviceId":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ResponseJson).error.code).toBe('invalidJson');
    const missing = await getJson(`${ctx.url}/api/nothing-here`);
    expect(missing).toMatchObject({ status: 404, json: { error: { code: 'notFound' } } });
    const huge = await post('/tickets', { serviceId: 'thue', source: 'kiosk', pad: 'x'.repeat(40_000) });
    expect(huge).toMatchObject({ status: 413, json: { error: { code: 'tooLarge' } } });
  });

  it('maps refusals to 404, 409 and 422', async () => {
    expect((await post('/tickets', { serviceId: 'nope', source: 'kiosk' })).status).toBe(404);
    expect((await post('/counters/quay-9/next')).status).toBe(404);
    const conflict = await post('/counters/quay-1/next');
    expect(conflict).toMatchObject({
      status: 409,
      json: { error: { code: 'conflict', message: 'nobody is logged in at counter 1' } },
    });
    expect((await post('/tickets', { serviceId: 'thue', source: 'appointment' })).status).toBe(422);
  });

  it('runs a whole visit: login, next, recall, start, transfer, finish', async () => {
    const t = (await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).json.ticket;
    await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' });
    await post('/counters/quay-8/login', { staffId: 'ngo-thi-thanh-tam' });
    expect((await post('/counters/quay-1/next')).json.ticket.id).toBe(t.id);
    expect((await post('/counters/quay-1/recall')).json.ticket.status).toBe('called');
    expect((await post('/counters/quay-1/start')).json.ticket.status).toBe('serving');
    const moved = await post('/counters/quay-1/transfer', { to: { serviceId: 'tra-ket-qua' } });
    expect(moved.json.ticket).toMatchObject({
      status: 'waiting',
      serviceId: 'tra-ket-qua',
      arrivedAt: t.arrivedAt,
    });
    const queue = (await getJson(`${ctx.url}/api/counters/quay-8/queue`)).json;
    expect(queue.tickets.map((x: { id: string }) => x.id)).toEqual([t.id]);
    await post('/counters/quay-8/next');
    const done = await post('/counters/quay-8/finish', { dossierCode: 'H42.22-261123-0001' });
    expect(done.json.ticket).toMatchObject({ status: 'done', finishedAt: expect.any(Number) });
    expect((await getJson(`${ctx.url}/api/tickets/${t.id}`)).json.status).toBe('done');
  });

  it('shows the live queue: services, counters, recent calls', async () => {
    await post('/tickets', { serviceId: 'cu-tru', source: 'kiosk' });
    const view = (await getJson(`${ctx.url}/api/queue`)).json;
    expect(view.centre.name).toBe('Trung tâm Phục vụ hành chính công tỉnh Quảng Nam');
    expect(view.services.find((s: { id: string }) => s.id === 'cu-tru')).toMatchObject({
      waiting: 1,
      name: 'Cư trú',
    });
    expect(view.counters).toHaveLength(8);
    expect(ctx.started.mqttTlsPort).toBeNull(); // no TLS listener unless configured
    expect(view.tickets).toHaveLength(1);
  });

  it('pushes the state on connect and the events of each change over socket.io', async () => {
    // The start's housekeeping tick records the day's dayStarted; a command that records nothing
    // resolves once that is durable and published, so the socket below sees only the ticket.
    await ctx.controller.queue.submit({ type: 'tick' });
    const socket = connect(ctx.url, { transports: ['websocket'], forceNew: true });
    try {
      const state = await new Promise<{ services: unknown[] }>((resolve) =>
        socket.once('queue:state', resolve),
      );
      expect(state.services).toHaveLength(10);
      const events = new Promise<{ type: string }[]>((resolve) => socket.once('queue:events', resolve));
      // After a change, what changed (the whole state comes only on connection or when asked).
      const nextPatch = new Promise<{ lists: { tickets?: { upsert?: unknown[] } } }>((resolve) =>
        socket.once('queue:patch', resolve),
      );
      await post('/tickets', { serviceId: 'thue', source: 'kiosk' });
      expect((await events).map((e) => e.type)).toEqual(['ticketIssued']);
      expect((await nextPatch).lists.tickets?.upsert).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('refuses further commands with 503 once the journal cannot write, and says so', async () => {
    const fatal = new Promise<Error>((resolve) => ctx.controller.bus.onFatal({}, resolve));
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValue(
      Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }),
    );
    const res = await post('/tickets', { serviceId: 'thue', source: 'kiosk' });
    expect(res).toMatchObject({ status: 503, json: { error: { code: 'unavailable' } } });
    expect((await fatal).message).toMatch(/EIO/);
    vi.restoreAllMocks();
    expect((await post('/tickets', { serviceId: 'thue', source: 'kiosk' })).status).toBe(503);
    expect(await getJson(`${ctx.url}/healthz`)).toMatchObject({ status: 503, json: { status: 'failed' } });
  });
});

describe('access policy', () => {
  afterEach(async () => ctx.stop());

  it('sits in front of every command: a caller without the role gets 403, an unknown one 401', async () => {
    ctx = await startInProcess({
      identify: (req) =>
        req.headers['x-test-user'] === 'kiosk' ? { id: 'kiosk-a', roles: ['public', 'kiosk'] } : null,
    });
    const as = (user: string | undefined, path: string, body: unknown = {}) =>
      fetch(`${ctx.url}/api${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(user ? { 'x-test-user': user } : {}) },
        body: JSON.stringify(body),
      });
    expect((await as('kiosk', '/tickets', { serviceId: 'thue', source: 'kiosk' })).status).toBe(201);
    const denied = await as('kiosk', '/counters/quay-1/open');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as ResponseJson).error.message).toBe(
      'this needs one of the roles: manager',
    );
    expect((await as(undefined, '/tickets', { serviceId: 'thue', source: 'kiosk' })).status).toBe(401);
  });

  it('records the caller as "by" on the events, whatever the body says', async () => {
    ctx = await startInProcess({ identify: () => ({ id: 'staff:lan', roles: ['staff'] }) });
    const res = await postJson(`${ctx.url}/api/tickets`, {
      serviceId: 'thue',
      source: 'staff',
      by: 'someone-else',
    });
    expect(res.json.events[0].by).toBe('staff:lan');
  });
});

/** FileHandle's prototype (not exported by node:fs/promises), to make fdatasync really fail. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await open(import.meta.filename, 'r');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}
