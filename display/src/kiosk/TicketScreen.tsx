/**
 * The ticket just taken, as printed: the number, the service, who is ahead, and its QR code. What
 * became of the paper is said plainly: being printed, printed, or — when the printer could not
 * print or the print failed — that the citizen should photograph the screen or remember the number.
 */
import { useEffect, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { estimateText } from '../shared/estimate-text.ts';
import { clockTime } from '../shared/format.ts';
import { localName, useLang } from '../shared/i18n.ts';
import type { PriorityClass, ServiceInfo } from './centre-info.ts';
import { type KioskTicket, kioskTicketNow } from './kiosk-api.ts';

/** How often the page asks what became of the paper while it is being printed. */
const PRINT_POLL_MS = 700;

type PrintStatus = KioskTicket['print'];

/** Follows the ticket's print until it is printed or failed. */
function usePrintStatus(dispenserId: string, ticket: KioskTicket): PrintStatus {
  const [status, setStatus] = useState<PrintStatus>(ticket.print);
  useEffect(() => setStatus(ticket.print), [ticket]);
  useEffect(() => {
    if (status !== 'printing') return;
    let stopped = false;
    const timer = setInterval(() => {
      kioskTicketNow(dispenserId, ticket.id)
        .then((now) => {
          if (!stopped) setStatus(now.ticket.print);
        })
        .catch(() => undefined); // the link is down: asked again next time
    }, PRINT_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [dispenserId, ticket, status]);
  return status;
}

function PrintNote({ status, label }: { status: PrintStatus; label: string }) {
  const { t } = useLang();
  const keep = t(
    `Ông/Bà vui lòng chụp ảnh màn hình này hoặc ghi nhớ số ${label}`,
    `Please take a photo of this screen or remember number ${label}`,
  );
  const text =
    status === 'printing'
      ? t('Vé đang được in — mời Ông/Bà nhận vé', 'Your ticket is being printed — please take it')
      : status === 'printed'
        ? t(
            'Vé đã được in — mời Ông/Bà nhận vé và chờ gọi số',
            'Your ticket is printed — please take it and wait to be called',
          )
        : null;
  if (text)
    return (
      <p class="kt-print" data-testid="ticket-print" data-print={status} role="status">
        {text}
      </p>
    );
  return (
    <div class="kt-print kt-print-none" data-testid="ticket-print" data-print={status} role="alert">
      <strong>
        {status === 'failed'
          ? t('Không in được vé', 'The ticket could not be printed')
          : t('Máy in tạm ngừng — vé không được in', 'The printer is out of service — no paper ticket')}
      </strong>
      <span>{keep}</span>
    </div>
  );
}

export function TicketScreen(props: {
  dispenserId: string;
  ticket: KioskTicket;
  service: ServiceInfo | undefined;
  priority: PriorityClass | undefined;
  secondsLeft: number;
  onDone: () => void;
}) {
  const { lang, t } = useLang();
  const { ticket } = props;
  const print = usePrintStatus(props.dispenserId, ticket);
  const wait = ticket.estimatedWait;
  const noPaper = print === 'failed' || print === 'notPrinted';
  // Shown readable (2026-11-23:dat-dai:1), as a citizen would type it; the QR on paper has it encoded.
  const link = decodeURI(ticket.link).replace(/%3A/gi, ':');
  return (
    <section
      class={noPaper ? 'kiosk-ticket kt-no-paper' : 'kiosk-ticket'}
      data-testid="ticket"
      aria-live="assertive"
    >
      <div class="kt-main">
        <p class="kt-title">{t('Số thứ tự của Ông/Bà', 'Your ticket number')}</p>
        <p class="kt-label" data-testid="ticket-label">
          {ticket.label}
        </p>
        <p class="kt-service">{props.service ? localName(lang, props.service) : ticket.serviceId}</p>
        {props.priority && (
          <p class="kt-tag" data-testid="ticket-priority">
            {t('Ưu tiên', 'Priority')}: {localName(lang, props.priority)}
          </p>
        )}
        {ticket.appointment && (
          <p class="kt-tag">
            {t('Lịch hẹn', 'Appointment')} {clockTime(ticket.appointment.slotStart)}–
            {clockTime(ticket.appointment.slotEnd)}
          </p>
        )}
        <dl class="kt-facts">
          <div>
            <dt>{t('Số người chờ trước', 'People ahead')}</dt>
            <dd data-testid="ticket-ahead">{ticket.peopleAhead}</dd>
          </div>
          <div>
            <dt>{t('Thời gian chờ dự kiến', 'Estimated wait')}</dt>
            <dd class={wait === null ? 'soft' : undefined} data-testid="ticket-wait">
              {estimateText(wait, t)}
            </dd>
          </div>
          <div>
            <dt>{t('Giờ lấy số', 'Taken at')}</dt>
            <dd>{clockTime(ticket.issuedAt)}</dd>
          </div>
        </dl>
        <PrintNote status={print} label={ticket.label} />
      </div>
      <div class="kt-side">
        <div class="kt-link">
          {/* The same link as the paper's QR: a citizen can scan it off the screen straight away. */}
          <div
            class="kt-qr"
            data-testid="ticket-qr"
            dangerouslySetInnerHTML={{ __html: renderSVG(ticket.link, { border: 2 }) }}
          />
          <p>
            {noPaper
              ? t(
                  'Theo dõi lượt chờ trên điện thoại: quét mã QR này, hoặc mở',
                  'Follow your turn on your phone: scan this QR code, or open',
                )
              : t(
                  'Theo dõi lượt chờ trên điện thoại: quét mã QR trên màn hình hoặc trên vé, hoặc mở',
                  'Follow your turn on your phone: scan the QR code on the screen or the ticket, or open',
                )}
          </p>
          <p class="kt-url" data-testid="ticket-link">
            {link}
          </p>
        </div>
        <button type="button" class="kt-done" data-testid="ticket-done" onClick={props.onDone}>
          {t('Xong', 'Done')} <small>({props.secondsLeft})</small>
        </button>
      </div>
    </section>
  );
}
