/**
 * The kiosk at the entrance: scan an ID card or appointment QR (typed in by a keyboard-mode
 * scanner), choose a priority and a service, get the ticket on screen and on paper from this
 * kiosk's dispenser; back to the start after a while without a touch.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, requestId } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { clockTime } from '../shared/format.ts';
import { localName, setLang, useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { liveSocket, useLiveState, useNow, useQueue } from '../shared/live.ts';
import type { CentreInfo } from './centre-info.ts';
import {
  type KioskInfo,
  type KioskTicket,
  kioskInfo,
  releaseIdentity,
  scanCode,
  takeTicket,
} from './kiosk-api.ts';
import { type KioskSettings, resetAt } from './kiosk-settings.ts';
import { Notice } from './Notice.tsx';
import { Pairing } from './Pairing.tsx';
import { PriorityChoice } from './PriorityChoice.tsx';
import { refusalMessage, type Said } from './refusals.ts';
import { ScanPanel } from './ScanPanel.tsx';
import { ServiceButtons } from './ServiceButtons.tsx';
import { TicketScreen } from './TicketScreen.tsx';
import { useScanner } from './useScanner.ts';

type Screen =
  | { kind: 'home' }
  | { kind: 'identified'; priorityClassId: string | null; ageKnown: boolean; until: number }
  | { kind: 'ticket'; ticket: KioskTicket };

const NOTICE_MS = 10_000;
const LOAD_RETRY_MS = 5_000;

export function KioskApp({ settings }: { settings: KioskSettings }) {
  const { lang, t } = useLang();
  const queue = useQueue();
  // Device health is not for kiosks (issue 13): they are only told that devices changed.
  const devices = useLiveState<object>('devices:changed');
  const [unpaired, setUnpaired] = useState(false);
  const [pairedAt, setPairedAt] = useState(0);
  const now = useNow(1_000);
  const [centre, setCentre] = useState<CentreInfo | null>(null);
  const [info, setInfo] = useState<KioskInfo | null>(null);
  const [loadError, setLoadError] = useState<Said | null>(null);
  const [screen, setScreen] = useState<Screen>({ kind: 'home' });
  const [chosen, setChosen] = useState<string | null>(null);
  const [notice, setNotice] = useState<Said | null>(null);
  const [busy, setBusy] = useState(false);
  const [lastActivityAt, setLastActivityAt] = useState(() => Date.now());
  const busyRef = useRef(false);
  const screenRef = useRef(screen);
  screenRef.current = screen;
  const { dispenserId } = settings;

  useEffect(() => {
    if (!dispenserId) {
      setLoadError({
        vi: 'Chưa cấu hình máy lấy số: thêm ?dispenser=<mã máy> vào địa chỉ trang',
        en: 'No dispenser configured: add ?dispenser=<device id> to the page address',
      });
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const [c, k] = await Promise.all([api<CentreInfo>('GET', '/centre'), kioskInfo(dispenserId)]);
        setCentre(c);
        setInfo(k);
        setLoadError(null);
      } catch (error) {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          setUnpaired(true); // not a registered kiosk (or no longer): pair it
          return;
        }
        if (error instanceof ApiError && error.status === 404) {
          setLoadError({
            vi: `Không tìm thấy máy lấy số "${dispenserId}"`,
            en: `Dispenser "${dispenserId}" not found`,
          });
          return;
        }
        timer = setTimeout(load, LOAD_RETRY_MS); // the controller is starting or the link is down
      }
    };
    void load();
    return () => clearTimeout(timer);
  }, [dispenserId, pairedAt]);

  // Whether the printer can print is the controller's to say: asked again on every device change.
  useEffect(() => {
    if (!devices || !dispenserId) return;
    let stopped = false;
    kioskInfo(dispenserId)
      .then((k) => {
        if (!stopped) setInfo(k);
      })
      .catch(() => undefined); // the link is down: the next change asks again
    return () => {
      stopped = true;
    };
  }, [devices, dispenserId]);

  // Any touch keeps the page as it is; the idle reset counts from the last one.
  useEffect(() => {
    const touched = () => setLastActivityAt(Date.now());
    document.addEventListener('pointerdown', touched, true);
    return () => document.removeEventListener('pointerdown', touched, true);
  }, []);

  const reset = useCallback(() => {
    // The card read here must not be used for the next citizen's ticket.
    if (screenRef.current.kind === 'identified' && dispenserId)
      releaseIdentity(dispenserId).catch(() => undefined);
    setScreen({ kind: 'home' });
    setChosen(null);
    setNotice(null);
    setLang('vi');
    setLastActivityAt(Date.now());
  }, [dispenserId]);

  const atRest = screen.kind === 'home' && chosen === null && notice === null && lang === 'vi';
  const deadline = resetAt({ onTicket: screen.kind === 'ticket', atRest, lastActivityAt }, settings);
  useEffect(() => {
    if (deadline === null) return;
    const timer = setTimeout(reset, Math.max(0, deadline - Date.now()));
    return () => clearTimeout(timer);
  }, [deadline, reset]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  // The controller holds an identified card for a short while only; so does the page.
  useEffect(() => {
    if (screen.kind === 'identified' && now >= screen.until) {
      setScreen({ kind: 'home' });
      setChosen(null);
    }
  }, [now, screen]);

  const perform = async (action: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setNotice(null);
    setLastActivityAt(Date.now());
    try {
      await action();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(500, 'internal', String(error));
      setNotice(refusalMessage(apiError));
    } finally {
      busyRef.current = false;
      setBusy(false);
      setLastActivityAt(Date.now());
    }
  };

  const showTicket = (ticket: KioskTicket) => {
    setScreen({ kind: 'ticket', ticket });
    setChosen(null);
  };

  useScanner((code) => {
    if (!info) return;
    void perform(async () => {
      const scanned = await scanCode(info.dispenserId, code, requestId());
      if (scanned.result === 'ticket') return showTicket(scanned.ticket);
      setScreen({
        kind: 'identified',
        priorityClassId: scanned.priorityClassId,
        ageKnown: scanned.ageKnown,
        until: Date.now() + scanned.holdSeconds * 1000,
      });
      setChosen(scanned.priorityClassId);
    });
  }, settings.scanGapMs);

  const choose = (serviceId: string) => {
    if (!info) return;
    void perform(async () => {
      showTicket((await takeTicket(info.dispenserId, serviceId, chosen, requestId())).ticket);
    });
  };

  if (unpaired && dispenserId) {
    return (
      <Pairing
        dispenserId={dispenserId}
        onPaired={() => {
          setUnpaired(false);
          setPairedAt(Date.now());
          // The live connection was made before the credential: made again, as this kiosk.
          liveSocket().disconnect().connect();
        }}
      />
    );
  }

  if (loadError || !centre || !info) {
    return (
      <div class="kiosk kiosk-loading">
        <ConnectionBanner />
        <p data-testid="kiosk-setup">
          {loadError ? (lang === 'en' ? loadError.en : loadError.vi) : t('Đang tải…', 'Loading…')}
        </p>
      </div>
    );
  }

  const services = info.serviceIds
    .map((id) => centre.services.find((s) => s.id === id))
    .filter((s) => s !== undefined);
  // The controller's rule (connected, answered, paper and cover fine), asked again on every change.
  const canPrint = info.canPrint;
  const priorityOf = (id: string | null) => centre.priorityClasses.find((p) => p.id === id);
  const heldPriority = screen.kind === 'identified' ? priorityOf(screen.priorityClassId) : undefined;
  const identified =
    screen.kind === 'identified'
      ? {
          priorityName: heldPriority ? localName(lang, heldPriority) : null,
          ageKnown: screen.ageKnown,
          secondsLeft: Math.max(0, Math.ceil((screen.until - now) / 1000)),
        }
      : null;

  return (
    <div class={`kiosk${screen.kind === 'ticket' ? ' on-ticket' : ''}`}>
      <ConnectionBanner />
      <header class="kiosk-head">
        <div class="kiosk-title">
          <h1>{centre.centre.name}</h1>
          {info.zoneName && <p>{info.zoneName}</p>}
        </div>
        <div class="kiosk-head-side">
          <span class="kiosk-clock">{clockTime(now)}</span>
          <LangSwitch />
        </div>
      </header>
      {!canPrint && (
        <p class="kiosk-printer" role="status" data-testid="printer-down">
          {t(
            'Máy in tạm ngừng — số thứ tự sẽ hiện trên màn hình: vui lòng chụp ảnh hoặc ghi nhớ số',
            'The printer is out of service — your number will be shown on the screen: take a photo or remember it',
          )}
        </p>
      )}
      {screen.kind === 'ticket' ? (
        <TicketScreen
          dispenserId={info.dispenserId}
          ticket={screen.ticket}
          service={centre.services.find((s) => s.id === screen.ticket.serviceId)}
          priority={priorityOf(screen.ticket.priorityClassId)}
          secondsLeft={Math.max(0, Math.ceil(((deadline ?? now) - now) / 1000))}
          onDone={reset}
        />
      ) : (
        <main class="kiosk-main">
          <div class="kiosk-side">
            <ScanPanel identified={identified} onCancel={reset} />
            <PriorityChoice classes={centre.priorityClasses} chosen={chosen} onChoose={setChosen} />
          </div>
          <section class="kiosk-services" aria-labelledby="services-title">
            <h2 id="services-title">
              {t('Chạm vào dịch vụ để lấy số thứ tự', 'Touch a service to take a number')}
            </h2>
            <ServiceButtons
              services={services}
              live={queue?.services ?? null}
              disabled={busy}
              onChoose={choose}
            />
          </section>
        </main>
      )}
      {busy && (
        <div class="kiosk-overlay" data-testid="busy">
          <p class="busy-text">{t('Đang xử lý…', 'Working…')}</p>
        </div>
      )}
      {notice && <Notice said={notice} onClose={() => setNotice(null)} />}
    </div>
  );
}
