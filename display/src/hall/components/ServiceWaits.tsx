/** Per service: how many wait and about how long. Two columns up to 10 services, three up to 15. */
import { estimateText } from '../../shared/estimate-text.ts';
import { localName, useLang } from '../../shared/i18n.ts';
import type { ServiceView } from '../../shared/types.ts';

const MAX_SHOWN = 15;

export function ServiceWaits({ services }: { services: readonly ServiceView[] }) {
  const { lang, t } = useLang();
  const shown = services.slice(0, MAX_SHOWN);
  const columns = shown.length > 10 ? 3 : 2;
  const rows = Math.max(1, Math.ceil(shown.length / columns));
  const more = services.length - shown.length;
  return (
    <section class="service-waits">
      <h2 class="panel-title">
        {t('Số người đang chờ theo lĩnh vực', 'People waiting by service')}
        {more > 0 && (
          <span class="service-more"> {t(`(và ${more} lĩnh vực khác)`, `(and ${more} more)`)}</span>
        )}
      </h2>
      {shown.length === 0 ? (
        <p class="service-none">{t('Khu vực này không có lĩnh vực nào', 'No services in this zone')}</p>
      ) : (
        <ul
          class={`service-grid service-cols-${columns}`}
          style={{ gridTemplateRows: `repeat(${rows}, minmax(0, 1fr))` }}
          data-testid="service-waits"
        >
          {shown.map((s) => (
            <li key={s.id} class="service-row" data-service={s.id}>
              <span class="service-name">{localName(lang, s)}</span>
              <span class="service-stats">
                <span class="service-waiting" data-testid="waiting">
                  {s.waiting}
                  <small>{t(' người', ' waiting')}</small>
                </span>
                <span class="service-estimate">
                  {s.waiting === 0
                    ? '—'
                    : s.estimatedWait === null
                      ? t('chưa mở quầy', 'no counter open')
                      : estimateText(s.estimatedWait, t)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
