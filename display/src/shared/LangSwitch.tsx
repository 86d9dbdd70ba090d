/** Tiếng Việt / English toggle. */
import { setLang, useLang } from './i18n.ts';

export function LangSwitch() {
  const { lang } = useLang();
  return (
    <button
      type="button"
      class="lang-switch"
      data-testid="lang-switch"
      onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
    >
      {lang === 'vi' ? 'English' : 'Tiếng Việt'}
    </button>
  );
}
