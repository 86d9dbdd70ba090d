/**
 * The last few calls, latest first: number → counter while the citizen is called or served; a
 * finished, missed or cancelled one says so, so nobody takes it for a current call.
 */
import { useLang } from '../../shared/i18n.ts';
import type { RecentCall } from '../../shared/types.ts';
import { isCurrent } from '../hall-view.ts';

export function RecentCalls({ calls }: { calls: readonly RecentCall[] }) {
  const { t } = useLang();
  const ended = (c: RecentCall) =>
    c.status === 'done'
      ? t('Đã xong', 'Done')
      : c.status === 'skipped' || c.status === 'noShow'
        ? t('Vắng mặt', 'Missed')
        : c.status === 'waiting'
          ? t('Đang chờ', 'Waiting')
          : t('Đã hủy', 'Cancelled');
  return (
    <section class="recent-calls">
      <h2 class="panel-title">{t('Số vừa gọi', 'Recent calls')}</h2>
      <ol class="recent-list" data-testid="recent-calls">
        {calls.map((c, i) => (
          <li
            key={c.ticketId}
            class={`recent-row${i === 0 && isCurrent(c) ? ' recent-latest' : ''}${isCurrent(c) ? '' : ' recent-ended'}`}
            data-status={c.status}
          >
            <span class="recent-label">{c.label}</span>
            <span class="recent-arrow" aria-hidden="true">
              {isCurrent(c) ? '→' : ''}
            </span>
            <span class="recent-counter">
              {isCurrent(c) ? `${t('Quầy', 'Counter')} ${c.counterNumber ?? '—'}` : ended(c)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
