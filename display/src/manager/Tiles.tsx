/** The headline figures of the day across the centre. */
import { useLang } from '../shared/i18n.ts';
import type { DashboardView } from './dashboard-data.ts';
import { minutes, percent } from './numbers.ts';

export function Tiles({ view }: { view: DashboardView }) {
  const { t, lang } = useLang();
  const { total, satisfaction: s, targets, devices } = view;
  const within = total.withinTarget;
  const rateOk = s.rate766 === null || s.rate766 >= s.target;
  const shareOk = s.satisfiedShare === null || s.satisfiedShare >= s.target;
  return (
    <div class="mg-tiles">
      <Tile testid="tile-waiting" label={t('Đang chờ', 'Waiting')} value={String(total.waiting)}>
        {t('lâu nhất', 'longest')} {minutes(lang, total.longestWaitMinutes)}
      </Tile>
      <Tile
        testid="tile-served"
        label={t('Đã phục vụ hôm nay', 'Served today')}
        value={String(total.servedToday)}
      >
        {t('đã gọi', 'called')} {total.calledToday}
      </Tile>
      <Tile
        testid="tile-within"
        label={t(`Được gọi trong ${targets.waitMinutes} phút`, `Called within ${targets.waitMinutes} min`)}
        value={percent(lang, within.share)}
        tone={within.share === null ? undefined : within.missed === 0 ? 'ok' : 'warn'}
      >
        {t(`${within.met} đạt, ${within.missed} quá hạn`, `${within.met} met, ${within.missed} missed`)}
      </Tile>
      <Tile
        testid="tile-avg-wait"
        label={t('Thời gian chờ trung bình', 'Average wait')}
        value={minutes(lang, total.averageWaitMinutes)}
      />
      <Tile
        testid="tile-satisfaction"
        label={t('Mức độ hài lòng (766/QĐ-TTg)', 'Satisfaction (766/QĐ-TTg)')}
        value={percent(lang, s.rate766)}
        tone={s.rate766 === null ? undefined : rateOk ? 'ok' : 'bad'}
      >
        {t('mục tiêu', 'target')} {percent(lang, s.target)} · {s.visits} {t('lượt', 'visits')},{' '}
        {s.notSatisfied} {t('không hài lòng', 'not satisfied')}
        <PaperNote paper={s.bySource.paper} value={percent(lang, s.withPaper.rate766)} />
      </Tile>
      <Tile
        testid="tile-satisfied-share"
        label={t('Đánh giá hài lòng', 'Satisfied ratings')}
        value={percent(lang, s.satisfiedShare)}
        tone={s.satisfiedShare === null ? undefined : shareOk ? 'ok' : 'bad'}
      >
        {s.rated} {t('đánh giá', 'ratings')} · {t('mục tiêu', 'target')} {percent(lang, s.target)}
        <PaperNote paper={s.bySource.paper} value={percent(lang, s.withPaper.satisfiedShare)} />
      </Tile>
      <Tile
        testid="tile-devices"
        label={t('Thiết bị trực tuyến', 'Devices online')}
        value={`${devices.online}/${devices.total}`}
        tone={devices.online === devices.total ? 'ok' : 'warn'}
      />
    </div>
  );
}

/**
 * The tiles count the citizens' own ratings (keypad, ticket page), as the province receives them;
 * paper forms recorded by staff are shown beside, with the figure they would make counted in.
 */
function PaperNote({ paper, value }: { paper: number; value: string }) {
  const { t } = useLang();
  if (paper === 0) return null;
  return (
    <span class="mg-tile-paper" data-testid="tile-paper">
      {t(
        `Phiếu giấy: ${paper} (tính riêng; kể cả phiếu giấy ${value})`,
        `Paper forms: ${paper} (counted apart; ${value} with them)`,
      )}
    </span>
  );
}

function Tile(props: {
  label: string;
  value: string;
  testid: string;
  tone?: 'ok' | 'warn' | 'bad' | undefined;
  children?: preact.ComponentChildren;
}) {
  return (
    <div class={`mg-tile ${props.tone ?? ''}`} data-testid={props.testid}>
      <span class="mg-tile-label">{props.label}</span>
      <strong class="mg-tile-value" data-testid={`${props.testid}-value`}>
        {props.value}
      </strong>
      {props.children && <span class="mg-tile-note">{props.children}</span>}
    </div>
  );
}
