/** The signed-in dashboard: header, headline tiles, tables, charts, alerts and follow-ups. */
import { useState } from 'preact/hooks';
import { clockTime, longDate } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { useNow } from '../shared/live.ts';
import type { SessionUser } from '../shared/session.ts';
import { AccountsDialog } from './AccountsDialog.tsx';
import { AlertList } from './AlertList.tsx';
import { AuditDialog } from './AuditDialog.tsx';
import { useActions } from './actions.ts';
import { ArrivalsChart, WaitingChart } from './Charts.tsx';
import { CounterTable } from './CounterTable.tsx';
import { useDashboard } from './dashboard-data.ts';
import { FollowUpList } from './FollowUpList.tsx';
import { KiosksDialog } from './KiosksDialog.tsx';
import { ServiceTable } from './ServiceTable.tsx';
import { StaffingPanel } from './StaffingPanel.tsx';
import { StaffServicesDialog } from './StaffServicesDialog.tsx';
import { Tiles } from './Tiles.tsx';
import { UpstreamPanel } from './UpstreamPanel.tsx';

export function Dashboard({ user, onLogout }: { user: SessionUser; onLogout: () => Promise<void> }) {
  const { t, lang } = useLang();
  const data = useDashboard();
  const actions = useActions(t, data.reload);
  const now = useNow(1_000) + data.skewMs;
  const [staffDialog, setStaffDialog] = useState<{ staffId: string | null } | null>(null);
  const [auditOpen, setAuditOpen] = useState(false);
  const [accountsOpen, setAccountsOpen] = useState(false);
  const [kiosksOpen, setKiosksOpen] = useState(false);
  const v = data.view;

  return (
    <div class="mg-page">
      <header class="mg-header">
        <div class="mg-title">
          <h1>{t('Bảng điều hành', 'Manager dashboard')}</h1>
          <span class="mg-muted">{v?.centre.name}</span>
        </div>
        <div class="mg-clock" data-testid="clock">
          <strong>{clockTime(now)}</strong>
          <span class="mg-muted">{longDate(now, lang)}</span>
        </div>
        <div class="mg-user">
          <a href="/reports" class="mg-user-link" data-testid="reports-link">
            {t('Báo cáo', 'Reports')}
          </a>
          <button
            type="button"
            onClick={() => setStaffDialog({ staffId: null })}
            data-testid="staff-services"
          >
            {t('Phân công dịch vụ', 'Staff services')}
          </button>
          <button type="button" onClick={() => setAccountsOpen(true)} data-testid="accounts-open">
            {t('Tài khoản', 'Accounts')}
          </button>
          <button type="button" onClick={() => setKiosksOpen(true)} data-testid="kiosks-open">
            {t('Máy lấy số', 'Kiosks')}
          </button>
          <button type="button" onClick={() => setAuditOpen(true)} data-testid="audit-open">
            {t('Nhật ký', 'Audit log')}
          </button>
          <LangSwitch />
          <span class="mg-user-name" data-testid="user-name">
            {user.name}
          </span>
          <button type="button" onClick={() => void onLogout()} data-testid="logout">
            {t('Đăng xuất', 'Sign out')}
          </button>
        </div>
      </header>

      {(actions.notice || data.error) && (
        <div
          class={`mg-notice ${actions.notice?.ok && !data.error ? 'ok' : 'bad'}`}
          role={actions.notice?.ok ? 'status' : 'alert'}
          data-testid="notice"
        >
          <span>
            {data.error
              ? `${t('Không tải được số liệu', 'Cannot load the figures')}: ${data.error}`
              : actions.notice?.text}
          </span>
          {actions.notice && (
            <button type="button" onClick={actions.dismiss} aria-label={t('Đóng', 'Dismiss')}>
              ×
            </button>
          )}
        </div>
      )}

      {!v ? (
        <p class="mg-loading">{t('Đang tải số liệu…', 'Loading the figures…')}</p>
      ) : (
        <>
          <Tiles view={v} />
          <UpstreamPanel />
          <StaffingPanel />
          <div class="mg-grid">
            <section class="mg-panel mg-services">
              <h2>{t('Theo lĩnh vực', 'By service')}</h2>
              <ServiceTable view={v} />
            </section>
            <section class="mg-panel mg-counters">
              <h2>{t('Theo quầy', 'By counter')}</h2>
              <CounterTable
                view={v}
                now={now}
                actions={actions}
                onStaff={(staffId) => setStaffDialog({ staffId })}
              />
            </section>
            <section class="mg-panel mg-chart-waiting">
              <h2>{t('Số người chờ và thời gian chờ trong ngày', 'Waiting and wait time today')}</h2>
              <WaitingChart view={v} />
            </section>
            <section class="mg-panel mg-chart-arrivals">
              <h2>{t('Lượt đến theo giờ', 'Arrivals per hour')}</h2>
              <ArrivalsChart view={v} />
            </section>
            <section class="mg-panel mg-alerts">
              <h2>
                {t('Cảnh báo', 'Alerts')} <span class="mg-count">{v.alerts.length}</span>
              </h2>
              <AlertList view={v} actions={actions} controllerNow={now} />
            </section>
            <section class="mg-panel mg-followups">
              <h2>
                {t('Phản ánh “Không hài lòng”', '“Not satisfied” follow-ups')}{' '}
                <span class="mg-count">{v.followUps.filter((f) => f.status === 'open').length}</span>
              </h2>
              <FollowUpList view={v} actions={actions} />
            </section>
          </div>
        </>
      )}
      {auditOpen && <AuditDialog onClose={() => setAuditOpen(false)} />}
      {kiosksOpen && <KiosksDialog onClose={() => setKiosksOpen(false)} />}
      {accountsOpen && <AccountsDialog me={user.username} onClose={() => setAccountsOpen(false)} />}
      {staffDialog && (
        <StaffServicesDialog
          initialStaffId={staffDialog.staffId}
          actions={actions}
          onClose={() => setStaffDialog(null)}
        />
      )}
    </div>
  );
}
