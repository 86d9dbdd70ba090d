/**
 * The day's charts with chart.js. Only the parts used are registered, so the bundle carries no
 * unused chart types; animation is off (the data refreshes often, and a TV needs no motion).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { DashboardView } from './dashboard-data.ts';
import { timeAxis } from './time-axis.ts';

/** The screens show Vietnam time (format.ts): ticks fall on its round hours. */
const VIETNAM_OFFSET_MS = 7 * 3_600_000;

Chart.register(
  LineController,
  LineElement,
  PointElement,
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  Tooltip,
  Legend,
);
Chart.defaults.font.family = '"Be Vietnam Pro", "Noto Sans", sans-serif';
Chart.defaults.font.size = 14;
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

const INK = '#14213d';
const BRAND = '#b3261e';
const ACCENT = '#c58f00';

/** A canvas whose chart is built once and then fed new data. */
function useChart(config: () => ChartConfiguration, deps: unknown[]) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const next = config();
    if (chart.current && chart.current.canvas !== canvas.current) {
      chart.current.destroy(); // the canvas was replaced (the chart was empty for a while)
      chart.current = null;
    }
    if (!chart.current) chart.current = new Chart(canvas.current, next);
    else {
      chart.current.data = next.data;
      chart.current.options = next.options ?? {};
      chart.current.update('none');
    }
  }, deps);
  useEffect(
    () => () => {
      chart.current?.destroy();
      chart.current = null;
    },
    [],
  );
  return canvas;
}

export function WaitingChart({ view }: { view: DashboardView }) {
  const { t, lang } = useLang();
  const points = view.series.waiting;
  const axis = timeAxis(
    points.map((p) => p.at),
    VIETNAM_OFFSET_MS,
  );
  const canvas = useChart(
    () => ({
      type: 'line',
      data: {
        datasets: [
          {
            label: t('Số người chờ', 'Waiting'),
            data: points.map((p) => ({ x: p.at, y: p.waiting })),
            borderColor: INK,
            backgroundColor: INK,
            yAxisID: 'y',
            tension: 0.2,
          },
          {
            label: t('Thời gian chờ TB (phút)', 'Average wait (min)'),
            data: points.map((p) => ({ x: p.at, y: p.averageWaitMinutes })),
            borderColor: BRAND,
            backgroundColor: BRAND,
            yAxisID: 'minutes',
            spanGaps: true,
            tension: 0.2,
          },
        ],
      },
      options: {
        parsing: false,
        scales: {
          // A real time scale: x in ms, so 30 s is 30 s wide and 15 min is 15 min wide.
          x: {
            type: 'linear',
            min: axis?.min,
            max: axis?.max,
            afterBuildTicks: (scale) => {
              scale.ticks = (axis?.ticks ?? []).map((value) => ({ value }));
            },
            ticks: { callback: (value) => clockTime(Number(value)), autoSkip: false },
          },
          y: {
            beginAtZero: true,
            ticks: { precision: 0 },
            title: { display: true, text: t('người', 'people') },
          },
          minutes: {
            position: 'right',
            beginAtZero: true,
            grid: { drawOnChartArea: false },
            title: { display: true, text: t('phút', 'minutes') },
          },
        },
        plugins: {
          legend: { position: 'bottom' },
          tooltip: { callbacks: { title: (items) => clockTime(Number(items[0]?.parsed.x ?? 0)) } },
        },
      },
    }),
    [points, lang],
  );
  return (
    <div
      class="mg-chart"
      data-testid="chart-waiting"
      data-x-ticks={axis?.ticks.map((tick) => clockTime(tick)).join(' ') ?? ''}
    >
      {points.length ? (
        <canvas ref={canvas} aria-label={t('Biểu đồ số người chờ', 'Waiting chart')} />
      ) : (
        <p class="mg-empty">{t('Chưa có lượt đến hôm nay.', 'No arrivals yet today.')}</p>
      )}
    </div>
  );
}

export function ArrivalsChart({ view }: { view: DashboardView }) {
  const { t, lang } = useLang();
  const hours = view.series.arrivalsPerHour;
  const canvas = useChart(
    () => ({
      type: 'bar',
      data: {
        labels: hours.map((h) => `${h.hour}h`),
        datasets: [
          {
            label: t('Lượt đến', 'Arrivals'),
            data: hours.map((h) => h.arrivals),
            backgroundColor: ACCENT,
          },
        ],
      },
      options: {
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: false } },
      },
    }),
    [hours, lang],
  );
  return (
    <div class="mg-chart" data-testid="chart-arrivals">
      {hours.length ? (
        <canvas ref={canvas} aria-label={t('Biểu đồ lượt đến theo giờ', 'Arrivals per hour chart')} />
      ) : (
        <p class="mg-empty">{t('Chưa có lượt đến hôm nay.', 'No arrivals yet today.')}</p>
      )}
    </div>
  );
}
