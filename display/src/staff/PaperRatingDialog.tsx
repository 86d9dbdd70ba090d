/**
 * Record the rating a citizen wrote on the centre's paper form, for a visit finished at this counter
 * today that has no rating yet. It is stored as a paper rating (counted apart from the keypad and the
 * ticket page in every report) with the name of whoever entered it.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { localName, useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';

interface Visit {
  ticketId: string;
  label: string;
  serviceId: string;
  finishedAt: number;
}

export function PaperRatingDialog(props: {
  centre: CentreView;
  counterId: string;
  busy: boolean;
  /** Why the last attempt was refused (already rated, not finished here today…). */
  error: string | null;
  onCancel: () => void;
  onRecord: (ticketId: string, level: number, label: string) => void;
}) {
  const { t, lang } = useLang();
  const [visits, setVisits] = useState<Visit[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [ticketId, setTicketId] = useState('');
  const [level, setLevel] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api<{ visits: Visit[] }>('GET', `/counters/${props.counterId}/paper-rating`)
      .then((r) => live && setVisits(r.visits))
      .catch((err: unknown) => live && setLoadError(err instanceof ApiError ? err.said(lang) : String(err)));
    return () => {
      live = false;
    };
  }, [props.counterId, lang]);

  const chosen = visits?.find((v) => v.ticketId === ticketId);
  const submit = (e: Event) => {
    e.preventDefault();
    if (chosen && level !== null) props.onRecord(chosen.ticketId, level, chosen.label);
  };
  const service = (id: string) => {
    const s = props.centre.services.find((x) => x.id === id);
    return s ? localName(lang, s) : id;
  };

  return (
    <div class="dialog-backdrop">
      <form class="dialog paper-dialog" onSubmit={submit} data-testid="paper-dialog">
        <h2>{t('Ghi phiếu đánh giá giấy', 'Record a paper rating form')}</h2>
        <p class="dialog-note">
          {t(
            'Chọn số phiếu ghi trên phiếu giấy và mức công dân đã đánh dấu. Phiếu giấy được tính riêng với đánh giá trên bàn phím và mã QR, và ghi tên người nhập.',
            'Choose the ticket number written on the form and the level the citizen marked. Paper forms are counted apart from the keypad and QR ratings, with the name of who entered them.',
          )}
        </p>
        {loadError && (
          <p class="error" role="alert">
            {loadError}
          </p>
        )}
        {visits && visits.length === 0 ? (
          <p class="idle" data-testid="paper-none">
            {t(
              'Hôm nay quầy chưa có lượt phục vụ nào chưa được đánh giá.',
              'No visit finished here today is waiting for a rating.',
            )}
          </p>
        ) : (
          <select
            required
            value={ticketId}
            onChange={(e) => setTicketId(e.currentTarget.value)}
            data-testid="paper-ticket"
            disabled={!visits}
          >
            <option value="">{t('— Chọn số phiếu —', '— Choose the ticket —')}</option>
            {visits?.map((v) => (
              <option key={v.ticketId} value={v.ticketId}>
                {v.label} · {service(v.serviceId)} · {t('xong lúc', 'finished')} {clockTime(v.finishedAt)}
              </option>
            ))}
          </select>
        )}
        <fieldset class="paper-levels">
          <legend>{t('Mức công dân đánh dấu trên phiếu', 'The level marked on the form')}</legend>
          <div class="levels">
            {props.centre.ratingScale.map((l, i) => (
              <button
                key={l.label}
                type="button"
                aria-pressed={level === i + 1}
                class={level === i + 1 ? 'level chosen' : 'level'}
                onClick={() => setLevel(i + 1)}
                data-testid={`paper-level-${i + 1}`}
              >
                {lang === 'en' ? (l.labelEn ?? l.label) : l.label}
              </button>
            ))}
          </div>
        </fieldset>
        {props.error && (
          <p class="error" role="alert" data-testid="paper-error">
            {props.error}
          </p>
        )}
        <div class="dialog-buttons">
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t('Huỷ', 'Cancel')}
          </button>
          <button
            type="submit"
            class="primary"
            disabled={!chosen || level === null || props.busy}
            data-testid="paper-submit"
          >
            {t('Ghi phiếu', 'Record')}
          </button>
        </div>
      </form>
    </div>
  );
}
