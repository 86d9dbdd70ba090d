/** The citizens this counter would call, in the order it would call them. */
import { localName, useLang } from '../shared/i18n.ts';
import type { CentreView, CounterQueueEntry } from '../shared/types.ts';

export function WaitingList({
  centre,
  tickets,
  counterId,
  staffId,
}: {
  centre: CentreView;
  tickets: CounterQueueEntry[];
  counterId: string;
  /** Who sits at the counter: a citizen transferred to this person is tagged too. */
  staffId: string | null;
}) {
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
            <li
              key={ticket.id}
              class={ticket.urgent ? 'urgent' : ticket.held ? 'held' : ''}
              data-ticket={ticket.id}
            >
              <span class="waiting-number">{ticket.label}</span>
              <span class="waiting-service">{service ? localName(lang, service) : ticket.serviceId}</span>
              <span class="waiting-tags">
                {ticket.target?.counterId === counterId && (
                  <span class="tag tag-transfer" data-testid="tag-transferred">
                    {t('Chuyển đến quầy này', 'Sent to this counter')}
                  </span>
                )}
                {staffId !== null && ticket.target?.staffId === staffId && (
                  <span class="tag tag-transfer" data-testid="tag-transferred">
                    {t('Chuyển cho bạn', 'Sent to you')}
                  </span>
                )}
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
