/**
 * Service times learned online, per service and per staff member, robust to outliers and to a cold
 * start. Each is a log-normal model (mean and variance of log duration) that starts from the
 * configured duration as its prior, worth PRIOR_VISITS visits. A visit is clipped to within
 * CLIP_SD standard deviations of the current model before it counts, and counts with weight
 * 1/(visits + PRIOR_VISITS + 1), never less than MIN_WEIGHT (so the model keeps following a slow
 * drift through the day). A 3-second "visit" of an 18-minute service moves its mean to 16.7 minutes,
 * a visit left open over lunch (3 hours) to 22; twenty real 9-minute visits bring it to 11.2.
 * Pure functions: evolve() calls them on each serviceFinished, the estimator reads the result.
 */
import type { QueueState } from './types.ts';

export interface ServiceTimeModel {
  /** Visits learned from. */
  n: number;
  /** Mean of ln(duration in ms). */
  mu: number;
  /** Variance of ln(duration). */
  s2: number;
}

/** Worth of the configured duration, in visits. */
const PRIOR_VISITS = 8;
/** Spread assumed before any visit: a coefficient of variation of about 0.5. */
const PRIOR_S2 = 0.25;
const CLIP_SD = 2.5;
const MIN_WEIGHT = 0.05;
/** Shortest duration taken as it is (a visit ended by accident counts as 5 s, not 0). */
const FLOOR_MS = 5_000;
/** A staff member's own model is used once it has learned from this many of their visits. */
export const STAFF_MIN_VISITS = 10;

export function priorModel(expectedMs: number): ServiceTimeModel {
  return { n: 0, mu: Math.log(expectedMs) - PRIOR_S2 / 2, s2: PRIOR_S2 };
}

/** The model after one more visit of `durationMs`. */
export function learnServiceTime(model: ServiceTimeModel, durationMs: number): ServiceTimeModel {
  const sd = Math.sqrt(model.s2);
  const x = Math.min(
    model.mu + CLIP_SD * sd,
    Math.max(model.mu - CLIP_SD * sd, Math.log(Math.max(FLOOR_MS, durationMs))),
  );
  const w = Math.max(MIN_WEIGHT, 1 / (model.n + PRIOR_VISITS + 1));
  const d = x - model.mu;
  const mu = model.mu + w * d;
  // Variance of the clipped log durations, kept within reason so one day cannot collapse or explode it.
  const s2 = Math.min(1.5, Math.max(0.01, model.s2 + w * (d * (x - mu) - model.s2)));
  return { n: model.n + 1, mu, s2 };
}

export function meanMs(model: ServiceTimeModel): number {
  return Math.exp(model.mu + model.s2 / 2);
}

/** Coefficient of variation of the model's durations. */
export function cv(model: ServiceTimeModel): number {
  return Math.sqrt(Math.exp(model.s2) - 1);
}

export function staffKey(serviceId: string, staffId: string): string {
  return `${serviceId}@${staffId}`;
}

/**
 * Applies a finished visit to the state's models (called by evolve). Without a recorded prior
 * (events journaled before it existed), the first visit seeds the model.
 */
export function recordVisit(
  state: QueueState,
  serviceId: string,
  staffId: string,
  durationMs: number,
  expectedMs: number | undefined,
): void {
  state.serviceTimes ??= {};
  const models = state.serviceTimes;
  const prior =
    expectedMs && expectedMs > 0 ? priorModel(expectedMs) : priorModel(Math.max(FLOOR_MS, durationMs));
  const before = models[serviceId] ?? prior;
  const service = learnServiceTime(before, durationMs);
  models[serviceId] = service;
  // A staff member's model starts from the service's as it was: their own pace shows as they go.
  const key = staffKey(serviceId, staffId);
  models[key] = learnServiceTime(models[key] ?? { ...before, n: 0 }, durationMs);
  state.avgServiceMs[serviceId] = meanMs(service);
}

/** The model to plan with: the staff member's once they have enough visits, else the service's, else the prior. */
export function modelFor(
  state: QueueState,
  serviceId: string,
  staffId: string | undefined,
  expectedMs: number,
): ServiceTimeModel {
  const models = state.serviceTimes;
  if (staffId) {
    const own = models?.[staffKey(serviceId, staffId)];
    if (own && own.n >= STAFF_MIN_VISITS) return own;
  }
  return models?.[serviceId] ?? priorModel(expectedMs);
}
