/** Today's figures per service and per counter, from configuration + state at a given instant. */
import type { CentreConfig } from '../centre/schema.ts';
import { servicesAt } from '../core/assignment.ts';
import type { QueueState, Ticket } from '../core/types.ts';
import { counterView, serviceView } from '../queue/views.ts';
import { averageWaitMinutes, MIN, round1, tallyTarget, type Wait, waitOf } from './waits.ts';

export function serviceFigures(config: CentreConfig, state: QueueState, now: number, dayStart: number) {
  const tickets = Object.values(state.tickets);
  const target = config.queue.waitTargetMinutes;
  const rows = config.services.map((s) => {
    const mine = tickets.filter((t) => t.serviceId === s.id);
    const waits = mine.map((t) => waitOf(t, dayStart, now));
    return {
      ...serviceView(config, state, s, now),
      servedToday: mine.filter((t) => t.status === 'done').length,
      calledToday: waits.filter((w) => w.firstCallAt !== null).length,
      withinTarget: tallyTarget(waits, target),
      averageWaitMinutes: averageWaitMinutes(waits),
    };
  });
  const all: Wait[] = tickets.map((t) => waitOf(t, dayStart, now));
  const total = {
    waiting: rows.reduce((n, r) => n + r.waiting, 0),
    longestWaitMinutes: Math.max(0, ...rows.map((r) => r.longestWaitMinutes)),
    servedToday: rows.reduce((n, r) => n + r.servedToday, 0),
    calledToday: all.filter((w) => w.firstCallAt !== null).length,
    withinTarget: tallyTarget(all, target),
    averageWaitMinutes: averageWaitMinutes(all),
  };
  return { services: rows, total };
}

export function counterFigures(config: CentreConfig, state: QueueState, now: number) {
  const tickets = Object.values(state.tickets);
  return config.counters.map((c) => {
    const live = state.counters[c.id];
    const staff = config.staff.find((s) => s.id === live?.staffId);
    const current = live?.currentTicketId ? state.tickets[live.currentTicketId] : undefined;
    return {
      ...counterView(config, state, c),
      openedAt: live?.openedAt ?? null,
      /** What this counter can serve now: the staff member's services it is equipped for. */
      services: staff ? servicesAt(c, staff) : [],
      current: current ? currentVisit(current, now) : null,
      servedToday: tickets.filter((t) => t.status === 'done' && t.counterId === c.id).length,
    };
  });
}

/** The visit at a counter: running since the service started, or since the call before that. */
function currentVisit(t: Ticket, now: number) {
  const since = t.serviceStartedAt ?? t.calledAt ?? now;
  return {
    ticketId: t.id,
    label: t.label,
    serviceId: t.serviceId,
    status: t.status,
    calledAt: t.calledAt ?? null,
    serviceStartedAt: t.serviceStartedAt ?? null,
    since,
    minutes: round1((now - since) / MIN),
  };
}
