/**
 * Kiosks (issue 13): only registered kiosks issue tickets. A kiosk not yet registered shows a
 * 6-digit code; the manager, standing at it, types the code here to pair it. Paired kiosks are
 * listed and can be revoked at once (a kiosk stolen, replaced or moved).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { KioskInfo } from '../../../controller/security/kiosk-credentials.ts';
import { api, errorSaid } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';

interface Waiting {
  code: string;
  dispenserId: string;
  address: string;
  requestedAt: string;
}

export function KiosksDialog(props: { onClose: () => void }) {
  const { t } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [kiosks, setKiosks] = useState<KioskInfo[]>([]);
  const [waiting, setWaiting] = useState<Waiting[]>([]);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = async () => {
    try {
      const [k, w] = await Promise.all([
        api<{ kiosks: KioskInfo[] }>('GET', '/kiosk-credentials'),
        api<{ pairings: Waiting[] }>('GET', '/kiosk-pairings'),
      ]);
      setKiosks(k.kiosks);
      setWaiting(w.pairings);
    } catch (e) {
      setMessage({ ok: false, text: errorSaid(e, t) });
    }
  };

  useEffect(() => {
    dialog.current?.showModal();
    void reload();
    const timer = setInterval(() => void reload(), 3_000);
    return () => clearInterval(timer);
  }, []);

  const act = async (done: string, call: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await call();
      setMessage({ ok: true, text: done });
      await reload();
      return true;
    } catch (e) {
      setMessage({ ok: false, text: `${t('Không thực hiện được', 'Not done')}: ${errorSaid(e, t)}` });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const pair = async (e: Event) => {
    e.preventDefault();
    const digits = code.replace(/\D/g, '');
    const ok = await act(t(`Đã ghép nối máy với mã ${digits}`, `Kiosk with code ${digits} paired`), () =>
      api('POST', '/kiosk-pairings/confirm', { code: digits }),
    );
    if (ok) setCode('');
  };

  const live = kiosks.filter((k) => !k.revokedAt);
  return (
    <dialog ref={dialog} class="mg-dialog mg-accounts" onClose={props.onClose} data-testid="kiosks-dialog">
      <h2>{t('Máy lấy số', 'Kiosks')}</h2>
      <form class="mg-account-form" onSubmit={pair} data-testid="pair-form">
        <label>
          {t('Mã ghép nối hiện trên máy lấy số', 'Pairing code shown on the kiosk')}
          <input
            name="code"
            inputMode="numeric"
            autoComplete="off"
            required
            pattern="\d{3} ?\d{3}"
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        <div class="mg-row mg-end">
          <button type="submit" class="mg-primary" disabled={busy} data-testid="pair-submit">
            {t('Ghép nối', 'Pair')}
          </button>
        </div>
      </form>
      {waiting.length > 0 && (
        <p class="mg-muted mg-small" data-testid="pairings-waiting">
          {t('Đang chờ ghép nối', 'Waiting to be paired')}:{' '}
          {waiting
            .map((w) => `${w.dispenserId} (${w.address}, ${clockTime(Date.parse(w.requestedAt))})`)
            .join('; ')}
        </p>
      )}
      <div class="mg-audit-list" data-scrolls>
        <table>
          <thead>
            <tr>
              <th>{t('Máy', 'Dispenser')}</th>
              <th>{t('Ghép nối lúc', 'Paired at')}</th>
              <th>{t('Bởi', 'By')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {live.map((k) => (
              <tr key={k.id} data-testid="kiosk-row" data-dispenser={k.dispenserId}>
                <td>{k.dispenserId}</td>
                <td>{new Date(k.createdAt).toLocaleString('vi-VN')}</td>
                <td>{k.createdBy}</td>
                <td class="mg-end">
                  <button
                    type="button"
                    class="mg-danger"
                    data-testid={`revoke-${k.id}`}
                    onClick={() =>
                      void act(t(`Đã thu hồi máy ${k.dispenserId}`, `Kiosk ${k.dispenserId} revoked`), () =>
                        api('DELETE', `/kiosk-credentials/${encodeURIComponent(k.id)}`),
                      )
                    }
                  >
                    {t('Thu hồi', 'Revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {live.length === 0 && (
          <p class="mg-muted">{t('Chưa có máy nào được ghép nối.', 'No kiosk paired yet.')}</p>
        )}
      </div>
      {message && (
        <p class={message.ok ? 'mg-ok' : 'mg-error'} role="status" data-testid="kiosks-message">
          {message.text}
        </p>
      )}
      <div class="mg-row mg-end">
        <button type="button" onClick={props.onClose}>
          {t('Đóng', 'Close')}
        </button>
      </div>
    </dialog>
  );
}
