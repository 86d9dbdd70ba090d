/** Shown when the browser holds the sound back until a touch (a TV started without the autoplay flag). */
import { useLang } from '../../shared/i18n.ts';

export function SoundGate({ onEnable }: { onEnable: () => void }) {
  const { t } = useLang();
  return (
    <div class="sound-gate">
      <button type="button" class="sound-gate-button" data-testid="enable-sound" onClick={onEnable}>
        {t('Chạm để bật âm thanh', 'Touch to turn the sound on')}
      </button>
    </div>
  );
}
