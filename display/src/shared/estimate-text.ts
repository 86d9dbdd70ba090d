/**
 * An estimated wait in words, the same on every screen: a range a citizen can trust ("khoảng
 * 20–30 phút"; about 80 % of real waits fall inside it, docs/prediction.md), or "dưới 5 phút" when
 * it starts at zero. The controller gives no estimate (null) only when no open counter serves the
 * service yet, so that is what the screens say then.
 */
import type { Translate } from './i18n.ts';

export interface WaitRange {
  minutes: number;
  low: number;
  high: number;
}

export function estimateText(wait: WaitRange | null, t: Translate): string {
  if (wait === null) return t('chưa có quầy mở', 'no counter open yet');
  if (wait.low <= 0) return t(`dưới ${wait.high} phút`, `under ${wait.high} min`);
  return t(`khoảng ${wait.low}–${wait.high} phút`, `about ${wait.low}–${wait.high} min`);
}
