import { describe, expect, it } from 'vitest';
import {
  learnServiceTime,
  meanMs,
  modelFor,
  priorModel,
  recordVisit,
  STAFF_MIN_VISITS,
} from '../../controller/core/service-time.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const learn = (start: number, visits: number[]) =>
  visits.reduce((m, d) => learnServiceTime(m, d * MIN), priorModel(start * MIN));

describe('learned service times', () => {
  it('start from the configured time: the prior mean is the configured duration', () => {
    expect(meanMs(priorModel(18 * MIN)) / MIN).toBeCloseTo(18, 6);
  });

  it('one 3-second visit moves an 18-minute service by about a tenth, not to a minute', () => {
    const mean = meanMs(learn(18, [0.05])) / MIN;
    expect(mean).toBeGreaterThan(15.5);
    expect(mean).toBeLessThan(18);
  });

  it('one visit left open over lunch (3 hours) moves it by about a fifth, not by half', () => {
    const mean = meanMs(learn(18, [180])) / MIN;
    expect(mean).toBeGreaterThan(18);
    expect(mean).toBeLessThan(23);
  });

  it('follows a real change: twenty 9-minute visits bring an 18-minute service near 9', () => {
    const mean = meanMs(learn(18, Array(20).fill(9))) / MIN;
    expect(mean).toBeLessThan(11.5);
    expect(mean).toBeGreaterThan(8.5);
    // and a handful of outliers among them change little
    const withOutliers = meanMs(learn(18, [...Array(20).fill(9), 0.05, 0.05, 200])) / MIN;
    expect(Math.abs(withOutliers - mean)).toBeLessThan(1.5);
  });

  it('uses a staff member’s own pace once they have enough visits', () => {
    const h = new EngineHarness(smallCentre(), MORNING);
    const state = h.engine.state as Parameters<typeof recordVisit>[0];
    for (let i = 0; i < STAFF_MIN_VISITS - 1; i++) recordVisit(state, 'dat-dai', 'ha', 5 * MIN, 15 * MIN);
    expect(modelFor(state, 'dat-dai', 'ha', 15 * MIN)).toBe(state.serviceTimes?.['dat-dai']);
    recordVisit(state, 'dat-dai', 'ha', 5 * MIN, 15 * MIN);
    const own = modelFor(state, 'dat-dai', 'ha', 15 * MIN);
    expect(own).toBe(state.serviceTimes?.['dat-dai@ha']);
    expect(meanMs(own)).toBeLessThan(meanMs(modelFor(state, 'dat-dai', 'minh', 15 * MIN)) + 1);
    // Another staff member with no history plans with the service's model.
    expect(modelFor(state, 'dat-dai', 'minh', 15 * MIN)).toBe(state.serviceTimes?.['dat-dai']);
  });
});
