/** The last few calls, latest first: number → counter. */
import { useLang } from '../../shared/i18n.ts';
import type { RecentCall } from '../../shared/types.ts';

export function RecentCalls({ calls }: { calls: readonly RecentCall[] }) {
  const { t } = useLang();
  return (
    <section class="recent-calls">
      <h2 class="panel-title">{t('Số vừa gọi', 'Recent calls')}</h2>
      <ol class="recent-list" data-testid="recent-calls">
        {calls.map((c, i) => (
          <li key={c.ticketId} class={i === 0 ? 'recent-row recent-latest' : 'recent-row'}>
            <span class="recent-label">{c.label}</span>
            <span class="recent-arrow" aria-hidden="true">
              →
            </span>
            <span class="recent-counter">
              {t('Quầy', 'Counter')} {c.counterNumber ?? '—'}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
