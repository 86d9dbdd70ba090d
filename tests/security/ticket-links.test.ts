/**
 * Issue 13, item 6: ratings come from the citizen. Against a running controller with its real access
 * policy (demo accounts): the keypad (a registered device) or the citizen's own ticket page, reached
 * through the unguessable link printed in the ticket's QR code, rate a visit; the staff member who
 * served it cannot; a caller who guesses a ticket id can read its public place in line and nothing more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_MANAGER, DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, kioskToken, postJson, signIn } from '../helpers/controller-process.ts';

let ctx: InProcess;
const url = (path: string) => `${ctx.url}/api${path}`;

/** A ticket from a registered kiosk, served and finished at quay-1 by its staff member. */
async function finishedVisit(n: number): Promise<{ id: string; link: string; staff: string }> {
  const kiosk = await kioskToken(ctx.dataDir, 'kiosk-a');
  const taken = await postJson(
    url('/kiosks/kiosk-a/tickets'),
    { serviceId: 'dat-dai', requestId: `r${n}` },
    kiosk,
  );
  expect(taken.status).toBe(201);
  const staff = await signIn(ctx.url, {
    username: 'nguyen-thi-thu-ha',
    password: DEMO_STAFF_PIN,
    counterId: 'quay-1',
  });
  expect((await postJson(url('/counters/quay-1/next'), {}, staff)).status).toBe(200);
  expect((await postJson(url('/counters/quay-1/finish'), {}, staff)).status).toBe(200);
  return { id: taken.json.ticket.id, link: taken.json.ticket.link, staff };
}

const keyOf = (link: string) => new URL(link).pathname.split('/')[3] as string;
const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;

beforeAll(async () => {
  ctx = await startInProcess(null);
});
afterAll(async () => {
  await ctx?.stop();
});

describe('6. ratings only from the citizen', () => {
  it('refuses a staff member (and a manager) rating the visit they just finished', async () => {
    const visit = await finishedVisit(1);
    const own = await postJson(url('/counters/quay-1/rate'), { level: 1 }, visit.staff);
    expect(own.status).toBe(403);
    const manager = await signIn(ctx.url, {
      username: DEMO_MANAGER.username,
      password: DEMO_MANAGER.password,
    });
    expect((await postJson(url('/counters/quay-1/rate'), { level: 1 }, manager)).status).toBe(403);
    expect(ctx.controller.queue.state.tickets[visit.id]?.rating).toBeUndefined();
  });

  it('prints an unguessable link in the QR code, and lets its holder rate the visit once', async () => {
    const visit = await finishedVisit(2);
    // The kiosk screen's link is the printed one: /t/<id>/<22 base64url characters (128 bits)>.
    expect(new URL(visit.link).pathname).toMatch(/^\/t\/[^/]+\/[A-Za-z0-9_-]{22}$/);
    const key = keyOf(visit.link);

    const held = await postJson(url(`${ticketPath(visit.id)}/holder`), { key });
    expect(held.status).toBe(200);
    expect(held.json).toMatchObject({ id: visit.id, status: 'done', rating: null, canRate: true });
    expect(held.json.ratingScale[0]).toMatchObject({ label: 'Rất hài lòng' });

    // The last level is "not satisfied": a follow-up opens, as from the keypad.
    const worst = held.json.ratingScale.length;
    const rated = await postJson(url(`${ticketPath(visit.id)}/rating`), { key, level: worst });
    expect(rated.status).toBe(200);
    expect(rated.json).toMatchObject({ rating: { level: worst }, canRate: false });
    expect(ctx.controller.queue.state.tickets[visit.id]?.rating).toMatchObject({
      level: worst,
      notSatisfied: true,
    });
    expect(ctx.controller.queue.state.followUps[`${visit.id}:rating`]).toMatchObject({
      staffId: 'nguyen-thi-thu-ha',
      counterId: 'quay-1',
    });

    const again = await postJson(url(`${ticketPath(visit.id)}/rating`), { key, level: 1 });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({
      reason: 'alreadyRated',
      text: expect.stringContaining('đã được đánh giá'),
    });
  });

  it('gives a caller who guesses an id the public place in line only: no rating, no details', async () => {
    const visit = await finishedVisit(3);
    const realKey = keyOf(visit.link);
    const wrongKey = `${realKey.slice(0, -1)}${realKey.endsWith('A') ? 'B' : 'A'}`;
    for (const body of [{ key: wrongKey }, { key: 'A'.repeat(22) }]) {
      const read = await postJson(url(`${ticketPath(visit.id)}/holder`), body);
      expect(read.status).toBe(403);
      expect(read.json.error).toMatchObject({
        code: 'badTicketLink',
        text: expect.stringContaining('mã QR'),
      });
      expect((await postJson(url(`${ticketPath(visit.id)}/rating`), { ...body, level: 1 })).status).toBe(403);
    }
    // No key, or not a key at all: refused before anything is looked up.
    expect((await postJson(url(`${ticketPath(visit.id)}/rating`), { level: 1 })).status).toBe(400);
    expect((await postJson(url(`${ticketPath(visit.id)}/holder`), { key: '../../x' })).status).toBe(400);
    // A made-up id with a made-up key: 403 too (whether a ticket exists is not told).
    expect(
      (await postJson(url(`${ticketPath('2020-01-01:dat-dai:1')}/holder`), { key: wrongKey })).status,
    ).toBe(403);
    expect(ctx.controller.queue.state.tickets[visit.id]?.rating).toBeUndefined();

    // Old printed links (/t/<id>) keep showing the public place in line, which has no rating.
    const open = await getJson(url(ticketPath(visit.id)));
    expect(open.status).toBe(200);
    expect(open.json).toMatchObject({ id: visit.id, status: 'done' });
    expect(open.json).not.toHaveProperty('rating');
    expect(open.json).not.toHaveProperty('canRate');
  });

  it('refuses a rating for a visit not finished yet', async () => {
    const kiosk = await kioskToken(ctx.dataDir, 'kiosk-a');
    const taken = await postJson(
      url('/kiosks/kiosk-a/tickets'),
      { serviceId: 'dat-dai', requestId: 'r9' },
      kiosk,
    );
    const key = keyOf(taken.json.ticket.link);
    const held = await postJson(url(`${ticketPath(taken.json.ticket.id)}/holder`), { key });
    expect(held.json).toMatchObject({ status: 'waiting', canRate: false, rating: null });
    const early = await postJson(url(`${ticketPath(taken.json.ticket.id)}/rating`), { key, level: 1 });
    expect(early.status).toBe(409);
    expect(early.json.error).toMatchObject({ reason: 'nothingToRate' });
  });
});
