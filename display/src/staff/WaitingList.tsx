/** The citizens this counter would call, in the order it would call them. */
import { localName, useLang } from '../shared/i18n.ts';
import type { CentreView, CounterQueueEntry } from '../shared/types.ts';

export function WaitingList({ centre, tickets }: { centre: CentreView; tickets: CounterQueueEntry[] }) {
  const { t, lang } = useLang();
  return (
    <section class="waiting">
      <h2>
        {t('Đang chờ quầy này', 'Waiting for this counter')}{' '}
        <span data-testid="waiting-count">{tickets.length}</span>
      </h2>
      <ol class="waiting-list" data-scrolls data-testid="waiting-list">
        {tickets.map((ticket) => {
          const service = centre.services.find((s) => s.id === ticket.serviceId);
          const priority = centre.priorityClasses.find((p) => p.id === ticket.priorityClassId);
          return (
            <li key={ticket.id} class={ticket.urgent ? 'urgent' : ticket.held ? 'held' : ''}>
              <span class="waiting-number">{ticket.label}</span>
              <span class="waiting-service">{service ? localName(lang, service) : ticket.serviceId}</span>
              <span class="waiting-tags">
                {priority && <span class="tag">{localName(lang, priority)}</span>}
                {ticket.appointment && <span class="tag">{t('Đặt lịch', 'Booked')}</span>}
                {ticket.urgent && <span class="tag tag-urgent">{t('Chờ lâu', 'Long wait')}</span>}
                {ticket.held && <span class="tag">{t('Chưa đến giờ hẹn', 'Before slot')}</span>}
              </span>
              <span class="waiting-minutes">
                {ticket.waitedMinutes} {t('phút', 'min')}
              </span>
            </li>
          );
        })}
        {tickets.length === 0 && <li class="empty">{t('Không có ai đang chờ.', 'Nobody is waiting.')}</li>}
      </ol>
    </section>
  );
}
