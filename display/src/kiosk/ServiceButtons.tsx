/** The big service buttons, each with how many wait and how long it may take (live). */
import { estimateText } from '../shared/estimate-text.ts';
import { localName, useLang } from '../shared/i18n.ts';
import type { ServiceView } from '../shared/types.ts';
import type { ServiceInfo } from './centre-info.ts';

export function ServiceButtons(props: {
  services: ServiceInfo[];
  live: ServiceView[] | null;
  disabled: boolean;
  onChoose: (serviceId: string) => void;
}) {
  const { lang, t } = useLang();
  return (
    <div class="service-grid" data-count={props.services.length}>
      {props.services.map((s) => {
        const live = props.live?.find((l) => l.id === s.id);
        const wait = live?.estimatedWait;
        return (
          <button
            type="button"
            key={s.id}
            class="service-button"
            data-testid={`service-${s.id}`}
            disabled={props.disabled}
            onClick={() => props.onChoose(s.id)}
          >
            <span class="service-name">{localName(lang, s)}</span>
            <span class="service-facts">
              <span>
                {t('Đang chờ', 'Waiting')}: <b data-testid={`waiting-${s.id}`}>{live ? live.waiting : '…'}</b>
              </span>
              <span>
                {t('Dự kiến', 'Est. wait')}: <b>{wait === undefined ? '…' : estimateText(wait, t)}</b>
              </span>
            </span>
          </button>
        );
      })}
    </div>
  );
}
