/** Per counter: open, paused or closed, who is there, the visit and its time; open/close actions. */
import { duration } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { Actions } from './actions.ts';
import type { CounterRow, DashboardView } from './dashboard-data.ts';

const PAUSE_REASONS: Record<string, [string, string]> = {
  break: ['nghỉ giải lao', 'break'],
  meeting: ['họp', 'meeting'],
  technical: ['sự cố kỹ thuật', 'technical issue'],
  other: ['lý do khác', 'other'],
};

export function CounterTable(props: {
  view: DashboardView;
  now: number;
  actions: Actions;
  onStaff: (staffId: string) => void;
}) {
  const { t } = useLang();
  return (
    <div class="mg-table-wrap" data-scrolls>
      <table class="mg-table" data-testid="counter-table">
        <thead>
          <tr>
            <th>{t('Quầy', 'Counter')}</th>
            <th>{t('Trạng thái', 'Status')}</th>
            <th>{t('Cán bộ', 'Staff')}</th>
            <th>{t('Đang phục vụ', 'Serving')}</th>
            <th class="num">{t('Đã phục vụ', 'Served')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {props.view.counters.map((c) => (
            <CounterLine key={c.id} c={c} {...props} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CounterLine({
  c,
  now,
  actions,
  onStaff,
  view,
}: {
  c: CounterRow;
  now: number;
  actions: Actions;
  onStaff: (staffId: string) => void;
  view: DashboardView;
}) {
  const { t } = useLang();
  const reason = c.pauseReason ? PAUSE_REASONS[c.pauseReason] : undefined;
  const long = c.current && now - c.current.since > view.thresholds.longServiceMinutes * 60_000;
  return (
    <tr data-testid={`counter-${c.id}`} data-status={c.status}>
      <td class="name">{c.name}</td>
      <td>
        <span class={`mg-status ${c.status}`}>
          {c.status === 'open'
            ? t('Mở', 'Open')
            : c.status === 'paused'
              ? t('Tạm dừng', 'Paused')
              : t('Đóng', 'Closed')}
        </span>
        {c.status === 'paused' && (
          <span class="mg-muted mg-small">
            {' '}
            {reason ? t(reason[0], reason[1]) : ''}
            {c.pausedSince !== null && ` · ${duration(now - c.pausedSince)}`}
          </span>
        )}
      </td>
      <td>
        {c.staff ? (
          <button
            type="button"
            class="mg-link"
            onClick={() => onStaff(c.staff?.id ?? '')}
            title={t('Phân công dịch vụ', 'Staff services')}
          >
            {c.staff.name}
          </button>
        ) : (
          <span class="mg-muted">—</span>
        )}
      </td>
      <td data-col="current">
        {c.current ? (
          <span class={long ? 'bad' : ''}>
            <strong class="mg-ticket">{c.current.label}</strong>{' '}
            <span class="mg-muted">
              {c.current.status === 'called' ? t('đã gọi', 'called') : t('đang phục vụ', 'serving')}
            </span>{' '}
            {duration(now - c.current.since)}
          </span>
        ) : (
          <span class="mg-muted">—</span>
        )}
      </td>
      <td class="num" data-col="served">
        {c.servedToday}
      </td>
      <td class="actions">
        {c.status === 'closed' ? (
          <button
            type="button"
            class="mg-small-btn"
            disabled={actions.busy}
            onClick={() => void actions.openCounter(c.id, c.number)}
            data-testid={`open-${c.id}`}
          >
            {t('Mở quầy', 'Open')}
          </button>
        ) : (
          <button
            type="button"
            class="mg-small-btn"
            disabled={actions.busy}
            onClick={() => void actions.closeCounter(c.id, c.number)}
            data-testid={`close-${c.id}`}
          >
            {t('Đóng quầy', 'Close')}
          </button>
        )}
      </td>
    </tr>
  );
}
