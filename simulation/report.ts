/** KPIs as the text tables the simulator and the policy benchmark print. */
import type { Kpis } from './kpis.ts';

export function minutes(m: number): string {
  return `${m.toFixed(1)} min`;
}

export function percent(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)} %`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export function kpiTable(k: Kpis, target: number): string {
  const rows: [string, string][] = [
    ['tickets', String(k.tickets)],
    ['called / never called', `${k.called} / ${k.unserved}`],
    ['mean wait', minutes(k.meanWait)],
    ['median wait', minutes(k.medianWait)],
    ['90th percentile wait', minutes(k.p90Wait)],
    [`within ${target} min`, percent(k.withinTarget)],
    ['longest wait', minutes(k.longestWait)],
    ['priority visitors within target', percent(k.priorityWithin)],
    [`worst service within target (${k.worstServiceWithin.serviceId})`, percent(k.worstServiceWithin.share)],
    ['staff utilisation', percent(k.utilisation)],
    ['dossiers per staff member', k.dossiersPerStaff.toFixed(1)],
    ['estimate at issue: mean absolute error', minutes(k.estimate.mae)],
    ['estimate at issue: range coverage', percent(k.estimate.coverage)],
    ['estimate at issue: mean range width', minutes(k.estimate.meanWidth)],
    ['naive estimate: mean absolute error', minutes(k.estimate.naiveMae)],
  ];
  return table(['KPI', 'value'], rows);
}
