/** Result rows, percentiles and the one table `npm run bench` prints (as Markdown, to paste into docs). */

export interface Row {
  name: string;
  ops: number;
  totalMs: number;
  /** Per-operation latencies in ms; omit where a single number per op is not meaningful. */
  samples?: number[];
  /** Percentiles measured elsewhere (a tool that keeps its own histogram), when there are no samples. */
  p50?: number;
  p99?: number;
  /** Anything else worth a column: fsync counts, queue sizes, why a run stopped early. */
  note?: string;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatTable(rows: readonly Row[]): string {
  const header = ['benchmark', 'ops', 'total ms', 'ops/s', 'p50 ms', 'p99 ms', 'notes'];
  const body = rows.map((row) => {
    const sorted = row.samples ? [...row.samples].sort((a, b) => a - b) : [];
    return [
      row.name,
      row.ops.toLocaleString('en-US'),
      ms(row.totalMs),
      rate((row.ops / row.totalMs) * 1000),
      row.samples ? ms(percentile(sorted, 50)) : ms(row.p50 ?? Number.NaN),
      row.samples ? ms(percentile(sorted, 99)) : ms(row.p99 ?? Number.NaN),
      row.note ?? '',
    ];
  });
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((cells) => (cells[i] as string).length)),
  );
  const numeric = [false, true, true, true, true, true, false];
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...body.map(line)].join('\n');
}
