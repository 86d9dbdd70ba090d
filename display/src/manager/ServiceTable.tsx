/** Per service: waiting, longest and estimated wait, served today, within-target share, average wait. */
import { localName, useLang } from '../shared/i18n.ts';
import type { DashboardView } from './dashboard-data.ts';
import { minutes, percent } from './numbers.ts';

export function ServiceTable({ view }: { view: DashboardView }) {
  const { t, lang } = useLang();
  const late = view.thresholds.waitMinutes;
  return (
    <div class="mg-table-wrap" data-scrolls>
      <table class="mg-table" data-testid="service-table">
        <thead>
          <tr>
            <th>{t('Lĩnh vực', 'Service')}</th>
            <th class="num">{t('Đang chờ', 'Waiting')}</th>
            <th class="num">{t('Chờ lâu nhất', 'Longest')}</th>
            <th class="num">{t('Ước tính', 'Estimate')}</th>
            <th class="num">{t('Đã phục vụ', 'Served')}</th>
            <th class="num">
              {t(`Gọi trong ${view.targets.waitMinutes}′`, `Within ${view.targets.waitMinutes}′`)}
            </th>
            <th class="num">{t('Chờ TB', 'Avg wait')}</th>
          </tr>
        </thead>
        <tbody>
          {view.services.map((s) => (
            <tr key={s.id} data-testid={`service-${s.id}`}>
              <td class="name">
                <span class="mg-prefix">{s.prefix}</span> {localName(lang, s)}
              </td>
              <td class="num" data-col="waiting">
                {s.waiting}
              </td>
              <td class={`num ${s.longestWaitMinutes > late ? 'bad' : ''}`} data-col="longest">
                {s.waiting ? minutes(lang, s.longestWaitMinutes) : '—'}
              </td>
              <td class="num" data-col="estimate">
                {s.estimatedWait === null
                  ? s.waiting
                    ? t('không quầy', 'no counter')
                    : '—'
                  : `${s.estimatedWait.low}–${s.estimatedWait.high} ${t('phút', 'min')}`}
              </td>
              <td class="num" data-col="served">
                {s.servedToday}
              </td>
              <td class={`num ${s.withinTarget.missed ? 'warn' : ''}`} data-col="within">
                {percent(lang, s.withinTarget.share)}
              </td>
              <td class="num" data-col="avg">
                {minutes(lang, s.averageWaitMinutes)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
