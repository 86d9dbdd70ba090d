/** The ticket just taken, as printed: the number, the service, who is ahead, and the link of its QR code. */
import { renderSVG } from 'uqr';
import { clockTime } from '../shared/format.ts';
import { localName, useLang } from '../shared/i18n.ts';
import type { PriorityClass, ServiceInfo } from './centre-info.ts';
import type { KioskTicket } from './kiosk-api.ts';

export function TicketScreen(props: {
  ticket: KioskTicket;
  service: ServiceInfo | undefined;
  priority: PriorityClass | undefined;
  secondsLeft: number;
  onDone: () => void;
}) {
  const { lang, t } = useLang();
  const { ticket } = props;
  const wait = ticket.estimatedWaitMinutes;
  // Shown readable (2026-11-23:dat-dai:1), as a citizen would type it; the QR on paper has it encoded.
  const link = decodeURI(ticket.link).replace(/%3A/gi, ':');
  return (
    <section class="kiosk-ticket" data-testid="ticket" aria-live="assertive">
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
          <dd class={wait === null ? 'soft' : undefined}>
            {wait === null ? t('đang cập nhật', 'updating') : t(`${wait} phút`, `${wait} min`)}
          </dd>
        </div>
        <div>
          <dt>{t('Giờ lấy số', 'Taken at')}</dt>
          <dd>{clockTime(ticket.issuedAt)}</dd>
        </div>
      </dl>
      <p class="kt-print">
        {t(
          'Vé đã được in — mời Ông/Bà nhận vé và chờ gọi số',
          'Your ticket is printed — please take it and wait to be called',
        )}
      </p>
      <div class="kt-link">
        {/* The same link as the paper's QR: a citizen can scan it off the screen straight away. */}
        <div
          class="kt-qr"
          data-testid="ticket-qr"
          dangerouslySetInnerHTML={{ __html: renderSVG(ticket.link, { border: 2 }) }}
        />
        <p>
          {t(
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
    </section>
  );
}
