/**
 * Vietnamese first, English switchable: every text is written as t('Tiếng Việt', 'English').
 * The choice is kept per screen (localStorage) and can be forced with ?lang=en.
 */
import { useEffect, useState } from 'preact/hooks';

export type Lang = 'vi' | 'en';
const KEY = 'qms.lang';
const listeners = new Set<(lang: Lang) => void>();

function initialLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl === 'en' || fromUrl === 'vi') return fromUrl;
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';
}

let current: Lang = initialLang();

export function setLang(lang: Lang): void {
  current = lang;
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
  for (const l of listeners) l(lang);
}

export type Translate = (vi: string, en: string) => string;

export function useLang(): { lang: Lang; t: Translate } {
  const [lang, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => listeners.delete(setState);
  }, []);
  return { lang, t: (vi, en) => (lang === 'en' ? en : vi) };
}

/** Picks the English name where one exists and English is chosen. */
export function localName(lang: Lang, item: { name: string; nameEn?: string | null }): string {
  return lang === 'en' && item.nameEn ? item.nameEn : item.name;
}
