/**
 * Reporting to the province (Báo cáo lên tỉnh): connected or not, and what waits to be sent.
 * GET /api/upstream every 5 s; a controller that does not report upstream says so.
 */
import { useEffect, useState } from 'preact/hooks';
import type { UpstreamState } from '../../../controller/upstream/upstream-publisher.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';

const REFRESH_MS = 5_000;

type ProblemKind = NonNullable<Extract<UpstreamState, { configured: true }>['link']['problemKind']>;

const PROBLEM: Record<ProblemKind, string> = {
  unreachable: 'không kết nối được máy chủ của tỉnh',
  refused: 'máy chủ của tỉnh từ chối tài khoản kết nối',
  lost: 'kết nối bị ngắt',
  tls: 'lỗi chứng chỉ bảo mật (TLS)',
  other: 'lỗi kết nối',
};

export function UpstreamPanel() {
  const { t } = useLang();
  const [state, setState] = useState<UpstreamState | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api<UpstreamState>('GET', '/upstream')
        .then((s) => {
          if (!alive) return;
          setState(s);
          setFailed(false);
        })
        .catch(() => alive && setFailed(true));
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, []);

  if (!state) return null;
  const label = t('Báo cáo lên tỉnh', 'Reporting to the province');
  if (!state.configured) {
    return (
      <section class="mg-upstream" data-testid="upstream" data-state="off">
        <strong>{label}:</strong> <span>{t('chưa cấu hình', 'not configured')}</span>
        <span class="mg-muted mg-small" lang="en">
          {state.reason}
        </span>
      </section>
    );
  }
  const { backlog, connected, link } = state;
  return (
    <section
      class={`mg-upstream ${connected ? 'ok' : 'bad'}`}
      data-testid="upstream"
      data-state={connected ? 'connected' : 'down'}
    >
      <strong>{label}:</strong>{' '}
      <span class="mg-upstream-state">
        {connected ? t('đã kết nối', 'connected') : t('mất kết nối', 'disconnected')}
      </span>
      {!connected && link.problemKind && (
        <span class="mg-muted mg-small" data-testid="upstream-problem">
          {t(PROBLEM[link.problemKind], link.problem ?? '')}
        </span>
      )}
      <span data-testid="upstream-backlog">
        {backlog.records
          ? t(`${backlog.records} lượt chờ gửi`, `${backlog.records} visit records waiting to be sent`)
          : t('đã gửi hết', 'all sent')}
      </span>
      {backlog.oldestEndedAt !== null && (
        <span class="mg-muted mg-small">
          {t('cũ nhất từ', 'oldest since')} {clockTime(backlog.oldestEndedAt)}
        </span>
      )}
      {state.lastAckAt !== null && (
        <span class="mg-muted mg-small">
          {t('tỉnh nhận lần cuối', 'last received by the province')} {clockTime(state.lastAckAt)}
        </span>
      )}
      {failed && <span class="mg-muted mg-small">{t('(không tải được)', '(cannot load)')}</span>}
    </section>
  );
}
