/** One counter at work: current citizen, actions, waiting list. */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, requestId } from '../shared/api.ts';
import { clockTime, duration } from '../shared/format.ts';
import { localName, useLang } from '../shared/i18n.ts';
import { useNow } from '../shared/live.ts';
import type { CentreView, CounterQueueEntry, QueueView } from '../shared/types.ts';
import { PaperRatingDialog } from './PaperRatingDialog.tsx';
import { PAUSE_REASONS, PauseDialog } from './PauseDialog.tsx';
import { type Action, actionsFor, SHORTCUTS } from './shortcuts.ts';
import { TransferDialog } from './TransferDialog.tsx';
import { WaitingList } from './WaitingList.tsx';

export function CounterConsole({
  centre,
  queue,
  counterId,
}: {
  centre: CentreView;
  queue: QueueView;
  counterId: string;
}) {
  const { t, lang } = useLang();
  const now = useNow();
  const counter = queue.counters.find((c) => c.id === counterId);
  const [waiting, setWaiting] = useState<CounterQueueEntry[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [dialog, setDialog] = useState<'transfer' | 'pause' | 'paper' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Read by the key handler: the state of the last render may be stale within a burst of keys.
  const inFlight = useRef(false);

  // The call order changes with every queue change (new tickets, other counters' calls): fetch it again.
  useEffect(() => {
    let live = true;
    api<{ tickets: CounterQueueEntry[] }>('GET', `/counters/${counterId}/queue`)
      .then((r) => live && setWaiting(r.tickets))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [counterId, queue.seq]);

  const act = useCallback(
    async (action: string, body: Record<string, unknown> = {}, done?: string) => {
      inFlight.current = true;
      setBusy(true);
      setError(null);
      setNotice(null);
      try {
        await api('POST', `/counters/${counterId}/${action}`, { ...body, requestId: requestId() });
        setDialog(null);
        if (done) setNotice(done);
      } catch (err) {
        setError(err instanceof ApiError ? err : new ApiError(500, 'internal', String(err)));
      } finally {
        inFlight.current = false;
        setBusy(false);
      }
    },
    [counterId],
  );

  const available = counter ? actionsFor(counter) : new Set<Action>();
  const run = useCallback(
    (action: Action) => {
      if (!available.has(action) || inFlight.current) return;
      if (action === 'transfer' || action === 'pause') setDialog(action);
      else void act(action);
    },
    [available, act],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A key held down repeats: one press is one action (a second "next" would finish the citizen just called).
      if (dialog || e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      if ((e.target as HTMLElement).closest('input, select, textarea')) return;
      const action = SHORTCUTS[e.key.toLowerCase()];
      if (!action) return;
      e.preventDefault();
      run(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, dialog]);

  if (!counter) return <p class="error">{t('Không tìm thấy quầy.', 'Counter not found.')}</p>;
  const current = counter.current;
  const service = current ? centre.services.find((s) => s.id === current.serviceId) : undefined;
  const since = current ? (current.serviceStartedAt ?? current.calledAt) : null;
  const label = (a: Action, vi: string, en: string) => (
    <button
      type="button"
      class={a === 'next' ? 'primary big' : 'big'}
      disabled={!available.has(a) || busy}
      onClick={() => run(a)}
      data-testid={`action-${a}`}
    >
      {t(vi, en)}
      <kbd>
        {Object.entries(SHORTCUTS)
          .find(([, v]) => v === a)?.[0]
          .toUpperCase()}
      </kbd>
    </button>
  );

  return (
    <main class="console">
      <section class="current" data-testid="current">
        <div class="counter-line">
          <h2 data-testid="counter-name">{counter.name}</h2>
          <span class={`status status-${counter.status}`} data-testid="counter-status">
            {counter.status === 'open'
              ? t('Đang mở', 'Open')
              : counter.status === 'paused'
                ? t('Tạm dừng', 'Paused')
                : t('Đã đóng', 'Closed')}
          </span>
        </div>
        {counter.status === 'paused' && (
          <p class="pause-line" data-testid="counter-pause">
            {(() => {
              const reason = PAUSE_REASONS.find(([id]) => id === counter.pauseReason);
              return reason ? t(reason[1], reason[2]) : t('Tạm dừng', 'Paused');
            })()}
            {counter.pausedSince !== null &&
              t(
                ` · từ ${clockTime(counter.pausedSince)} (${duration(now - counter.pausedSince)})`,
                ` · since ${clockTime(counter.pausedSince)} (${duration(now - counter.pausedSince)})`,
              )}
          </p>
        )}
        {current ? (
          <div class="citizen">
            <div class="citizen-number" data-testid="current-number">
              {current.label}
            </div>
            <div class="citizen-info">
              <div class="citizen-service">{service ? localName(lang, service) : current.serviceId}</div>
              <div class="citizen-state" data-testid="current-state">
                {current.status === 'called'
                  ? t('Đã gọi, chờ công dân đến', 'Called, waiting for the citizen')
                  : t('Đang phục vụ', 'Serving')}
              </div>
              <div class="citizen-timer" data-testid="current-timer">
                {since ? duration(now - since) : ''}
              </div>
            </div>
          </div>
        ) : (
          <p class="idle" data-testid="no-current">
            {counter.status === 'closed'
              ? t(
                  'Quầy đã đóng. Đăng xuất và đăng nhập lại để mở quầy.',
                  'The counter is closed. Sign out and in again to open it.',
                )
              : t('Chưa có công dân tại quầy.', 'No citizen at the counter.')}
          </p>
        )}
        <div class="actions">
          {label('next', 'Gọi số tiếp theo', 'Call next')}
          {label('recall', 'Gọi lại', 'Recall')}
          {label('start', 'Bắt đầu phục vụ', 'Start')}
          {label('skip', 'Vắng mặt', 'No-show')}
          {label('finish', 'Hoàn thành', 'Finish')}
          {label('transfer', 'Chuyển', 'Transfer')}
          {counter.status === 'paused'
            ? label('resume', 'Tiếp tục', 'Resume')
            : label('pause', 'Tạm dừng', 'Pause')}
        </div>
        <div class="secondary-actions">
          <button
            type="button"
            class="secondary"
            disabled={busy}
            onClick={() => {
              setError(null);
              setNotice(null);
              setDialog('paper');
            }}
            data-testid="paper-rating-open"
          >
            {t('Ghi phiếu đánh giá giấy', 'Record a paper rating form')}
          </button>
          {notice && (
            <span class="notice" role="status" data-testid="action-notice">
              {notice}
            </span>
          )}
        </div>
        {error && (
          <p class="error" role="alert" data-testid="action-error">
            {t('Không thực hiện được: ', 'Could not do it: ')}
            {error.said(lang)}
          </p>
        )}
      </section>
      <WaitingList
        centre={centre}
        tickets={waiting}
        counterId={counterId}
        staffId={counter.staff?.id ?? null}
      />
      {dialog === 'transfer' && current && (
        <TransferDialog
          centre={centre}
          counterId={counterId}
          onCancel={() => setDialog(null)}
          onTransfer={(to) => act('transfer', { to })}
        />
      )}
      {dialog === 'paper' && (
        <PaperRatingDialog
          centre={centre}
          counterId={counterId}
          busy={busy}
          error={error ? error.said(lang) : null}
          onCancel={() => setDialog(null)}
          onRecord={(ticketId, level, ticketLabel) =>
            act(
              'paper-rating',
              { ticketId, level },
              t(`Đã ghi phiếu giấy cho số ${ticketLabel}.`, `Paper form recorded for ${ticketLabel}.`),
            )
          }
        />
      )}
      {dialog === 'pause' && (
        <PauseDialog onCancel={() => setDialog(null)} onPause={(reason) => act('pause', { reason })} />
      )}
    </main>
  );
}
