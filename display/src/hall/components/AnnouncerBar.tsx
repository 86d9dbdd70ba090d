/**
 * What is being said right now, in writing (for those who do not hear it), and the queue of
 * announcements. The data attributes let staff and tests see the queue: how many wait, how many
 * were said, whether the sound is ready.
 */
import type { AnnouncerState } from '../../../../controller/voice/announcement-queue.ts';
import { useLang } from '../../shared/i18n.ts';
import type { PlayerStatus } from '../announcer/clip-player.ts';

export function AnnouncerBar({ state, status }: { state: AnnouncerState; status: PlayerStatus }) {
  const { t } = useLang();
  const sound = status.blocked ? 'blocked' : status.clips;
  return (
    <footer class={state.current ? 'announcer-bar announcer-active' : 'announcer-bar'}>
      <svg class="announcer-icon" viewBox="0 0 24 24" aria-hidden="true">
        <path d="M3 9v6h4l5 4V5L7 9H3z" />
        {state.current && (
          <path d="M15 8.5a4.5 4.5 0 0 1 0 7M17.5 6a8 8 0 0 1 0 12" class="announcer-waves" />
        )}
      </svg>
      <p
        class="announcer-text"
        data-testid="announcing"
        data-current-id={state.current?.id ?? ''}
        data-queue-length={state.pending.length}
        data-completed={state.completed}
        data-dropped={state.dropped}
        data-sound={sound}
        aria-live="polite"
      >
        {state.current?.text ?? ''}
      </p>
      <p class="announcer-status">
        {state.pending.length > 0 && (
          <span>{t(`Chờ đọc: ${state.pending.length}`, `Queued: ${state.pending.length}`)}</span>
        )}
        {sound === 'loading' && <span>{t('Đang tải âm thanh…', 'Loading voice…')}</span>}
        {sound === 'failed' && <span>{t('Thiếu âm thanh thông báo', 'Voice clips missing')}</span>}
      </p>
    </footer>
  );
}
