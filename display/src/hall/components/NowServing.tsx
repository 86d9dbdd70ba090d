/**
 * The "now serving" board: each counter of the zone and the number at it, or that it is closed or
 * paused — what a citizen looks for first when they look up at the TV.
 */
import { useLang } from '../../shared/i18n.ts';
import type { CounterView } from '../../shared/types.ts';

export function NowServing({ counters }: { counters: readonly CounterView[] }) {
  const { t } = useLang();
  const columns = counters.length > 6 ? 2 : 1;
  return (
    <section class="now-serving">
      <h2 class="panel-title">{t('Đang phục vụ', 'Now serving')}</h2>
      <ul
        class={`now-grid now-cols-${columns}`}
        style={{
          gridTemplateRows: `repeat(${Math.max(1, Math.ceil(counters.length / columns))}, minmax(0, 1fr))`,
        }}
        data-testid="now-serving"
      >
        {counters.map((c) => {
          const at =
            c.current && (c.current.status === 'called' || c.current.status === 'serving') ? c.current : null;
          return (
            <li key={c.id} class={`now-row now-${at ? 'busy' : c.status}`} data-counter={c.number}>
              <span class="now-counter">
                {t('Quầy', 'Counter')} {c.number}
              </span>
              <span class="now-label">
                {at
                  ? at.label
                  : c.status === 'paused'
                    ? t('Tạm dừng', 'Paused')
                    : c.status === 'closed'
                      ? t('Đóng', 'Closed')
                      : '—'}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
