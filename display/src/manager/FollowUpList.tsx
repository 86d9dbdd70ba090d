/** "Not satisfied" ratings, each with its visit, and the manager's close with a note. */
import { useState } from 'preact/hooks';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { Actions } from './actions.ts';
import type { DashboardView, FollowUpRow } from './dashboard-data.ts';

export function FollowUpList({ view, actions }: { view: DashboardView; actions: Actions }) {
  const { t } = useLang();
  if (!view.followUps.length) {
    return <p class="mg-empty">{t('Chưa có phản ánh nào hôm nay.', 'No follow-ups today.')}</p>;
  }
  return (
    <ul class="mg-list" data-scrolls data-testid="followup-list">
      {view.followUps.map((f) => (
        <FollowUp key={f.id} f={f} actions={actions} />
      ))}
    </ul>
  );
}

function FollowUp({ f, actions }: { f: FollowUpRow; actions: Actions }) {
  const { t, lang } = useLang();
  const [note, setNote] = useState('');
  const v = f.visit;
  const time = (ms: number | null) => (ms === null ? '—' : clockTime(ms));
  return (
    <li class={`mg-followup ${f.status}`} data-testid="followup" data-ticket={f.ticketLabel}>
      <div class="mg-row">
        <strong class="mg-ticket">{f.ticketLabel}</strong>
        <span>{v ? (lang === 'en' && v.serviceNameEn ? v.serviceNameEn : v.serviceName) : ''}</span>
        <span class="mg-muted">
          {f.counter.name} · {f.staff.name}
        </span>
        <span class="mg-badge">{lang === 'en' ? f.levelLabelEn : f.levelLabel}</span>
      </div>
      {v && (
        <div class="mg-muted mg-small">
          {t('Đến', 'Arrived')} {time(v.arrivedAt)} · {t('gọi', 'called')} {time(v.calledAt)} ·{' '}
          {t('xong', 'finished')} {time(v.finishedAt)} · {t('đánh giá', 'rated')} {time(f.openedAt)}
          {v.dossierCode && ` · ${t('hồ sơ', 'dossier')} ${v.dossierCode}`}
        </div>
      )}
      {f.status === 'open' ? (
        <form
          class="mg-row"
          onSubmit={(e) => {
            e.preventDefault();
            void actions.closeFollowUp(f.id, f.ticketLabel, note.trim());
          }}
        >
          <input
            class="mg-note"
            maxLength={500}
            placeholder={t('Ghi chú xử lý (không bắt buộc)', 'Note (optional)')}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <button type="submit" class="mg-small-btn" disabled={actions.busy} data-testid="close-followup">
            {t('Đã xử lý', 'Close')}
          </button>
        </form>
      ) : (
        <div class="mg-small">
          <span class="mg-status open">{t('Đã xử lý', 'Closed')}</span>{' '}
          {f.closedAt !== null && time(f.closedAt)}
          {f.note && ` · ${f.note}`}
        </div>
      )}
    </li>
  );
}
