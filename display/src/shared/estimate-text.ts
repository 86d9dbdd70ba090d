/**
 * An estimated wait in words, the same on every screen. The controller gives no estimate (null)
 * only when no open counter serves the service yet, so that is what the screens say then.
 */
import type { Translate } from './i18n.ts';

export function estimateText(minutes: number | null, t: Translate): string {
  return minutes === null
    ? t('chưa có quầy mở', 'no counter open yet')
    : t(`~${minutes} phút`, `~${minutes} min`);
}
