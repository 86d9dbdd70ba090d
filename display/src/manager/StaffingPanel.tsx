/**
 * Staffing advice for the coming hours (Nhân sự cần cho các giờ tới): per skill pool, the fewest
 * staff for 90 % of citizens called within the target, with its reason in one line, and whether the
 * staff at work now are enough. GET /api/staffing every minute. The figures are Erlang C's lower
 * bound until the controller's simulation of the coming hours has corrected them (a worker thread,
 * at most every 10 minutes); the panel says which it shows and when the correction was computed.
 */
import { useEffect, useState } from 'preact/hooks';
import type { StaffingLine } from '../../../controller/reports/staffing-advice.ts';
import { api } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';

const REFRESH_MS = 60_000;

interface Staffing {
  targetMinutes: number;
  targetShare: number;
  historyDays: number;
  basis: 'simulation' | 'erlang';
  computedAt: number | null;
  simulatedTargetMet: boolean | null;
  openingHours: { opens: string; closes: string };
  /** The centre has closed for the day: nothing to advise. */
  closedToday: boolean;
  lines: (StaffingLine & { bound: number; basis: 'simulation' | 'erlang' })[];
}

export function StaffingPanel() {
  const { t, lang } = useLang();
  const [data, setData] = useState<Staffing | null>(null);

  useEffect(() => {
    let alive = true;
    const load = () =>
      api<Staffing>('GET', '/staffing')
        .then((d) => alive && setData(d))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(load, REFRESH_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, []);

  if (!data) return null;
  const basis =
    data.historyDays > 0
      ? t(
          `theo ${data.historyDays} ngày trước và hôm nay`,
          `from the past ${data.historyDays} days and today`,
        )
      : t('theo lượt đến trong giờ vừa qua', 'from the last hour’s arrivals');
  return (
    <section class="mg-staffing" data-testid="staffing">
      <h2>
        {t('Nhân sự cần cho các giờ tới', 'Staff needed in the coming hours')}{' '}
        <span class="mg-muted">
          ({Math.round(data.targetShare * 100)} % {t('được gọi trong', 'called within')} {data.targetMinutes}{' '}
          {t('phút', 'min')}; {basis})
        </span>
      </h2>
      {data.lines.length > 0 && (
        <p class="mg-staffing-basis" data-testid="staffing-basis" data-basis={data.basis}>
          {data.basis === 'simulation' && data.computedAt !== null
            ? t(
                `Đã kiểm chứng và hiệu chỉnh bằng mô phỏng lúc ${clockTime(data.computedAt)} (cận dưới Erlang C trong ngoặc).`,
                `Checked and corrected by simulation at ${clockTime(data.computedAt)} (Erlang C’s lower bound in brackets).`,
              )
            : t(
                'Cận dưới theo Erlang C; đang mô phỏng các giờ tới để kiểm chứng.',
                'Erlang C’s lower bound; the coming hours are being simulated to check it.',
              )}
        </p>
      )}
      {data.lines.length === 0 ? (
        <p class="mg-muted" data-testid="staffing-none">
          {data.closedToday
            ? t(
                `Đã hết giờ làm việc hôm nay (${data.openingHours.opens}–${data.openingHours.closes}).`,
                `Working hours are over for today (${data.openingHours.opens}–${data.openingHours.closes}).`,
              )
            : t('Chưa có lượt đến để dự báo.', 'No arrivals to forecast from yet.')}
        </p>
      ) : (
        <ul>
          {data.lines.map((l) => (
            <li
              key={`${l.from}-${l.poolId}`}
              class={l.present < l.advised ? 'mg-staffing-short' : undefined}
              data-testid="staffing-line"
            >
              {lang === 'vi' ? l.text : l.textEn}
              {l.basis === 'simulation' && <span class="mg-muted"> (Erlang C: {l.bound})</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
