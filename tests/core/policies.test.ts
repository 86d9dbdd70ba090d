import { describe, expect, it } from 'vitest';
import type { PolicyName } from '../../controller/centre/schema.ts';
import { counterQueueView } from '../../controller/queue/views.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

function centre(policy: PolicyName, extra: Record<string, unknown> = {}) {
  return smallCentre({
    queue: {
      policy,
      priorityClasses: [{ id: 'nguoi-cao-tuoi', name: 'Người cao tuổi', creditMinutes: 10 }],
      ...extra,
    },
  });
}

describe('assignment policies chosen in the configuration', () => {
  it('priority-credit (today’s rule) lets a priority visitor overtake; fifo does not', () => {
    for (const [policy, first] of [
      ['priority-credit', 'elder'],
      ['fifo', 'walkIn'],
    ] as const) {
      const h = new EngineHarness(centre(policy), MORNING);
      const walkIn = h.issue('dat-dai');
      h.advance(3);
      const elder = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' });
      h.staff('c1', 'ha');
      expect(h.next('c1')?.id, policy).toBe(first === 'elder' ? elder.id : walkIn.id);
    }
  });

  it('least-lateness calls the ticket about to pass the target before an older one already past it', () => {
    const h = new EngineHarness(centre('least-lateness'), MORNING);
    const late = h.issue('dat-dai'); // will have waited 20 min: past the 15-minute target
    h.advance(7);
    const atRisk = h.issue('dat-dai'); // 13 min: one more visit elsewhere would make it late
    h.advance(13);
    h.staff('c1', 'ha');
    expect(h.next('c1')?.id).toBe(atRisk.id);
    h.staff('c2', 'minh');
    expect(h.next('c2')?.id).toBe(late.id);
  });

  it('least-lateness keeps the ageing ceiling: past it, the oldest goes first whatever else waits', () => {
    const h = new EngineHarness(centre('least-lateness', { ageingCeilingMinutes: 30 }), MORNING);
    const oldest = h.issue('dat-dai');
    h.advance(18);
    h.issue('dat-dai'); // 13 min when called: at risk
    h.advance(13);
    h.staff('c1', 'ha');
    expect(h.next('c1')?.id).toBe(oldest.id);
  });

  it('least-lateness counts a priority credit as time already waited', () => {
    const h = new EngineHarness(centre('least-lateness'), MORNING);
    h.issue('dat-dai'); // 6 min when called: comfortable
    h.advance(2);
    const elder = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' }); // 4 + 10 credit: at risk
    h.advance(4);
    h.staff('c1', 'ha');
    expect(h.next('c1')?.id).toBe(elder.id);
  });

  it('refuses a ceiling earlier than the target, naming the field', () => {
    expect(() => centre('least-lateness', { ageingCeilingMinutes: 10 })).toThrow(/ageingCeilingMinutes/);
    expect(() => centre('nope' as PolicyName)).toThrow();
  });

  it('the estimate printed follows the policy: under fifo a priority visitor waits behind everyone', () => {
    const byPolicy = (policy: PolicyName) => {
      const h = new EngineHarness(centre(policy), MORNING).staff('c1', 'ha');
      h.issue('dat-dai');
      h.issue('dat-dai');
      h.issue('dat-dai');
      h.advance(1);
      return h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' }).forecastMinutesAtIssue;
    };
    expect(byPolicy('fifo')).toBeGreaterThan(byPolicy('priority-credit') as number);
    expect(MIN).toBe(60_000);
  });
});

describe('the staff console’s next calls', () => {
  it('follow the policy in force: the list is the order "next" calls them in', () => {
    for (const [policy, order] of [
      ['priority-credit', ['elder', 'walkIn', 'later']],
      ['fifo', ['walkIn', 'elder', 'later']],
      // Least-lateness: the first walk-in and the later one are about to pass the target (earliest
      // deadline first); the elder, credited 10 minutes, is past it already and comes after them.
      ['least-lateness', ['walkIn', 'later', 'elder']],
    ] as const) {
      const h = new EngineHarness(centre(policy, { urgentAfterMinutes: 15 }), MORNING);
      const tickets = { walkIn: h.issue('dat-dai') } as Record<string, { id: string }>;
      h.advance(3);
      tickets.elder = h.issue('dat-dai', { priorityClassId: 'nguoi-cao-tuoi' });
      h.advance(1);
      tickets.later = h.issue('dat-dai');
      h.advance(10); // the first walk-in is 1 min from the target
      h.staff('c1', 'ha');
      const listed = counterQueueView(h.engine.config, h.engine.state, 'c1', h.now).map((t) => t.id);
      expect(listed, policy).toEqual(order.map((k) => tickets[k]?.id));
      const called: string[] = [];
      for (let i = 0; i < 3; i++) called.push(h.next('c1')?.id as string);
      expect(called, policy).toEqual(listed);
    }
  });
});
