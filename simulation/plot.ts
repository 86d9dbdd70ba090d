/**
 * The day as a picture: a self-contained SVG of the tickets waiting (and staff on duty) through the
 * day, and the wait of the citizens called in each quarter hour (median and 90th percentile) against
 * the target.
 */
import { type DayResult, MIN } from './day.ts';
import { quantile } from './kpis.ts';

const W = 960;
const H = 420;
const PAD = { left: 56, right: 64, top: 40, bottom: 44 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function plotDay(day: DayResult, title: string): string {
  const start = day.opensAt;
  const end = Math.max(start + 60 * MIN, day.timeline.at(-1)?.at ?? start);
  const x = (at: number) => PAD.left + ((at - start) / (end - start)) * (W - PAD.left - PAD.right);
  const maxCount = Math.max(5, ...day.timeline.map((p) => Math.max(p.waiting, p.onDuty)));
  const yCount = (n: number) => H - PAD.bottom - (n / maxCount) * (H - PAD.top - PAD.bottom);

  const quarter = 15 * MIN;
  const buckets = new Map<number, number[]>();
  for (const t of day.tickets) {
    if (t.firstCalledAt === undefined) continue;
    const b = Math.floor((t.firstCalledAt - start) / quarter);
    const list = buckets.get(b) ?? [];
    list.push((t.firstCalledAt - t.waitFrom) / MIN);
    buckets.set(b, list);
  }
  const target = day.config.queue.waitTargetMinutes;
  const waitRows = [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([b, ws]) => ({ at: start + (b + 0.5) * quarter, p50: quantile(ws, 0.5), p90: quantile(ws, 0.9) }));
  const maxWait = Math.max(target * 2, ...waitRows.map((r) => r.p90));
  const yWait = (m: number) => H - PAD.bottom - (m / maxWait) * (H - PAD.top - PAD.bottom);

  const line = (pts: [number, number][]) =>
    pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join('');
  const waiting = line(day.timeline.map((p) => [x(p.at), yCount(p.waiting)]));
  const duty = line(day.timeline.map((p) => [x(p.at), yCount(p.onDuty)]));
  const p50 = line(waitRows.map((r) => [x(r.at), yWait(r.p50)]));
  const p90 = line(waitRows.map((r) => [x(r.at), yWait(r.p90)]));

  const ticks: string[] = [];
  const hourMs = 60 * MIN;
  for (let at = start; at <= end; at += hourMs) {
    const local = new Date(at + 7 * hourMs);
    const label = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
    ticks.push(
      `<line x1="${x(at)}" x2="${x(at)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#e5e7eb"/>` +
        `<text x="${x(at)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${label}</text>`,
    );
  }
  const countTicks: string[] = [];
  for (let n = 0; n <= maxCount; n += Math.max(1, Math.ceil(maxCount / 5))) {
    countTicks.push(`<text x="${PAD.left - 8}" y="${yCount(n) + 4}" text-anchor="end">${n}</text>`);
  }
  const waitTicks: string[] = [];
  for (let m = 0; m <= maxWait; m += Math.max(5, Math.ceil(maxWait / 25) * 5)) {
    waitTicks.push(`<text x="${W - PAD.right + 8}" y="${yWait(m) + 4}">${m}′</text>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${PAD.left}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>
${ticks.join('\n')}
${countTicks.join('\n')}
${waitTicks.join('\n')}
<text x="14" y="${PAD.top - 8}">người</text>
<text x="${W - PAD.right + 4}" y="${PAD.top - 8}">phút chờ</text>
<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${yWait(target)}" y2="${yWait(target)}" stroke="#dc2626" stroke-dasharray="6 4"/>
<text x="${W - PAD.right - 4}" y="${yWait(target) - 4}" text-anchor="end" fill="#dc2626">mục tiêu ${target} phút</text>
<path d="${duty}" fill="none" stroke="#9ca3af" stroke-width="1.5"/>
<path d="${waiting}" fill="none" stroke="#2563eb" stroke-width="2"/>
<path d="${p50}" fill="none" stroke="#16a34a" stroke-width="2"/>
<path d="${p90}" fill="none" stroke="#ea580c" stroke-width="2"/>
<g transform="translate(${PAD.left + 10},${PAD.top + 6})">
<rect width="330" height="72" fill="#fff" stroke="#d1d5db"/>
<line x1="8" x2="28" y1="14" y2="14" stroke="#2563eb" stroke-width="2"/><text x="34" y="18">đang chờ (người) — waiting</text>
<line x1="8" x2="28" y1="30" y2="30" stroke="#9ca3af" stroke-width="1.5"/><text x="34" y="34">nhân viên làm việc — staff on duty</text>
<line x1="8" x2="28" y1="46" y2="46" stroke="#16a34a" stroke-width="2"/><text x="34" y="50">thời gian chờ, trung vị (phút) — median wait</text>
<line x1="8" x2="28" y1="62" y2="62" stroke="#ea580c" stroke-width="2"/><text x="34" y="66">thời gian chờ, 90 % (phút) — 90th percentile</text>
</g>
</svg>
`;
}
