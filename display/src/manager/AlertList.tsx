/**
 * Queue alerts and device alerts, critical first and citizens before devices; the devices with the
 * same trouble are one row naming them all (alert-groups.ts). The list scrolls inside its panel,
 * so no alert is ever hidden below it.
 */
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import { alertRows, deviceGroupText } from './alert-groups.ts';
import type { DashboardAlert, DashboardView } from './dashboard-data.ts';

const KIND: Record<DashboardAlert['kind'], [string, string]> = {
  longWait: ['Chờ quá lâu', 'Long wait'],
  longService: ['Phục vụ quá lâu', 'Long visit'],
  idleStaff: ['Quầy không gọi', 'Idle counter'],
  tooManyWaiting: ['Quá đông', 'Too many waiting'],
  device: ['Thiết bị', 'Device'],
  upstream: ['Báo cáo lên tỉnh', 'Upstream reporting'],
  diskFull: ['Ổ đĩa đầy', 'Disk full'],
  diskLow: ['Ổ đĩa sắp đầy', 'Disk nearly full'],
  clockJump: ['Đồng hồ nhảy', 'Clock jump'],
};

export function AlertList({ view }: { view: DashboardView }) {
  const { t, lang } = useLang();
  if (!view.alerts.length) {
    return <p class="mg-empty">{t('Không có cảnh báo.', 'No alerts.')}</p>;
  }
  return (
    <ul class="mg-list mg-alert-list" data-scrolls data-testid="alert-list">
      {alertRows(view.alerts).map((row) => {
        const kind = KIND[row.kind];
        const first = row.alerts[0] as DashboardAlert;
        const grouped = row.kind === 'device' && row.alerts.length > 1;
        const text = grouped ? deviceGroupText(row) : { vi: first.message, en: first.messageEn };
        return (
          <li
            key={row.id}
            class={`mg-alert ${row.severity}`}
            data-testid="alert"
            data-kind={row.kind}
            data-id={row.id}
            data-count={row.alerts.length}
            data-alert-ids={row.alerts.map((a) => a.id).join(' ')}
          >
            <span class="mg-alert-kind">{t(kind[0], kind[1])}</span>
            <span class="mg-alert-text">{lang === 'en' ? text.en : text.vi}</span>
            <span class="mg-muted mg-small">
              {t('từ', 'since')} {clockTime(row.since)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
