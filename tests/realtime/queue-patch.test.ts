/**
 * The live queue as patches (controller/realtime/queue-patch.ts): a patch applied to the state of
 * its base is exactly the next state (after random command sequences, through JSON as on the
 * wire); and over a real socket.io connection to a running controller, a screen kept current by
 * patches holds what the controller holds, and one that missed a patch asks for the whole state
 * and is whole again.
 */
import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { queueView } from '../../controller/queue/views.ts';
import {
  applyQueuePatch,
  diffQueue,
  QueueFollower,
  type QueuePatch,
  type QueueState,
  type QueueView,
} from '../../controller/realtime/queue-patch.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';

const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('queue patches', () => {
  const config = smallCentre();
  const counterId = fc.constantFrom('c1', 'c2', 'c3');
  const command: fc.Arbitrary<Command> = fc.oneof(
    {
      arbitrary: fc.record({
        type: fc.constant('issueTicket' as const),
        serviceId: fc.constantFrom('dat-dai', 'ho-tich', 'tra-kq'),
        source: fc.constant('kiosk' as const),
      }),
      weight: 4,
    },
    fc.record({
      type: fc.constant('login' as const),
      counterId,
      staffId: fc.constantFrom('ha', 'minh', 'lan'),
    }),
    {
      arbitrary: fc.record({
        type: fc.constantFrom(
          'callNext' as const,
          'skip' as const,
          'finishService' as const,
          'logout' as const,
        ),
        counterId,
      }),
      weight: 4,
    },
    fc.record({
      type: fc.constant('transfer' as const),
      counterId,
      to: fc.record({ serviceId: fc.constantFrom('dat-dai', 'ho-tich') }),
    }),
    fc.record({ type: fc.constant('tick' as const) }),
  ) as fc.Arbitrary<Command>;

  it('a patch applied to the state of its base gives the next state, whatever changed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(command, fc.constantFrom(0, 1, 5, 24 * 60)), { minLength: 5, maxLength: 40 }),
        (steps) => {
          const engine = QueueEngine.empty(config, MORNING);
          let now = MORNING;
          let screen = wire(queueView(config, engine.state, now));
          let before = queueView(config, engine.state, now);
          let rev = 0;
          for (const [cmd, minutes] of steps) {
            now += minutes * MIN;
            engine.execute(cmd, now);
            const after = queueView(config, engine.state, now);
            const patch = wire(diffQueue(before, after, ++rev));
            expect(patch.base).toBe(rev - 1);
            screen = applyQueuePatch(screen, patch);
            expect(screen).toEqual(wire(after));
            before = after;
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sends only what changed: one ticket issued into a queue of 300 is one ticket, not 300', () => {
    const engine = QueueEngine.empty(config, MORNING);
    engine.execute({ type: 'login', counterId: 'c1', staffId: 'ha' }, MORNING);
    for (let i = 0; i < 300; i++)
      engine.execute({ type: 'issueTicket', serviceId: 'ho-tich', source: 'kiosk' }, MORNING);
    const before = queueView(config, engine.state, MORNING);
    engine.execute({ type: 'issueTicket', serviceId: 'ho-tich', source: 'kiosk' }, MORNING + 1000);
    const after = queueView(config, engine.state, MORNING + 1000);
    const patch = diffQueue(before, after, 1);
    expect(patch.lists.tickets?.upsert?.map((t) => t.id)).toEqual([after.tickets.at(-1)?.id]);
    expect(patch.lists.tickets?.remove).toBeUndefined();
    expect(patch.lists.tickets?.order).toBeUndefined();
    expect(JSON.stringify(patch).length * 20).toBeLessThan(JSON.stringify(after).length);
  });

  it('a follower that misses a revision asks for the whole state once, and ignores patches until it comes', () => {
    const asked: number[] = [];
    const f = new QueueFollower(() => asked.push(1));
    const engine = QueueEngine.empty(config, MORNING);
    const v0 = queueView(config, engine.state, MORNING);
    f.state({ ...v0, rev: 4 });
    engine.execute({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' }, MORNING);
    const v1 = queueView(config, engine.state, MORNING);
    engine.execute({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' }, MORNING);
    const v2 = queueView(config, engine.state, MORNING);
    expect(f.patch(diffQueue(v1, v2, 6))).toBeNull(); // revision 5 never came
    expect(f.patch(diffQueue(v1, v2, 6))).toBeNull();
    expect(asked).toHaveLength(1);
    expect(f.view).toEqual(v0);
    f.state({ ...v2, rev: 6 });
    expect(f.patch(diffQueue(v1, v2, 6))).toBeNull(); // already in the whole state: no new request
    expect(asked).toHaveLength(1);
    expect(f.patch(diffQueue(v2, v2, 7))).toEqual(v2);
    expect(f.rev).toBe(7);
  });
});

describe('queue patches over socket.io', () => {
  let ctx: Awaited<ReturnType<typeof startInProcess>>;
  const sockets: Socket[] = [];
  beforeEach(async () => {
    ctx = await startInProcess();
    await ctx.controller.queue.submit({ type: 'tick' });
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await ctx.stop();
  });

  /** A screen: a socket and its follower; `drop` patches of these revisions are lost on the way. */
  function screen(drop: number[] = []) {
    const socket = connect(ctx.url, { transports: ['websocket'], forceNew: true });
    sockets.push(socket);
    const resyncs: number[] = [];
    const follower = new QueueFollower(() => {
      resyncs.push(follower.rev ?? -1);
      socket.emit('queue:resync');
    });
    const patches: QueuePatch[] = [];
    socket.on('queue:state', (m: QueueState) => follower.state(m));
    socket.on('queue:patch', (p: QueuePatch) => {
      patches.push(p);
      if (!drop.includes(p.rev)) follower.patch(p);
    });
    return { socket, follower, resyncs, patches };
  }

  /** The controller's whole state at its current revision, as a screen asking for it gets it. */
  async function wholeState(): Promise<QueueState> {
    const probe = connect(ctx.url, { transports: ['websocket'], forceNew: true });
    sockets.push(probe);
    const first = await new Promise<QueueState>((resolve) => probe.once('queue:state', resolve));
    return first;
  }

  const post = (path: string, body: unknown) =>
    fetch(`${ctx.url}/api${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('a screen connecting just after a change gets a state at least as new as the events already sent', async () => {
    const first = screen();
    await new Promise((resolve) => first.socket.once('queue:state', resolve));
    // A change, then a newcomer before the coalesced revision: it must not get the revision from
    // before the change (a hall reads a state older than its last call as another history, and says
    // its recent calls again).
    expect((await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).status).toBe(201);
    const seq = ctx.controller.queue.state.seq;
    const late = await wholeState();
    expect(late.seq).toBe(seq);
    // And the screen already there is brought to that revision too.
    await expect.poll(() => first.follower.view?.seq).toBe(seq);
  });

  it('a screen kept by patches holds the controller’s state; one that missed a patch resyncs and holds it too', async () => {
    const kept = screen();
    const gap = screen();
    await expect.poll(() => kept.follower.rev !== null && gap.follower.rev !== null).toBe(true);
    const start = gap.follower.rev as number;
    // The gap screen loses the first patch after it joined.
    gap.socket.off('queue:patch');
    gap.socket.on('queue:patch', (p: QueuePatch) => {
      gap.patches.push(p);
      if (p.rev !== start + 1) gap.follower.patch(p);
    });

    expect((await post('/counters/quay-1/login', { staffId: 'nguyen-thi-thu-ha' })).status).toBeLessThan(300);
    await expect.poll(() => gap.patches.length, { timeout: 5_000 }).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++)
      expect((await post('/tickets', { serviceId: 'dat-dai', source: 'kiosk' })).status).toBe(201);
    await post('/counters/quay-1/next', {});

    await expect.poll(() => gap.resyncs.length, { timeout: 5_000 }).toBe(1);
    // Both now hold the revision the controller is at, and exactly its state.
    const whole = await wholeState();
    const { rev, ...view } = whole;
    await expect.poll(() => kept.follower.rev, { timeout: 5_000 }).toBe(rev);
    await expect.poll(() => gap.follower.rev, { timeout: 5_000 }).toBe(rev);
    expect(kept.follower.view).toEqual(view as QueueView);
    expect(gap.follower.view).toEqual(view as QueueView);
    expect(view.tickets).toHaveLength(3);
    expect(view.tickets.filter((t) => t.status === 'called')).toHaveLength(1);
    // The kept screen never asked: every patch followed its base.
    expect(kept.resyncs).toEqual([]);
    expect(kept.patches.every((p, i) => i === 0 || p.base === (kept.patches[i - 1] as QueuePatch).rev)).toBe(
      true,
    );
  });
});
