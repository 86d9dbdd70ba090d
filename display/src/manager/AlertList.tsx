/**
 * Queue alerts and device alerts, critical first and citizens before devices; the devices with the
 * same trouble are one row naming them all (alert-groups.ts). The list scrolls inside its panel,
 * so no alert is ever hidden below it.
 */
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { Actions } from './actions.ts';
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

/**
 * The one alert a manager settles here: a clock jump is held until someone who knows the real time
 * says the controller's clock is now right (a wrong clock is fixed on the machine, not here).
 */
function ConfirmClock({
  actions,
  controllerNow,
  jumpMs,
}: {
  actions: Actions;
  controllerNow: number;
  jumpMs: number;
}) {
  const { t } = useLang();
  const confirm = () => {
    // The dashboard's time is the queue's (held at the time before the jump); the machine's clock reads jumpMs more.
    const wall = controllerNow + jumpMs;
    const shown = `${clockTime(wall)} ${new Date(wall).toLocaleDateString('vi-VN')}`;
    const question = t(
      `Đồng hồ máy chủ đang chỉ ${shown}. Nếu đúng là giờ hiện tại, hàng đợi sẽ theo giờ này từ bây giờ (có thể sang ngày mới). Nếu sai, đừng xác nhận: hãy chỉnh đồng hồ máy chủ (NTP). Xác nhận?`,
      `The controller's clock reads ${shown}. If that is the real time, the queue follows it from now on (it may start a new day). If it is wrong, do not confirm: fix the controller's clock (NTP). Confirm?`,
    );
    if (window.confirm(question)) void actions.confirmClock();
  };
  return (
    <button
      type="button"
      class="mg-alert-action"
      data-testid="confirm-clock"
      disabled={actions.busy}
      onClick={confirm}
    >
      {t('Giờ mới là đúng', 'The new time is right')}
    </button>
  );
}

export function AlertList({
  view,
  actions,
  controllerNow,
}: {
  view: DashboardView;
  actions?: Actions;
  /** The queue's time at the controller (the page's clock corrected by the skew the dashboard measured). */
  controllerNow?: number;
}) {
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
            {row.kind === 'clockJump' && actions && (
              <ConfirmClock
                actions={actions}
                controllerNow={controllerNow ?? view.now}
                jumpMs={first.clockJumpMs ?? 0}
              />
            )}
          </li>
        );
      })}
    </ul>
  );
}
