/**
 * The services' estimated waits on the live link, remade at most every few seconds rather than on
 * every revision. Each is read off one forecast that plays every open counter through every waiting
 * ticket: with 2,600 waiting that is most of a revision's cost (the live benchmark's profile: 2.2 of
 * 2.7 s), and revisions follow every change. Screens show whole minutes, which a few seconds and a
 * ticket or two do not move; a counter opening or closing for a service, a new day or a new
 * configuration remakes them at once.
 */
import type { CentreConfig } from '../centre/schema.ts';
import { estimateService } from '../core/estimate.ts';
import type { QueueState } from '../core/types.ts';
import { estimateForService, type WaitEstimate } from '../core/wait-estimate.ts';
import type { ServiceWait } from '../queue/views.ts';

/** How old the estimates the live link sends may be. */
export const SERVICE_WAITS_MAX_AGE_MS = 5_000;

interface Made {
  at: number;
  config: CentreConfig;
  state: QueueState;
  day: string;
  /** How many open counters serve each service, in the configuration's order. */
  serving: string;
  waits: Map<string, WaitEstimate | null>;
}

export class ServiceWaits {
  #made: Made | null = null;

  constructor(readonly maxAgeMs = SERVICE_WAITS_MAX_AGE_MS) {}

  /** The waits to show at `now`: those made within maxAgeMs for the same counters, or new ones. */
  at(config: CentreConfig, state: QueueState, now: number): ServiceWait {
    const serving = config.services
      .map((s) => estimateService(config, state, s.id).servingCounters)
      .join(',');
    const m = this.#made;
    const fresh =
      m !== null &&
      m.config === config &&
      m.state === state &&
      m.day === state.day &&
      m.serving === serving &&
      now >= m.at &&
      now - m.at < this.maxAgeMs;
    if (!fresh) {
      const waits = new Map(config.services.map((s) => [s.id, estimateForService(config, state, s.id, now)]));
      this.#made = { at: now, config, state, day: state.day, serving, waits };
    }
    const waits = (this.#made as Made).waits;
    return (serviceId) => waits.get(serviceId) ?? null;
  }
}
