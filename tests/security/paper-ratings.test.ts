/**
 * Issue 13, item 6, the part left: ratings from the centre's paper forms. Staff (or a manager) record
 * the level a citizen wrote on a paper form for a visit of their counter finished today; it is stored
 * with `source: 'paper'`, one rating per visit whatever the source, with the keypad's follow-ups,
 * written to the audit log with who entered it, and counted apart everywhere satisfaction is shown:
 * the dashboard, the centre's reports (with and without paper), never upstream. Real controller, real
 * sessions (demo accounts).
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { liveSnapshot } from '../../controller/upstream/live-snapshot.ts';
import { liveSnapshotSchema } from '../../upstream/protocol/messages.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, kioskToken, postJson, signIn } from '../helpers/controller-process.ts';

let ctx: InProcess;
let staff: string;
let manager: string;
const url = (path: string) => `${ctx.url}/api${path}`;
const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;
const keyOf = (link: string) => new URL(link).pathname.split('/')[3] as string;
let n = 0;

/** A ticket from a registered kiosk, called and finished at quay-1 by its staff member. */
async function finishedVisit(): Promise<{ id: string; label: string; link: string }> {
  const kiosk = await kioskToken(ctx.dataDir, 'kiosk-a');
  const taken = await postJson(
    url('/kiosks/kiosk-a/tickets'),
    { serviceId: 'dat-dai', requestId: `p${++n}` },
    kiosk,
  );
  expect(taken.status).toBe(201);
  expect((await postJson(url('/counters/quay-1/next'), {}, staff)).status).toBe(200);
  expect((await postJson(url('/counters/quay-1/finish'), {}, staff)).status).toBe(200);
  return { id: taken.json.ticket.id, label: taken.json.ticket.label, link: taken.json.ticket.link };
}

const paper = (ticketId: string, level: number, who = staff, counterId = 'quay-1') =>
  postJson(url(`/counters/${counterId}/paper-rating`), { ticketId, level }, who);

beforeAll(async () => {
  ctx = await startInProcess(null);
  staff = await signIn(ctx.url, {
    username: 'nguyen-thi-thu-ha',
    password: DEMO_STAFF_PIN,
    counterId: 'quay-1',
  });
  manager = await signIn(ctx.url, { username: DEMO_MANAGER.username, password: DEMO_MANAGER.password });
}, 30_000);
afterAll(async () => {
  await ctx?.stop();
});

describe('paper rating forms, a separately marked source', () => {
  it('lets the staff member record a paper form for a visit finished at their counter today, marked as paper, and audited', async () => {
    const visit = await finishedVisit();
    const offered = await getJson(url('/counters/quay-1/paper-rating'), staff);
    expect(offered.status).toBe(200);
    expect(offered.json.visits[0]).toMatchObject({ ticketId: visit.id, label: visit.label });

    const recorded = await paper(visit.id, 2);
    expect(recorded.status).toBe(200);
    expect(recorded.json.events).toEqual([
      expect.objectContaining({ type: 'visitRated', source: 'paper', level: 2, by: 'nguyen-thi-thu-ha' }),
    ]);
    expect(ctx.controller.queue.state.tickets[visit.id]?.rating).toMatchObject({ level: 2, source: 'paper' });
    const after = await getJson(url('/counters/quay-1/paper-rating'), staff);
    expect(after.json.visits.map((v: { ticketId: string }) => v.ticketId)).not.toContain(visit.id);

    // Who entered it, for which visit: in the audit log, though staff actions are otherwise not there.
    const audit = (await getJson(url('/audit?limit=20'), manager)).json.entries as {
      by: string;
      action: string;
      status: number;
      details?: Record<string, unknown>;
    }[];
    expect(audit).toContainEqual(
      expect.objectContaining({
        by: 'nguyen-thi-thu-ha',
        action: 'POST /api/counters/quay-1/paper-rating',
        status: 200,
        details: { ticketId: visit.id, level: 2 },
      }),
    );
  });

  it("keeps one rating per visit: paper does not replace the citizen's own, nor the citizen a paper one", async () => {
    const byCitizen = await finishedVisit();
    const key = keyOf(byCitizen.link);
    expect((await postJson(url(`${ticketPath(byCitizen.id)}/rating`), { key, level: 1 })).status).toBe(200);
    const over = await paper(byCitizen.id, 4);
    expect(over.status).toBe(409);
    expect(over.json.error).toMatchObject({ reason: 'alreadyRated' });
    expect(ctx.controller.queue.state.tickets[byCitizen.id]?.rating).toMatchObject({
      level: 1,
      source: 'ticket-link',
    });

    const byPaper = await finishedVisit();
    expect((await paper(byPaper.id, 1)).status).toBe(200);
    const late = await postJson(url(`${ticketPath(byPaper.id)}/rating`), {
      key: keyOf(byPaper.link),
      level: 4,
    });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ reason: 'alreadyRated' });
    // The same form entered twice (two staff, or a double click) counts once.
    expect((await paper(byPaper.id, 1, manager)).status).toBe(409);
  });

  it('uses the keypad\'s levels and follow-ups: "not satisfied" on paper opens a follow-up', async () => {
    const visit = await finishedVisit();
    const scale = ctx.controller.queue.config.ratings.scale.length;
    expect((await paper(visit.id, scale + 1)).status).toBe(422);
    expect((await paper(visit.id, scale, manager)).status).toBe(200);
    expect(ctx.controller.queue.state.followUps[`${visit.id}:rating`]).toMatchObject({
      staffId: 'nguyen-thi-thu-ha',
      counterId: 'quay-1',
      level: scale,
    });
    const audit = (await getJson(url('/audit?limit=20'), manager)).json.entries as {
      by: string;
      action: string;
    }[];
    expect(audit).toContainEqual(
      expect.objectContaining({
        by: DEMO_MANAGER.username,
        action: 'POST /api/counters/quay-1/paper-rating',
      }),
    );
  });

  it("refuses other counters' visits, visits not finished, anonymous callers and devices' roles", async () => {
    const visit = await finishedVisit();
    const other = await signIn(ctx.url, {
      username: 'tran-van-minh',
      password: DEMO_STAFF_PIN,
      counterId: 'quay-2',
    });
    expect((await paper(visit.id, 1, other)).status).toBe(403); // quay-1 is not their counter
    expect((await getJson(url('/counters/quay-1/paper-rating'), other)).status).toBe(403);
    const elsewhere = await paper(visit.id, 1, other, 'quay-2'); // their counter, not their visit
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.json.error).toMatchObject({ reason: 'nothingToRate' });
    expect((await paper(visit.id, 1, '')).status).toBe(401);
    const kiosk = await kioskToken(ctx.dataDir, 'kiosk-a');
    expect(
      (await postJson(url('/counters/quay-1/paper-rating'), { ticketId: visit.id, level: 1 }, kiosk)).status,
    ).toBe(403);
    // Waiting, not served: nothing to rate.
    const waiting = await postJson(
      url('/kiosks/kiosk-a/tickets'),
      { serviceId: 'dat-dai', requestId: 'w1' },
      kiosk,
    );
    const notYet = await paper(waiting.json.ticket.id, 1);
    expect(notYet.status).toBe(409);
    expect(notYet.json.error).toMatchObject({ reason: 'nothingToRate' });
    expect(ctx.controller.queue.state.tickets[visit.id]?.rating).toBeUndefined();
    expect(
      (await postJson(url(`/tickets/${encodeURIComponent(waiting.json.ticket.id)}/cancel`), {}, manager))
        .status,
    ).toBeLessThan(300);
  });

  it("counts paper apart on the dashboard, in the centre's reports (with and without paper), and not upstream", async () => {
    // So far today at quay-1: paper 2, ticket link 1 (level 1), paper "not satisfied", one unrated.
    const dash = (await getJson(url('/dashboard'), manager)).json.satisfaction;
    expect(dash.bySource).toEqual({ keypad: 0, 'ticket-link': 1, paper: 3 });
    expect(dash.rated).toBe(1); // the citizens' own, as the province receives them
    expect(dash.notSatisfied).toBe(0);
    expect(dash.withPaper).toMatchObject({ rated: 4, notSatisfied: 1 });
    expect(dash.withPaper.rate766).toBeCloseTo((dash.visits - 1) / dash.visits);
    const api = (await getJson(url('/satisfaction'), staff)).json;
    expect(api.bySource.paper).toBe(3);

    const day = ctx.controller.queue.state.day;
    const report = (await getJson(url(`/reports/daily?day=${day}`), manager)).json;
    expect(report.total.figures.satisfaction).toMatchObject({ rated: 1, notSatisfied: 0 });
    expect(report.total.paper).toMatchObject({
      rated: 3,
      notSatisfied: 1,
      withPaper: { rated: 4, notSatisfied: 1 },
    });
    const served = report.total.figures.served;
    expect(report.total.paper.withPaper.rate766).toBeCloseTo((served - 1) / served);
    const quay1 = report.counters.find((c: { id: string }) => c.id === 'quay-1');
    expect(quay1.paper.rated).toBe(3);
    const csv = await fetch(url(`/reports/daily?day=${day}&format=csv`), { headers: { cookie: manager } });
    const rows: Record<string, string>[] = parse(await csv.text(), { bom: true, columns: true });
    expect(rows[0]).toMatchObject({
      'Phạm vi': 'Toàn trung tâm',
      'Lượt đánh giá': '1',
      'Phiếu giấy': '3',
    });
    expect(rows[0]?.['Tỷ lệ hài lòng QĐ 766 kể cả phiếu giấy (%)']).toBe(
      (((served - 1) / served) * 100).toFixed(1),
    );

    // What the province receives: the visit records are the report's (citizens' own ratings only, a
    // paper-rated visit unrated), and the live snapshot counts the citizens' own.
    const snapshot = liveSnapshotSchema.parse(
      liveSnapshot(
        ctx.controller.queue.config,
        'qn',
        ctx.controller.queue.state,
        [],
        { records: 0, oldestEndedAt: null, lastAckedSeq: 0 },
        Date.now(),
      ),
    );
    expect(snapshot.satisfaction).toMatchObject({ rated: 1, notSatisfied: 0 });
  });
});
