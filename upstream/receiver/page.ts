/**
 * The province page, rendered on the server (pure: model in, HTML out). The page polls
 * `/fragment` every 5 s and swaps in the same sections rendered again, so there is one renderer.
 * Vietnamese first; fits 1920×1080 and 1366×768 (the tables scroll inside their panels).
 */
import { STALE_AFTER_MS } from './centre-state.ts';
import { type CentreOverview, RANKING_TARGETS, type RankingRow } from './store.ts';

export interface PageModel {
  provinceName: string;
  provinceId: string;
  /** Day of the ranking, and the province's today. */
  day: string;
  today: string;
  now: number;
  timeZone: string;
  centres: CentreOverview[];
  ranking: RankingRow[];
  deadLetters: number;
  link: { state: string; detail: string };
}

export const POLL_MS = 5_000;

const STATE_TEXT = { online: 'Trực tuyến', lost: 'Mất tín hiệu', offline: 'Ngoại tuyến' } as const;
const LINK_TEXT: Record<string, string> = {
  subscribed: 'Đã kết nối máy chủ MQTT',
  connecting: 'Đang kết nối máy chủ MQTT…',
  disconnected: 'Mất kết nối máy chủ MQTT, đang thử lại',
  refused: 'Máy chủ MQTT từ chối kết nối',
  stopped: 'Đã dừng',
};

export function renderPage(m: PageModel): string {
  const f = renderFragments(m);
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Giám sát trung tâm phục vụ hành chính công — ${esc(m.provinceName)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="top">
  <div class="title">
    <h1>Giám sát các trung tâm phục vụ hành chính công</h1>
    <p class="sub">${esc(m.provinceName)} · số liệu do các trung tâm tự động gửi lên</p>
  </div>
  <div class="meta" id="meta">${f.meta}</div>
</header>
<section class="tiles" id="tiles">${f.tiles}</section>
<main class="panels">
  <section class="panel">
    <div class="panel-head"><h2>Tình trạng trực tiếp</h2>
      <span class="hint">Mất tín hiệu: không nhận được số liệu quá ${STALE_AFTER_MS / 1000} giây</span></div>
    <div class="scroll" data-scrolls><table class="grid live">
      <thead><tr><th>Trung tâm</th><th>Trạng thái</th><th class="n">Đang chờ</th><th class="n">Chờ lâu nhất</th>
      <th class="n">Gọi trong ${RANKING_TARGETS.waitMinutes} phút</th><th class="n">Hài lòng (766)</th>
      <th class="n">Chưa gửi lên</th><th class="n">Cập nhật</th></tr></thead>
      <tbody id="live">${f.live}</tbody></table></div>
  </section>
  <section class="panel">
    <div class="panel-head"><h2 id="ranking-title">${f.rankingTitle}</h2>
      <form class="day" method="get"><label>Ngày <select name="day" onchange="this.form.submit()">${dayOptions(m)}</select></label><noscript><button type="submit">Xem</button></noscript></form></div>
    <p class="targets">Chỉ tiêu: chờ không quá ${RANKING_TARGETS.waitMinutes} phút với ít nhất ${pct(RANKING_TARGETS.waitShare)} lượt; tỉ lệ hài lòng (Quyết định 766/QĐ-TTg) từ ${pct(RANKING_TARGETS.satisfaction)}</p>
    <div class="scroll" data-scrolls><table class="grid rank">
      <thead><tr><th class="n">Hạng</th><th>Trung tâm</th><th class="n">Lượt</th><th class="n">Đã phục vụ</th>
      <th class="n">Chờ ≤ ${RANKING_TARGETS.waitMinutes} phút</th><th class="n">Hài lòng (766)</th><th>Chỉ tiêu</th><th>Nguồn</th></tr></thead>
      <tbody id="ranking">${f.ranking}</tbody></table></div>
  </section>
</main>
<script>
(() => {
  const day = ${JSON.stringify(m.day === m.today ? '' : m.day)};
  async function poll() {
    try {
      const res = await fetch('/fragment' + (day ? '?day=' + encodeURIComponent(day) : ''), { cache: 'no-store' });
      if (!res.ok) throw new Error(res.status);
      const f = await res.json();
      for (const id of ['meta', 'tiles', 'live', 'ranking']) document.getElementById(id).innerHTML = f[id];
      document.getElementById('ranking-title').textContent = f.rankingTitleText;
      document.body.classList.remove('stale');
    } catch {
      document.body.classList.add('stale');
    }
  }
  setInterval(poll, ${POLL_MS});
})();
</script>
</body>
</html>`;
}

export function renderFragments(m: PageModel): {
  meta: string;
  tiles: string;
  live: string;
  ranking: string;
  rankingTitle: string;
  rankingTitleText: string;
} {
  const count = (state: CentreOverview['state']) => m.centres.filter((c) => c.state === state).length;
  const waiting = m.centres.reduce((n, c) => n + (c.state === 'online' && c.live ? c.live.waiting : 0), 0);
  const backlog = m.centres.reduce((n, c) => n + (c.live?.backlogRecords ?? 0), 0);
  const linkOk = m.link.state === 'subscribed';
  const meta = `<span class="link ${linkOk ? 'ok' : 'bad'}">${esc(LINK_TEXT[m.link.state] ?? m.link.state)}</span>
    <span class="clock">Cập nhật lúc ${time(m.now, m.timeZone)}</span>
    <span class="offline-note">Không tải được số liệu mới</span>`;
  const tiles = [
    tile('Trung tâm trực tuyến', `${count('online')} / ${m.centres.length}`, 'ok'),
    tile('Mất tín hiệu', String(count('lost')), count('lost') ? 'warn' : ''),
    tile('Ngoại tuyến', String(count('offline')), count('offline') ? 'bad' : ''),
    tile('Công dân đang chờ', String(waiting), ''),
    tile('Hồ sơ chưa gửi lên', String(backlog), backlog ? 'warn' : ''),
    tile('Tin nhắn lỗi', String(m.deadLetters), m.deadLetters ? 'bad' : '', '/api/dead-letters'),
  ].join('');
  const live = m.centres.length
    ? m.centres.map((c) => liveRow(c, m)).join('')
    : `<tr><td colspan="8" class="empty">Chưa có trung tâm nào gửi số liệu lên.</td></tr>`;
  const ranking = m.ranking.length
    ? m.ranking.map((r) => rankRow(r, m)).join('')
    : `<tr><td colspan="8" class="empty">Chưa có số liệu.</td></tr>`;
  const rankingTitleText = `Xếp hạng ${m.day === m.today ? 'hôm nay' : 'ngày'} ${dayText(m.day)}`;
  return { meta, tiles, live, ranking, rankingTitle: esc(rankingTitleText), rankingTitleText };
}

function tile(label: string, value: string, tone: string, href?: string): string {
  const body = `<span class="label">${esc(label)}</span><span class="value">${esc(value)}</span>`;
  return href
    ? `<a class="tile ${tone}" href="${href}">${body}</a>`
    : `<div class="tile ${tone}">${body}</div>`;
}

function liveRow(c: CentreOverview, m: PageModel): string {
  const l = c.live;
  const current = l !== null && c.state !== 'offline';
  const dash = '<span class="na">—</span>';
  const longest = current ? minutes(l.longestWaitSeconds) : dash;
  const longClass = current && l.longestWaitSeconds > RANKING_TARGETS.waitMinutes * 60 ? ' over' : '';
  return `<tr class="${c.state}">
    <td class="centre">${centreCell(c.id, c.name)}</td>
    <td><span class="chip ${c.state}">${STATE_TEXT[c.state]}</span></td>
    <td class="n">${current ? l.waiting : dash}</td>
    <td class="n${longClass}">${longest}</td>
    <td class="n">${l ? share(l.withinTargetShare, RANKING_TARGETS.waitShare) : dash}</td>
    <td class="n">${l ? share(l.rate766, RANKING_TARGETS.satisfaction) : dash}</td>
    <td class="n">${l ? backlogCell(l.backlogRecords, l.backlogOldestEndedAt, m.now) : dash}</td>
    <td class="n when">${l ? time(l.freshAt, m.timeZone) : time(c.lastSeenAt, m.timeZone)}</td>
  </tr>`;
}

/** The centre's name when it announced one, its id beneath (what the API and the data use). */
function centreCell(id: string, name: string | null): string {
  return name ? `${esc(name)}<span class="id">${esc(id)}</span>` : esc(id);
}

function rankRow(r: RankingRow, m: PageModel): string {
  const met = Number(r.meetsWait) + Number(r.meetsSatisfaction);
  const source =
    r.source === 'summary'
      ? `Tổng hợp ngày (lần ${r.revision})`
      : r.source === 'records'
        ? 'Từng lượt phục vụ'
        : '—';
  return `<tr>
    <td class="n rank">${r.rank ?? '<span class="na">—</span>'}</td>
    <td class="centre">${centreCell(r.centreId, m.centres.find((c) => c.id === r.centreId)?.name ?? null)}</td>
    <td class="n">${r.visits}</td>
    <td class="n">${r.served}</td>
    <td class="n">${share(r.withinTargetShare, RANKING_TARGETS.waitShare)}</td>
    <td class="n">${share(r.rate766, RANKING_TARGETS.satisfaction)}</td>
    <td>${r.visits ? `<span class="met m${met}">Đạt ${met}/2</span>` : '<span class="na">Chưa có lượt</span>'}</td>
    <td class="src">${source}</td>
  </tr>`;
}

function backlogCell(records: number, oldest: number | null, now: number): string {
  if (!records) return '0';
  const age = oldest === null ? '' : ` <span class="age">(${ageText(now - oldest)})</span>`;
  return `<span class="over">${records}</span>${age}`;
}

function share(value: number | null, target: number): string {
  if (value === null) return '<span class="na">—</span>';
  return `<span class="${value >= target ? 'good' : 'over'}">${pct(value)}</span>`;
}

const percent = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

function pct(value: number): string {
  return `${percent.format(value * 100)} %`;
}

function minutes(seconds: number): string {
  return `${Math.round(seconds / 60)} phút`;
}

function ageText(ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return `${min} phút`;
  const h = Math.round(min / 60);
  return h < 48 ? `${h} giờ` : `${Math.round(h / 24)} ngày`;
}

function time(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(at);
}

/** The last 31 days of the province, today first (and the day shown, if older). */
function dayOptions(m: PageModel): string {
  const days: string[] = [];
  const start = Date.parse(`${m.today}T12:00:00Z`);
  for (let i = 0; i < 31; i++) days.push(new Date(start - i * 86_400_000).toISOString().slice(0, 10));
  if (!days.includes(m.day)) days.push(m.day);
  return days
    .map(
      (d, i) =>
        `<option value="${i === 0 ? '' : esc(d)}"${d === m.day ? ' selected' : ''}>${i === 0 ? 'Hôm nay, ' : ''}${dayText(d)}</option>`,
    )
    .join('');
}

function dayText(day: string): string {
  const [y, mo, d] = day.split('-');
  return `${d}/${mo}/${y}`;
}

export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

const CSS = `
@font-face { font-family: 'Be Vietnam Pro'; font-weight: 400; src: url(/fonts/be-vietnam-pro-vietnamese-400-normal.woff2) format('woff2'); unicode-range: U+0102-0103, U+0110-0111, U+0128-0129, U+0168-0169, U+01A0-01A1, U+01AF-01B0, U+0300-0301, U+0303-0304, U+0308-0309, U+0323, U+0329, U+1EA0-1EF9, U+20AB; }
@font-face { font-family: 'Be Vietnam Pro'; font-weight: 400; src: url(/fonts/be-vietnam-pro-latin-400-normal.woff2) format('woff2'); }
@font-face { font-family: 'Be Vietnam Pro'; font-weight: 600; src: url(/fonts/be-vietnam-pro-vietnamese-600-normal.woff2) format('woff2'); unicode-range: U+0102-0103, U+0110-0111, U+0128-0129, U+0168-0169, U+01A0-01A1, U+01AF-01B0, U+0300-0301, U+0303-0304, U+0308-0309, U+0323, U+0329, U+1EA0-1EF9, U+20AB; }
@font-face { font-family: 'Be Vietnam Pro'; font-weight: 600; src: url(/fonts/be-vietnam-pro-latin-600-normal.woff2) format('woff2'); }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
body { font-family: 'Be Vietnam Pro', 'Segoe UI', Roboto, sans-serif; font-size: 14px; color: #1c2733;
  background: #eef2f6; display: flex; flex-direction: column; height: 100vh; overflow: hidden; }
.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; padding: 14px 24px;
  background: #0f3d6e; color: #fff; }
.top h1 { margin: 0; font-size: 20px; font-weight: 600; }
.top .sub { margin: 2px 0 0; font-size: 13px; opacity: .8; }
.meta { display: flex; flex-direction: column; align-items: flex-end; gap: 2px; font-size: 13px; white-space: nowrap; }
.link::before { content: '●'; margin-right: 6px; }
.link.ok::before { color: #6fdc8c; } .link.bad::before { color: #ffb347; }
.offline-note { display: none; color: #ffd28a; }
body.stale .offline-note { display: inline; }
.tiles { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; padding: 14px 24px 0; }
.tile { background: #fff; border-radius: 8px; padding: 10px 14px; border-left: 4px solid #9fb3c8;
  display: flex; flex-direction: column; color: inherit; text-decoration: none; min-width: 0; }
.tile .label { font-size: 12px; color: #52606d; }
.tile .value { font-size: 24px; font-weight: 600; }
.tile.ok { border-left-color: #2f9e5b; } .tile.warn { border-left-color: #e08a00; } .tile.bad { border-left-color: #c8372d; }
.panels { flex: 1; min-height: 0; display: grid; gap: 14px; padding: 14px 24px 18px;
  grid-template-columns: 1fr; grid-template-rows: 1fr 1fr; }
@media (min-width: 1600px) { .panels { grid-template-columns: 1.15fr 1fr; grid-template-rows: 1fr; } }
.panel { background: #fff; border-radius: 8px; display: flex; flex-direction: column; min-height: 0; min-width: 0;
  box-shadow: 0 1px 2px rgba(16, 42, 67, .08); }
.panel-head { display: flex; justify-content: space-between; align-items: center; gap: 12px; padding: 10px 16px 6px; }
.panel h2 { margin: 0; font-size: 16px; font-weight: 600; color: #0f3d6e; }
.hint, .targets { font-size: 12px; color: #52606d; }
.targets { margin: 0 16px 6px; }
.day { display: flex; gap: 6px; align-items: center; font-size: 13px; }
.day select, .day button { font: inherit; font-size: 13px; padding: 2px 6px; }
.scroll { flex: 1; min-height: 0; overflow: auto; padding: 0 8px 8px; }
table.grid { width: 100%; border-collapse: collapse; }
.grid th { position: sticky; top: 0; background: #f5f7fa; text-align: left; font-weight: 600; font-size: 12px;
  color: #334e68; padding: 7px 8px; border-bottom: 1px solid #d9e2ec; white-space: nowrap; }
.grid td { padding: 7px 8px; border-bottom: 1px solid #eef2f6; white-space: nowrap; }
.grid .n { text-align: right; font-variant-numeric: tabular-nums; }
.grid .centre { font-weight: 600; max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
.grid .centre .id { display: block; font-weight: 400; font-size: 12px; color: #5b6675; }
.grid .src, .grid .when { color: #52606d; font-size: 12px; }
.chip { display: inline-block; padding: 1px 10px; border-radius: 10px; font-size: 12px; font-weight: 600; }
.chip.online { background: #e3f6ea; color: #1f7a43; }
.chip.lost { background: #fff1d6; color: #9a5b00; }
.chip.offline { background: #fde4e1; color: #a8281f; }
tr.offline td:not(:nth-child(2)), tr.offline td span:not(.chip),
tr.lost td:not(:nth-child(2)), tr.lost td span:not(.chip) { color: #829ab1; font-weight: 400; }
tr.lost td.centre, tr.offline td.centre { font-weight: 600; }
.good { color: #1f7a43; } .over { color: #b3261e; font-weight: 600; } .na { color: #9fb3c8; }
.age { color: #52606d; font-size: 12px; }
.met { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 10px; }
.met.m2 { background: #e3f6ea; color: #1f7a43; } .met.m1 { background: #fff1d6; color: #9a5b00; }
.met.m0 { background: #fde4e1; color: #a8281f; }
.rank { font-weight: 600; }
.empty { text-align: center; color: #829ab1; padding: 24px; }
`;
