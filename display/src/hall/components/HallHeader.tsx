/** Centre and zone names on the left; the clock and the date on the right. */
import { clockTime, longDate } from '../../shared/format.ts';
import { useLang } from '../../shared/i18n.ts';
import { useNow } from '../../shared/live.ts';

export function HallHeader(props: {
  centreName: string;
  zoneName: string | null;
  unknownZone: string | null;
}) {
  const { lang, t } = useLang();
  const now = useNow(1_000);
  return (
    <header class="hall-header">
      <div class="hall-names">
        <h1 class="hall-centre">{props.centreName}</h1>
        {props.unknownZone !== null ? (
          <p class="hall-zone hall-zone-unknown" data-testid="unknown-zone">
            {t(`Không có khu vực “${props.unknownZone}”`, `No zone “${props.unknownZone}”`)}
          </p>
        ) : (
          props.zoneName && <p class="hall-zone">{props.zoneName}</p>
        )}
      </div>
      <div class="hall-clock">
        <time class="hall-time" data-testid="clock">
          {clockTime(now)}
        </time>
        <span class="hall-date">{longDate(now, lang)}</span>
      </div>
    </header>
  );
}
