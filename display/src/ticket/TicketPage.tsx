/**
 * The citizen's own ticket, on their phone (the QR code on the paper ticket): where it stands in
 * line, live, and a full-screen notice with sound and vibration when it is called. It shows the
 * ticket only: no name, no ID number (the controller's ticket view has none). Opened from the
 * ticket's own link (`/t/<id>/<key>`, the QR code), it also lets the citizen rate the finished visit;
 * an id-only link shows the public place in line and nothing more.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, errorSaid, requestId } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { estimateText } from '../shared/estimate-text.ts';
import { clockTime } from '../shared/format.ts';
import { localName, type Translate, useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { useQueue } from '../shared/live.ts';
import type { QueueView, TicketHolderView, TicketView } from '../shared/types.ts';
import { chime, enableSound, soundEnabled, vibrate } from './alert.ts';
import { isNewCall, type TicketLink, toneOf } from './ticket-status.ts';

export function TicketPage({ link }: { link: TicketLink | null }) {
  const { lang, t } = useLang();
  const queue = useQueue();
  const ticketId = link?.id ?? null;
  const linkKey = link?.key ?? null;
  const [view, setView] = useState<TicketView | TicketHolderView | null>(null);
  const [missing, setMissing] = useState(ticketId === null);
  const [badLink, setBadLink] = useState(false);
  const [updatedAt, setUpdatedAt] = useState<number | null>(null);
  const [sound, setSound] = useState(false);
  const [notice, setNotice] = useState<{ counterNumber: number | null; chimed: boolean } | null>(null);
  const alertedCalledAt = useRef<number | null>(null);
  const soundOn = useRef(false);
  const latestRequest = useRef(0);

  // Read again on every queue change the controller pushes (and once at the start).
  useEffect(() => {
    if (ticketId === null) return;
    const request = ++latestRequest.current;
    const path = `/tickets/${encodeURIComponent(ticketId)}`;
    // With the link's key: the holder's view (rating included); without: the public place in line.
    const read =
      linkKey === null
        ? api<TicketView>('GET', path)
        : api<TicketHolderView>('POST', `${path}/holder`, { key: linkKey });
    read
      .then((v) => {
        if (request !== latestRequest.current) return; // an older answer arriving late
        setView(v);
        setMissing(false);
        setUpdatedAt(Date.now());
      })
      .catch((error) => {
        if (request !== latestRequest.current) return;
        if (error instanceof ApiError && error.status === 404) setMissing(true);
        if (error instanceof ApiError && error.status === 403) setBadLink(true);
        // Otherwise keep what is shown: the connection banner says the link is down.
      });
  }, [ticketId, linkKey, queue]);

  useEffect(() => {
    if (!view) return;
    // The call is over (being served, done, missed, cancelled…): so is its full-screen notice.
    if (view.status !== 'called') return setNotice(null);
    if (!isNewCall(view, alertedCalledAt.current)) return;
    alertedCalledAt.current = view.calledAt;
    const chimed = soundOn.current && soundEnabled();
    if (chimed) chime();
    vibrate();
    setNotice({ counterNumber: view.counterNumber, chimed });
  }, [view]);

  useEffect(() => {
    document.title = view ? `${t('Số', 'No.')} ${view.label} — ${statusText(view, t).title}` : document.title;
  }, [view, t]);

  const toggleSound = async () => {
    if (sound) {
      soundOn.current = false;
      return setSound(false);
    }
    const on = await enableSound();
    soundOn.current = on;
    setSound(on);
  };

  const centreName = queue?.centre.name ?? '';
  return (
    <div class="tp">
      <ConnectionBanner />
      <header class="tp-head">
        <p class="tp-centre">{centreName}</p>
        <LangSwitch />
      </header>
      {badLink ? (
        <main class="tp-card tp-missing" data-testid="ticket-bad-link">
          <h1>{t('Đường dẫn không hợp lệ', 'This link is not valid')}</h1>
          <p>
            {t(
              'Đường dẫn không đúng với số thứ tự này. Vui lòng quét lại mã QR trên vé.',
              'This link does not belong to that ticket. Please scan the QR code on your ticket again.',
            )}
          </p>
        </main>
      ) : missing ? (
        <main class="tp-card tp-missing" data-testid="ticket-missing">
          <h1>{t('Không tìm thấy số thứ tự', 'Ticket not found')}</h1>
          <p>
            {t(
              'Chỉ tra cứu được số thứ tự của hôm nay. Vui lòng kiểm tra lại mã QR trên vé.',
              "Only today's tickets can be looked up. Please check the QR code on your ticket.",
            )}
          </p>
        </main>
      ) : view ? (
        <>
          <TicketCard view={view} queue={queue} updatedAt={updatedAt} />
          {linkKey !== null && 'canRate' in view && (
            <Rating view={view} linkKey={linkKey} onRated={(v) => setView(v)} />
          )}
        </>
      ) : (
        <main class="tp-card">
          <p>{t('Đang tải…', 'Loading…')}</p>
        </main>
      )}
      {!missing && view && canStillBeCalled(view) && (
        <button
          type="button"
          class={`tp-sound${sound ? ' on' : ''}`}
          aria-pressed={sound}
          data-testid="sound-toggle"
          onClick={toggleSound}
        >
          {sound
            ? t('Đã bật âm báo — chạm để tắt', 'Sound on — touch to turn off')
            : t('Bật âm báo khi đến lượt', 'Turn on the sound for my call')}
        </button>
      )}
      {!badLink && !missing && (
        <p class="tp-note">
          {lang === 'en'
            ? 'Keep this page open: it updates by itself.'
            : 'Giữ trang này mở: thông tin tự cập nhật.'}
        </p>
      )}
      {notice && (
        <div
          class="tp-called"
          role="alertdialog"
          aria-modal="true"
          aria-labelledby="tp-called-title"
          data-testid="called-notice"
          data-chimed={String(notice.chimed)}
        >
          <p class="tp-called-label">
            {t('Số', 'Number')} {view?.label}
          </p>
          <h1 id="tp-called-title">
            {notice.counterNumber === null
              ? t('Mời Ông/Bà đến quầy', 'Please come to the counter')
              : t(
                  `Mời Ông/Bà đến quầy số ${notice.counterNumber}`,
                  `Please come to counter ${notice.counterNumber}`,
                )}
          </h1>
          <button type="button" class="tp-called-ok" onClick={() => setNotice(null)}>
            {t('Đã hiểu', 'OK')}
          </button>
        </div>
      )}
    </div>
  );
}

function TicketCard(props: { view: TicketView; queue: QueueView | null; updatedAt: number | null }) {
  const { lang, t } = useLang();
  const v = props.view;
  const service = props.queue?.services.find((s) => s.id === v.serviceId);
  const said = statusText(v, t);
  return (
    <main class={`tp-card tone-${toneOf(v.status)}`} data-testid="ticket-card" data-status={v.status}>
      <p class="tp-caption">{t('Số thứ tự', 'Ticket number')}</p>
      <p class="tp-label" data-testid="ticket-label">
        {v.label}
      </p>
      <p class="tp-service">{service ? localName(lang, service) : v.serviceName}</p>
      <p class="tp-status" data-testid="ticket-status">
        {said.title}
      </p>
      {said.detail && <p class="tp-detail">{said.detail}</p>}
      {v.status === 'waiting' && (
        <dl class="tp-facts">
          <div>
            <dt>{t('Số người chờ trước Ông/Bà', 'People ahead of you')}</dt>
            <dd data-testid="ticket-ahead">{v.peopleAhead}</dd>
          </div>
          <div>
            <dt>{t('Thời gian chờ dự kiến', 'Estimated wait')}</dt>
            <dd data-testid="ticket-wait" class={v.estimatedWait === null ? 'soft' : undefined}>
              {estimateText(v.estimatedWait, t)}
            </dd>
          </div>
        </dl>
      )}
      <p class="tp-updated">
        {t('Lấy số lúc', 'Taken at')} {clockTime(v.issuedAt)}
        {props.updatedAt !== null && (
          <>
            {' · '}
            {t('cập nhật', 'updated')} {clockTime(props.updatedAt, true)}
          </>
        )}
      </p>
    </main>
  );
}

/**
 * The citizen rates the visit they just finished, once, on the centre's scale (best first, the last
 * level "not satisfied" opens a follow-up as the keypad's does).
 */
function Rating(props: { view: TicketHolderView; linkKey: string; onRated: (v: TicketHolderView) => void }) {
  const { lang, t } = useLang();
  const v = props.view;
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useRef(requestId());
  if (v.rating) {
    const level = v.ratingScale[v.rating.level - 1];
    return (
      <section class="tp-rating" data-testid="rating-done">
        <h2>{t('Cảm ơn Ông/Bà đã đánh giá', 'Thank you for your rating')}</h2>
        {level && <p>{lang === 'en' && level.labelEn ? level.labelEn : level.label}</p>}
      </section>
    );
  }
  if (!v.canRate) return null;
  const rate = async (level: number) => {
    setSending(true);
    setError(null);
    try {
      props.onRated(
        await api<TicketHolderView>('POST', `/tickets/${encodeURIComponent(v.id)}/rating`, {
          key: props.linkKey,
          level,
          requestId: id.current,
        }),
      );
    } catch (e) {
      setError(errorSaid(e, t));
    } finally {
      setSending(false);
    }
  };
  return (
    <section class="tp-rating" data-testid="rating">
      <h2>{t('Ông/Bà có hài lòng với lượt phục vụ?', 'How satisfied are you with this visit?')}</h2>
      <div class="tp-rating-levels">
        {v.ratingScale.map((l, i) => (
          <button
            type="button"
            key={l.label}
            disabled={sending}
            data-testid={`rate-${i + 1}`}
            onClick={() => rate(i + 1)}
          >
            {lang === 'en' && l.labelEn ? l.labelEn : l.label}
          </button>
        ))}
      </div>
      {error && (
        <p class="tp-rating-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** The status in words: a headline and, where it helps, what to do. */
function statusText(v: TicketView, t: Translate): { title: string; detail: string | null } {
  const counter = v.counterNumber;
  switch (v.status) {
    case 'waiting':
      return { title: t('Đang chờ đến lượt', 'Waiting for your turn'), detail: null };
    case 'called':
      return {
        title:
          counter === null
            ? t('Đến lượt Ông/Bà', 'Your turn')
            : t(`Mời Ông/Bà đến quầy số ${counter}`, `Please come to counter ${counter}`),
        detail: null,
      };
    case 'serving':
      return {
        title: t('Đang được phục vụ', 'Being served'),
        detail: counter === null ? null : t(`Tại quầy số ${counter}`, `At counter ${counter}`),
      };
    case 'skipped':
      return {
        title: t('Ông/Bà đã lỡ lượt gọi', 'You missed your call'),
        detail:
          v.returnBy === null
            ? t('Vui lòng liên hệ quầy hướng dẫn.', 'Please ask at the information desk.')
            : t(
                `Vui lòng liên hệ quầy hướng dẫn trước ${clockTime(v.returnBy)} để được xếp lại.`,
                `Please ask at the information desk before ${clockTime(v.returnBy)} to rejoin the line.`,
              ),
      };
    case 'done':
      return { title: t('Đã phục vụ xong', 'Served'), detail: t('Xin cảm ơn!', 'Thank you!') };
    case 'cancelled':
      return { title: t('Số thứ tự đã bị hủy', 'This ticket was cancelled'), detail: null };
    case 'noShow':
      return {
        title: t('Số thứ tự đã hết hiệu lực', 'This ticket is no longer valid'),
        detail: t('Ông/Bà đã không đến khi được gọi.', 'You did not come when called.'),
      };
    case 'expired':
      return {
        title: t('Số thứ tự đã hết hạn', 'This ticket has expired'),
        detail: t('Ngày làm việc đã kết thúc.', 'The service day has ended.'),
      };
  }
}

/** A sound for "my call" helps only while a call may still come. */
function canStillBeCalled(v: TicketView): boolean {
  return v.status === 'waiting' || v.status === 'called' || v.status === 'skipped';
}
