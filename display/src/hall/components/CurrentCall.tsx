/**
 * The number just called and its counter, as large as the screen allows; it flashes on each call.
 * Only while that citizen is still called or being served: a finished call is not shown as current.
 */
import { useLang } from '../../shared/i18n.ts';
import type { RecentCall } from '../../shared/types.ts';

export function CurrentCall({ call }: { call: RecentCall | undefined }) {
  const { t } = useLang();
  if (!call) {
    return (
      <section class="current-call current-call-idle" data-testid="current-call">
        <p class="current-title">{t('Xin mời quý khách lấy số thứ tự', 'Please take a ticket')}</p>
        <p class="current-waiting">{t('Chưa có số nào đang được gọi', 'No number being called')}</p>
      </section>
    );
  }
  return (
    // A new key for each call (a recall changes calledAt) restarts the flash animation.
    <section class="current-call flash" key={`${call.ticketId}:${call.calledAt}`} data-testid="current-call">
      <p class="current-title">{t('Mời công dân có số thứ tự', 'Now serving number')}</p>
      <p class="current-label" data-testid="current-label">
        {call.label}
      </p>
      <p class="current-counter">
        {t('đến quầy số', 'please go to counter')}{' '}
        <strong data-testid="current-counter">{call.counterNumber ?? '—'}</strong>
      </p>
    </section>
  );
}
