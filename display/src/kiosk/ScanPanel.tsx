/** "Scan your ID card or appointment QR", or, once a card was read, who is waiting to choose. */
import { useLang } from '../shared/i18n.ts';

export interface Identified {
  priorityName: string | null;
  /** false: the card's birth date could not be read, so the citizen picks any priority above. */
  ageKnown: boolean;
  secondsLeft: number;
}

export function ScanPanel(props: { identified: Identified | null; onCancel: () => void }) {
  const { t } = useLang();
  const { identified } = props;
  if (identified) {
    return (
      <section class="kiosk-scan identified" data-testid="identified" aria-live="polite">
        <span class="scan-icon" aria-hidden="true">
          ✓
        </span>
        <div class="scan-text">
          <h2>{t('Đã nhận CCCD — mời Ông/Bà chọn dịch vụ', 'ID card read — please choose a service')}</h2>
          <p>
            {identified.priorityName
              ? t(`Ưu tiên: ${identified.priorityName}`, `Priority: ${identified.priorityName}`)
              : identified.ageKnown
                ? t('Không thuộc diện ưu tiên theo độ tuổi', 'No age-based priority')
                : t(
                    'Không đọc được ngày sinh trên thẻ: nếu thuộc diện ưu tiên, mời Ông/Bà chọn ở trên',
                    'The birth date on the card could not be read: if you have priority, please choose it above',
                  )}
            {' · '}
            {t(`còn ${identified.secondsLeft} giây`, `${identified.secondsLeft} s left`)}
          </p>
        </div>
        <button type="button" class="scan-cancel" data-testid="identified-cancel" onClick={props.onCancel}>
          {t('Hủy', 'Cancel')}
        </button>
      </section>
    );
  }
  return (
    <section class="kiosk-scan" data-testid="scan-prompt">
      <svg class="scan-icon" viewBox="0 0 24 24" aria-hidden="true">
        {/* A QR code: three finder squares and a few modules. */}
        <path d="M3 3h7v7H3zM14 3h7v7h-7zM3 14h7v7H3z" fill="none" stroke="currentColor" stroke-width="2" />
        <path d="M5.5 5.5h2v2h-2zM16.5 5.5h2v2h-2zM5.5 16.5h2v2h-2zM14 14h3v3h-3zM18 18h3v3h-3zM18 14h3v2h-3zM14 18h2v3h-2z" />
      </svg>
      <div class="scan-text">
        <h2>{t('Quét CCCD gắn chip hoặc mã QR lịch hẹn', 'Scan your chip ID card or appointment QR')}</h2>
        <p>
          {t(
            'Đưa mã QR trên thẻ vào đầu đọc bên dưới màn hình, hoặc chọn dịch vụ để lấy số',
            'Hold the QR code to the reader below the screen, or choose a service',
          )}
        </p>
      </div>
    </section>
  );
}
