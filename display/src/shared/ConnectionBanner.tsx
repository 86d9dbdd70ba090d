/** Shown across the top while the screen has no link to the controller. */
import { useLang } from './i18n.ts';
import { useConnected } from './live.ts';

export function ConnectionBanner() {
  const connected = useConnected();
  const { t } = useLang();
  if (connected) return null;
  return (
    <div class="connection-lost" role="alert" data-testid="connection-lost">
      {t('Mất kết nối với máy chủ — đang kết nối lại…', 'Connection to the controller lost — reconnecting…')}
    </div>
  );
}
