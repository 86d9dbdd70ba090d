/** Numbers as the page writes them (Vietnamese decimal comma, or English). */
import type { Lang } from '../shared/i18n.ts';

export function percent(lang: Lang, share: number | null): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', {
    style: 'percent',
    maximumFractionDigits: 1,
  }).format(share);
}

export function minutes(lang: Lang, value: number | null): string {
  if (value === null) return '—';
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'vi-VN', { maximumFractionDigits: 1 }).format(
    value,
  );
  return lang === 'en' ? `${n} min` : `${n} phút`;
}
