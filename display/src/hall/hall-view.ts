/**
 * What one hall display shows of the live queue: its zone's calls, counters and services (all of
 * them without a zone). Pure.
 */
import type { CounterView, QueueView, RecentCall, ServiceView } from '../shared/types.ts';

export interface HallView {
  /** Latest first, each with its ticket's status now (a finished one is not shown as current). */
  calls: RecentCall[];
  /** The call shown large: the latest whose citizen is still called or being served. */
  current: RecentCall | undefined;
  /** The "now serving" board: every counter of the zone, in number order. */
  counters: CounterView[];
  services: ServiceView[];
}

/** A call whose ticket is still at its counter (called or being served). */
export function isCurrent(call: RecentCall): boolean {
  return call.status === 'called' || call.status === 'serving';
}

export function hallView(view: QueueView, zoneId: string | null, maxCalls: number): HallView {
  const counters = view.counters
    .filter((c) => zoneId === null || c.zoneId === zoneId)
    .sort((a, b) => a.number - b.number);
  const ids = new Set(counters.map((c) => c.id));
  const calls = view.recentCalls.filter((c) => ids.has(c.counterId)).slice(0, maxCalls);
  return {
    calls,
    current: calls.find(isCurrent),
    counters,
    services: zoneId === null ? view.services : view.services.filter((s) => s.zoneId === zoneId),
  };
}
