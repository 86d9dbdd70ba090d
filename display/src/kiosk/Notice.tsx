/** A refusal or problem, in large type over the page until touched (or a few seconds pass). */
import { useLang } from '../shared/i18n.ts';
import type { Said } from './refusals.ts';

export function Notice(props: { said: Said; onClose: () => void }) {
  const { lang, t } = useLang();
  return (
    <div class="kiosk-overlay" role="alertdialog" aria-modal="true">
      <div class="notice" data-testid="notice">
        <p class="notice-text">{lang === 'en' ? props.said.en : props.said.vi}</p>
        <button type="button" class="notice-close" onClick={props.onClose}>
          {t('Đóng', 'Close')}
        </button>
      </div>
    </div>
  );
}
