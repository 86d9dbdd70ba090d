/** What one hall display shows of the live queue: its zone's calls and services (all without a zone). */
import type { QueueView, RecentCall, ServiceView } from '../shared/types.ts';

export interface HallView {
  /** Latest first; the first is the number shown large. */
  calls: RecentCall[];
  services: ServiceView[];
}

export function hallView(view: QueueView, zoneId: string | null, maxCalls: number): HallView {
  if (zoneId === null) return { calls: view.recentCalls.slice(0, maxCalls), services: view.services };
  const counters = new Set(view.counters.filter((c) => c.zoneId === zoneId).map((c) => c.id));
  return {
    calls: view.recentCalls.filter((c) => counters.has(c.counterId)).slice(0, maxCalls),
    services: view.services.filter((s) => s.zoneId === zoneId),
  };
}
