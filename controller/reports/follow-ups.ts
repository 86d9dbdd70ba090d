/** "Not satisfied" ratings to follow up, each with its visit. Never the citizen's key. */
import type { CentreConfig } from '../centre/schema.ts';
import type { QueueState } from '../core/types.ts';

export function followUpList(config: CentreConfig, state: QueueState) {
  const scale = config.ratings.scale;
  return Object.values(state.followUps)
    .sort((a, b) => (a.status === b.status ? b.openedAt - a.openedAt : a.status === 'open' ? -1 : 1))
    .map((f) => {
      const t = state.tickets[f.ticketId];
      const counter = config.counters.find((c) => c.id === f.counterId);
      const staff = config.staff.find((s) => s.id === f.staffId);
      const service = config.services.find((s) => s.id === t?.serviceId);
      const level = scale[f.level - 1];
      return {
        id: f.id,
        status: f.status,
        level: f.level,
        levelLabel: level?.label ?? String(f.level),
        levelLabelEn: level?.labelEn ?? level?.label ?? String(f.level),
        openedAt: f.openedAt,
        closedAt: f.closedAt ?? null,
        note: f.note ?? null,
        ticketId: f.ticketId,
        ticketLabel: f.ticketLabel,
        counter: { id: f.counterId, number: counter?.number ?? null, name: counter?.name ?? f.counterId },
        staff: { id: f.staffId, name: staff?.name ?? f.staffId },
        // The ticket leaves the state at the next day; a follow-up left open then keeps its label only.
        visit: t
          ? {
              serviceId: t.serviceId,
              serviceName: service?.name ?? t.serviceId,
              serviceNameEn: service?.nameEn ?? null,
              arrivedAt: t.arrivedAt,
              calledAt: t.firstCalledAt ?? t.calledAt ?? null,
              serviceStartedAt: t.serviceStartedAt ?? null,
              finishedAt: t.finishedAt ?? null,
              dossierCode: t.dossierCode ?? null,
            }
          : null,
      };
    });
}
