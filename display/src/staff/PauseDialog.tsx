/** Pause the counter with a reason (the time paused is accounted per reason). */
import { useLang } from '../shared/i18n.ts';

/** The pause reasons, as staff read them (the console shows a paused counter's reason too). */
export const PAUSE_REASONS = [
  ['break', 'Nghỉ giải lao', 'Break'],
  ['meeting', 'Họp', 'Meeting'],
  ['technical', 'Sự cố kỹ thuật', 'Technical problem'],
  ['other', 'Lý do khác', 'Other'],
] as const;

export function PauseDialog(props: { onCancel: () => void; onPause: (reason: string) => void }) {
  const { t } = useLang();
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" data-testid="pause-dialog">
        <h2>{t('Tạm dừng quầy', 'Pause the counter')}</h2>
        <div class="reasons">
          {PAUSE_REASONS.map(([id, vi, en]) => (
            <button
              key={id}
              type="button"
              class="big"
              onClick={() => props.onPause(id)}
              data-testid={`pause-${id}`}
            >
              {t(vi, en)}
            </button>
          ))}
        </div>
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t('Huỷ', 'Cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
