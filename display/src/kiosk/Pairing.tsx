/**
 * A kiosk that is not registered yet (issue 13): it asks the controller for a pairing and shows
 * the code in large digits; a manager types it on the dashboard (Máy lấy số → Ghép nối); the page
 * asks every two seconds and, once confirmed, holds its own credential (an HttpOnly cookie the
 * controller sets) and starts. An expired code is replaced by a new one.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../shared/api.ts';
import { useLang } from '../shared/i18n.ts';

interface Requested {
  pairingId: string;
  code: string;
  secret: string;
  expiresInSeconds: number;
}

const POLL_MS = 2_000;

export function Pairing(props: { dispenserId: string; onPaired: () => void }) {
  const { t } = useLang();
  const [code, setCode] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let pairing: Requested | null = null;
    const step = async () => {
      try {
        if (!pairing) {
          pairing = await api<Requested>('POST', '/kiosk-pairings', { dispenserId: props.dispenserId });
          if (!stopped) {
            setCode(pairing.code);
            setProblem(null);
          }
        } else {
          const claimed = await api<{ status: 'pending' | 'paired' }>('POST', '/kiosk-pairings/claim', {
            pairingId: pairing.pairingId,
            secret: pairing.secret,
          });
          if (claimed.status === 'paired') {
            if (!stopped) props.onPaired();
            return;
          }
        }
      } catch (error) {
        // Expired or forgotten (a restart): ask for a new code. Anything else: say it, try again.
        if (error instanceof ApiError && error.status === 404) pairing = null;
        else if (!stopped) setProblem(error instanceof ApiError ? error.said('vi') : String(error));
      }
      if (!stopped) timer = setTimeout(step, POLL_MS);
    };
    void step();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.dispenserId]);

  return (
    <div class="kiosk kiosk-loading">
      <div class="kiosk-pairing" data-testid="kiosk-pairing">
        <h1>{t('Máy chưa được đăng ký', 'This kiosk is not registered yet')}</h1>
        <p>
          {t(
            `Quản lý trung tâm nhập mã dưới đây trên Bảng điều hành (Máy lấy số) để ghép nối máy "${props.dispenserId}".`,
            `A centre manager types the code below on the dashboard (Kiosks) to pair kiosk "${props.dispenserId}".`,
          )}
        </p>
        <p class="kiosk-pairing-code" data-testid="pairing-code">
          {code ? `${code.slice(0, 3)} ${code.slice(3)}` : '…'}
        </p>
        {problem && <p class="kiosk-pairing-problem">{problem}</p>}
      </div>
    </div>
  );
}
