import { describe, expect, it } from 'vitest';
import { erlangC, erlangStaff, serviceLevel } from '../../controller/core/staffing.ts';
import {
  calibrated,
  DEFAULT_ERROR_QUANTILES,
  errorQuantiles,
  estimateForService,
  estimateTicket,
  forecastCalls,
} from '../../controller/core/wait-estimate.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

describe('the wait forecast', () => {
  it('plays the open counters forward: who covers what, visits in progress, each service’s length', () => {
    const h = new EngineHarness(smallCentre(), MORNING).staff('c1', 'ha').staff('c3', 'lan');
    const inProgress = h.issue('dat-dai');
    h.next('c1'); // a 15-minute visit starts now at counter 1
    const land = [h.issue('dat-dai'), h.issue('dat-dai')];
    const result = h.issue('tra-kq'); // counter 3 (Lan: results first) takes it at once
    const calls = forecastCalls(h.engine.config, h.engine.state, h.now);
    expect(calls.has(inProgress.id)).toBe(false);
    // Counter 1 is busy until +15; counter 3 (results, civil status) cannot take land at all.
    expect(calls.get(land[0]?.id as string)).toBe(h.now + 15 * MIN);
    expect(calls.get(land[1]?.id as string)).toBe(h.now + 30 * MIN);
    expect(calls.get(result.id)).toBe(h.now);
  });

  it('gives no estimate when no open counter covers the service', () => {
    const h = new EngineHarness(smallCentre(), MORNING).staff('c3', 'lan');
    const t = h.issue('dat-dai');
    expect(t.estimatedWaitMinutesAtIssue).toBeNull();
    expect(estimateTicket(h.engine.config, h.engine.state, h.ticket(t.id), h.now)).toBeNull();
    expect(estimateForService(h.engine.config, h.engine.state, 'tra-kq', h.now)).not.toBeNull();
  });

  it('ranges are calibrated by the centre’s own errors once it has enough of them', () => {
    const h = new EngineHarness(smallCentre(), MORNING).staff('c1', 'ha');
    expect(errorQuantiles(h.engine.state)).toBe(DEFAULT_ERROR_QUANTILES);
    // Visits end after 2 minutes where 8 are expected: waits run shorter than forecast.
    for (let i = 0; i < 60; i++) {
      h.issue('ho-tich');
      h.advance(2);
      h.next('c1');
    }
    expect(h.engine.state.waitErrors).toHaveLength(60);
    const [q10, q50, q90] = errorQuantiles(h.engine.state);
    expect([q10, q50, q90]).not.toEqual(DEFAULT_ERROR_QUANTILES);
    expect(q10).toBeLessThanOrEqual(q50);
    expect(q50).toBeLessThanOrEqual(q90);
    const e = calibrated(h.engine.state, 10);
    expect(e.low).toBeLessThanOrEqual(e.minutes);
    expect(e.minutes).toBeLessThanOrEqual(e.high);
    expect(e.high).toBeGreaterThan(e.low);
  });

  it('the errors learned survive a replay of the journal: the state is rebuilt equal', async () => {
    const h = new EngineHarness(smallCentre(), MORNING).staff('c1', 'ha');
    for (let i = 0; i < 10; i++) {
      h.issue('ho-tich');
      h.advance(5);
      h.next('c1');
    }
    const { QueueEngine } = await import('../../controller/core/engine.ts');
    const again = QueueEngine.empty(h.engine.config, MORNING);
    again.replay(h.events);
    expect(again.state.waitErrors).toEqual(h.engine.state.waitErrors);
    expect(again.state.serviceTimes).toEqual(h.engine.state.serviceTimes);
  });
});

describe('Erlang C', () => {
  it('matches the textbook values', () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 10);
    expect(erlangC(1, 0.5)).toBeCloseTo(0.5, 10); // M/M/1: ρ
    expect(erlangC(3, 3)).toBe(1);
    // 10 an hour, 6-minute visits (1 Erlang), 2 staff: 1 − C·e^(−(2−1)·15/6)
    expect(serviceLevel(2, 10, 6, 15)).toBeCloseTo(1 - (1 / 3) * Math.exp(-2.5), 10);
  });

  it('gives the fewest staff for the target, and none when nobody comes', () => {
    const c = erlangStaff(60, 10, 15, 0.9);
    expect(serviceLevel(c, 60, 10, 15)).toBeGreaterThanOrEqual(0.9);
    expect(serviceLevel(c - 1, 60, 10, 15)).toBeLessThan(0.9);
    expect(erlangStaff(0, 10, 15, 0.9)).toBe(0);
  });
});
