import { afterEach, describe, expect, it, vi } from 'vitest';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, postJson } from '../helpers/controller-process.ts';

const FUTURE = Date.UTC(2036, 0, 1, 3, 0, 0);
const localDay = (ms: number) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(ms);

let ctx: InProcess | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await ctx?.stop();
  ctx = undefined;
});

describe('a clock that jumps (issue 10)', () => {
  it('does not expire the queue or change the day on a jump to 2036, says so, and lets go when set back', async () => {
    ctx = await startInProcess();
    const url = ctx.url;
    const today = localDay(Date.now());
    const first = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(first.json.ticket.id).toBe(`${today}:thue:1`);

    vi.spyOn(Date, 'now').mockReturnValue(FUTURE); // date -s 2036-01-01
    const during = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(during.status).toBe(201);
    expect(during.json.ticket.id).toBe(`${today}:thue:2`);
    const health = await getJson(`${url}/healthz`);
    expect(health.json.clock).toMatchObject({ status: 'jumped' });
    expect(health.json.clock.byMs).toBeGreaterThan(9 * 365 * 24 * 3600_000);
    expect(ctx.controller.queue.state.tickets[first.json.ticket.id]?.status).toBe('waiting');

    vi.restoreAllMocks(); // NTP sets it back
    const after = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(after.json.ticket.id).toBe(`${today}:thue:3`);
    expect((await getJson(`${url}/healthz`)).json.clock).toEqual({ status: 'ok' });
  });

  it('/healthz sees a jump and its end at once, not at the next command or tick', async () => {
    ctx = await startInProcess();
    const url = ctx.url;
    await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    vi.spyOn(Date, 'now').mockReturnValue(FUTURE);
    expect((await getJson(`${url}/healthz`)).json.clock).toMatchObject({ status: 'jumped' });
    vi.restoreAllMocks();
    expect((await getJson(`${url}/healthz`)).json.clock).toEqual({ status: 'ok' });
  });

  it("the dashboard goes by the queue's time while a jump is held: no wait grows by the jump", async () => {
    // The wall clock is mocked before the controller starts, so every part that reads it sees the jump.
    let jump = 0;
    const real = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => real() + jump);
    ctx = await startInProcess();
    await postJson(`${ctx.url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    jump = 3 * 3600_000;
    const view = (await getJson(`${ctx.url}/api/dashboard`)).json;
    expect(view.clockJump ?? view.alerts.find((a: { kind: string }) => a.kind === 'clockJump')).toBeTruthy();
    expect(Math.abs(view.now - real())).toBeLessThan(60_000);
    expect(view.total.longestWaitMinutes).toBeLessThan(5);
  });

  it('follows a jump a manager confirmed, and a confirmed correction brings the real day back', async () => {
    ctx = await startInProcess();
    const url = ctx.url;
    const today = localDay(Date.now());
    await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    vi.spyOn(Date, 'now').mockReturnValue(FUTURE);
    await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' }); // held: still today
    expect((await postJson(`${url}/api/clock/confirm`, {})).status).toBe(200); // a wrong confirmation
    const wrong = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(wrong.json.ticket.id).toBe('2036-01-01:thue:1');

    vi.restoreAllMocks(); // the clock is set right: held at 2036 until confirmed
    expect((await getJson(`${url}/healthz`)).json.clock).toMatchObject({ status: 'jumped' });
    await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect((await getJson(`${url}/healthz`)).json.clock).toMatchObject({ status: 'jumped' });
    expect((await postJson(`${url}/api/clock/confirm`, {})).status).toBe(200);
    const back = await postJson(`${url}/api/tickets`, { serviceId: 'thue', source: 'kiosk' });
    expect(back.json.ticket.id).toBe(`${today}:thue:3`); // numbering above what today already used
    expect(ctx.controller.queue.state.day).toBe(today);
    expect(ctx.controller.queue.state.tickets[wrong.json.ticket.id]?.status).toBe('waiting');
  });
});
