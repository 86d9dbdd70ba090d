/** Queue, device and the controller's own alerts together, critical first (the order the controller gives). */
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { DashboardAlert, DashboardView } from './dashboard-data.ts';

const KIND: Record<DashboardAlert['kind'], [string, string]> = {
  longWait: ['Chờ quá lâu', 'Long wait'],
  longService: ['Phục vụ quá lâu', 'Long visit'],
  idleStaff: ['Quầy không gọi', 'Idle counter'],
  tooManyWaiting: ['Quá đông', 'Too many waiting'],
  device: ['Thiết bị', 'Device'],
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
    <ul class="mg-list" data-scrolls data-testid="alert-list">
      {view.alerts.map((a) => {
        const kind = KIND[a.kind];
        return (
          <li
            key={a.id}
            class={`mg-alert ${a.severity}`}
            data-testid="alert"
            data-kind={a.kind}
            data-id={a.id}
          >
            <span class="mg-alert-kind">{t(kind[0], kind[1])}</span>
            <span class="mg-alert-text">{lang === 'en' ? a.messageEn : a.message}</span>
            <span class="mg-muted mg-small">
              {t('từ', 'since')} {clockTime(a.since)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
