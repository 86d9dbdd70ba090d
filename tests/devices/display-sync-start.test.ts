import { describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../../controller/centre/load.ts';
import type { QueueState, Ticket } from '../../controller/core/types.ts';
import { DisplaySync } from '../../controller/device-service/display-sync.ts';
import { EventBus } from '../../controller/event-bus.ts';
import type { HallDisplay } from '../../devices/protocol/messages.ts';

/**
 * The hall displays' calls at start come from one walk over the day's tickets (issue 14: it sorted
 * every call of the day before the controller was ready). They must be what the sort gave: each
 * zone's latest calls, latest first, ties in the order of `state.tickets`.
 */
describe('DisplaySync: the hall calls at start', () => {
  it('shows each zone its latest calls, as a stable sort of every call would', async () => {
    const config = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    const counterIds = [...config.counters.map((c) => c.id), 'quay-removed'];
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const tickets: Record<string, Ticket> = {};
    for (let i = 0; i < 600; i++) {
      const called = random() < 0.8;
      const t = {
        id: `t${i}`,
        label: String(1000 + i),
        status: called ? 'done' : 'waiting',
        // Few instants, so many calls share one: the tie order is checked too.
        ...(called ? { calledAt: 1_000 + Math.floor(random() * 40) } : {}),
        ...(called && random() < 0.95
          ? { counterId: counterIds[Math.floor(random() * counterIds.length)] }
          : {}),
      } as unknown as Ticket;
      tickets[t.id] = t;
    }
    const state = { seq: 600, tickets, counters: {} } as unknown as QueueState;
    const sync = new DisplaySync({ bus: new EventBus(), config: () => config, state: () => state });
    const shown = new Map<string, HallDisplay>();
    sync.onHallDisplay((zoneId, display) => shown.set(zoneId, display));
    sync.start();

    const zones = [
      ...new Set(config.devices.filter((d) => d.type === 'hallDisplay').map((d) => d.zoneId ?? '')),
    ];
    expect(zones.length).toBeGreaterThan(1);
    const sorted = Object.values(tickets)
      .filter((t) => t.calledAt !== undefined && t.counterId)
      .sort((a, b) => (b.calledAt as number) - (a.calledAt as number));
    for (const zoneId of zones) {
      const expected = sorted
        .flatMap((t) => {
          const counter = config.counters.find((c) => c.id === t.counterId);
          if (!counter || (counter.zoneId ?? '') !== zoneId) return [];
          return [{ label: t.label, counterNumber: counter.number, at: t.calledAt as number, recall: false }];
        })
        .slice(0, 8);
      expect(expected).toHaveLength(8);
      expect(shown.get(zoneId)?.calls).toEqual(expected);
    }
    sync.stop();
  });
});
