/**
 * The centre's report, printable on A4 (browser print): a day or a month, chosen with the pickers
 * (the address keeps the choice: /reports?day=YYYY-MM-DD or ?month=YYYY-MM), with CSV and Excel
 * downloads. Managers only: others see the sign-in. The printed report is in Vietnamese, an
 * official document of the centre; the toolbar follows the language switch.
 */
import { useEffect, useState } from 'preact/hooks';
import type { PeriodReport } from '../../../controller/reports/period-report.ts';
import {
  type Column,
  DECIMALS,
  figureColumns,
  LEVEL_LABELS,
  PAUSE_LABELS,
  PRODUCTIVITY_COLUMNS,
  periodLabel,
  reportSections,
  type TableRow,
  TIME_COLUMNS,
  tableValue,
} from '../../../controller/reports/report-table.ts';
import { SignIn } from '../manager/SignIn.tsx';
import { api } from '../shared/api.ts';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';
import { useLang } from '../shared/i18n.ts';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { useSession } from '../shared/session.ts';

type Kind = 'day' | 'month';
interface Choice {
  kind: Kind;
  value: string;
}

const TIME_ZONE = 'Asia/Ho_Chi_Minh';

function todayHere(): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(Date.now());
}

function choiceFromUrl(): Choice {
  const q = new URLSearchParams(location.search);
  const month = q.get('month');
  if (month) return { kind: 'month', value: month };
  return { kind: 'day', value: q.get('day') ?? todayHere() };
}

function reportPath(c: Choice, format?: 'csv' | 'xlsx'): string {
  const base = c.kind === 'day' ? `/reports/daily?day=${c.value}` : `/reports/monthly?month=${c.value}`;
  return format ? `${base}&format=${format}` : base;
}

export function ReportsApp() {
  const session = useSession();
  const { t } = useLang();
  if (session.loading) return <p class="rp-loading">{t('Đang tải…', 'Loading…')}</p>;
  if (session.user?.role !== 'manager')
    return (
      <>
        <ConnectionBanner />
        <SignIn onLogin={session.login} />
      </>
    );
  return <Reports />;
}

function Reports() {
  const { t } = useLang();
  const [choice, setChoice] = useState<Choice>(choiceFromUrl);
  const [report, setReport] = useState<PeriodReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const q = choice.kind === 'day' ? `?day=${choice.value}` : `?month=${choice.value}`;
    history.replaceState(null, '', `/reports${q}`);
    let live = true;
    setLoading(true);
    setError(null);
    api<PeriodReport>('GET', reportPath(choice))
      .then((r) => {
        if (!live) return;
        setReport(r);
        document.title = `Báo cáo ${periodLabel(r.period)} – ${r.centre.name}`;
      })
      .catch((e: Error) => {
        if (!live) return;
        setReport(null);
        setError(e.message);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [choice]);

  const switchKind = (kind: Kind) => {
    if (kind === choice.kind) return;
    const today = todayHere();
    const value = kind === 'month' ? choice.value.slice(0, 7) || today.slice(0, 7) : `${choice.value}-01`;
    setChoice({ kind, value: kind === 'day' && value > today ? today : value });
  };

  return (
    <div class="rp-page">
      <ConnectionBanner />
      <nav class="rp-toolbar" data-testid="toolbar">
        <a href="/manager" class="rp-back">
          ← {t('Bảng điều hành', 'Dashboard')}
        </a>
        <fieldset class="rp-kind">
          <legend class="visually-hidden">{t('Kỳ báo cáo', 'Period')}</legend>
          {(['day', 'month'] as const).map((k) => (
            <label key={k} class={choice.kind === k ? 'on' : ''}>
              <input
                type="radio"
                name="kind"
                value={k}
                checked={choice.kind === k}
                onChange={() => switchKind(k)}
                data-testid={`kind-${k}`}
              />
              {k === 'day' ? t('Theo ngày', 'Daily') : t('Theo tháng', 'Monthly')}
            </label>
          ))}
        </fieldset>
        <label class="rp-picker">
          <span>{choice.kind === 'day' ? t('Ngày', 'Day') : t('Tháng', 'Month')}</span>
          <input
            type={choice.kind === 'day' ? 'date' : 'month'}
            value={choice.value}
            max={choice.kind === 'day' ? todayHere() : todayHere().slice(0, 7)}
            onChange={(e) => {
              const value = (e.target as HTMLInputElement).value;
              if (value) setChoice({ kind: choice.kind, value });
            }}
            data-testid="period-input"
          />
        </label>
        <span class="rp-spacer" />
        <button type="button" class="rp-print" onClick={() => window.print()} disabled={!report}>
          {t('In báo cáo', 'Print')}
        </button>
        <a class="rp-download" href={`/api${reportPath(choice, 'csv')}`} download data-testid="download-csv">
          {t('Tải CSV', 'CSV')}
        </a>
        <a
          class="rp-download"
          href={`/api${reportPath(choice, 'xlsx')}`}
          download
          data-testid="download-xlsx"
        >
          {t('Tải Excel', 'Excel')}
        </a>
        <LangSwitch />
      </nav>
      {error && (
        <p class="rp-error" role="alert" data-testid="report-error">
          {t('Không lập được báo cáo', 'Cannot make the report')}: {error}
        </p>
      )}
      {loading && !report && <p class="rp-loading">{t('Đang lập báo cáo…', 'Making the report…')}</p>}
      {report && <ReportSheet report={report} />}
    </div>
  );
}

// ---- the printable sheet (Vietnamese) ----

const number = (decimals: number) =>
  new Intl.NumberFormat('vi-VN', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });

function cell(column: Column, row: TableRow): string {
  const v = tableValue(column, row);
  if (v === null) return '–';
  const text = number(DECIMALS[column.unit]).format(v);
  return column.unit === 'share' ? `${text} %` : text;
}

/** Short headers for the printed tables (the full ones are in the downloads and docs/reports.md). */
const SHORT: Record<string, string> = {
  visits: 'Lượt',
  served: 'Phục vụ',
  noShow: 'Vắng mặt',
  transferred: 'Chuyển',
  cancelled: 'Hủy',
  waitMean: 'Chờ TB (phút)',
  waitMedian: 'Chờ trung vị (phút)',
  waitP90: 'Chờ P90 (phút)',
  serviceMean: 'Phục vụ TB (phút)',
  rate766: 'Hài lòng QĐ 766',
  satisfiedShare: 'Đánh giá hài lòng',
  paperRated: 'Phiếu giấy',
  present: 'Có mặt (giờ)',
  serving: 'Phục vụ (giờ)',
  idle: 'Chờ việc (giờ)',
  dossiers: 'Hồ sơ',
  dossierTarget: 'Chỉ tiêu kỳ',
  dossierShare: 'Đạt chỉ tiêu',
};

function Table(props: {
  testid: string;
  first: string;
  rows: TableRow[];
  columns: Column[];
  targetMinutes: number;
  label?: (row: TableRow) => string;
}) {
  const header = (c: Column) =>
    c.key === 'withinTarget'
      ? `Chờ ≤ ${props.targetMinutes} phút`
      : c.key.startsWith('paused-')
        ? `Tạm dừng: ${PAUSE_LABELS.find(([r]) => `paused-${r}` === c.key)?.[1] ?? ''} (giờ)`
        : (SHORT[c.key] ?? c.header);
  return (
    <table class="rp-table" data-testid={props.testid}>
      <thead>
        <tr>
          <th class="rp-name">{props.first}</th>
          {props.columns.map((c) => (
            <th key={c.key}>{header(c)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.id} data-row={row.id}>
            <td class="rp-name">{props.label ? props.label(row) : row.name}</td>
            {props.columns.map((c) => (
              <td key={c.key} data-col={c.key}>
                {cell(c, row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function pick(columns: Column[], keys: string[]): Column[] {
  return keys.map((k) => columns.find((c) => c.key === k)).filter((c): c is Column => c !== undefined);
}

function ReportSheet({ report }: { report: PeriodReport }) {
  const s = reportSections(report);
  const centre = s.centre[0] as TableRow;
  const figures = figureColumns(report.targetMinutes);
  const all = [...figures, ...TIME_COLUMNS, ...PRODUCTIVITY_COLUMNS];
  const p = report.total.productivity;
  const made = new Intl.DateTimeFormat('vi-VN', {
    timeZone: TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hourCycle: 'h23',
  }).format(report.generatedAt);
  const headline: [string, string, string][] = [
    ['Lượt giao dịch', cell(pick(all, ['visits'])[0] as Column, centre), 'visits'],
    ['Đã phục vụ', cell(pick(all, ['served'])[0] as Column, centre), 'served'],
    ['Chờ trung bình', `${cell(pick(all, ['waitMean'])[0] as Column, centre)} phút`, 'waitMean'],
    [
      `Chờ ≤ ${report.targetMinutes} phút`,
      cell(pick(all, ['withinTarget'])[0] as Column, centre),
      'withinTarget',
    ],
    ['Hài lòng (QĐ 766)', cell(pick(all, ['rate766'])[0] as Column, centre), 'rate766'],
    [
      'Hồ sơ / cán bộ',
      p.dossiersPerStaff === null ? '–' : number(1).format(p.dossiersPerStaff),
      'dossiersPerStaff',
    ],
  ];
  const summaryRows: [string, string][] = [
    ...pick(all, [
      'tickets',
      'noShow',
      'transferred',
      'cancelled',
      'expired',
      'waitMedian',
      'waitP90',
      'serviceMean',
      'rated',
      'notSatisfied',
      'satisfiedShare',
      // Paper forms recorded by staff: counted apart from the citizens' own ratings above.
      'paperRated',
      'rate766WithPaper',
      'satisfiedShareWithPaper',
      'present',
      'serving',
      'idle',
      ...PAUSE_LABELS.map(([r]) => `paused-${r}`),
    ]).map((c): [string, string] => [c.header, cell(c, centre)]),
    ['Số cán bộ có phục vụ', String(report.total.staff.count)],
    [`Chỉ tiêu năm mỗi cán bộ (${LEVEL_LABELS[p.level]})`, number(0).format(p.yearlyTarget)],
    [
      `Chỉ tiêu mỗi cán bộ trong kỳ (${number(0).format(p.yearlyTarget)} × ${report.period.daysCounted} ngày ÷ 365)`,
      number(1).format(p.targetPerStaff),
    ],
    ['Tỷ lệ đạt chỉ tiêu hồ sơ', p.share === null ? '–' : `${number(1).format(p.share * 100)} %`],
  ];
  const half = Math.ceil(summaryRows.length / 2);
  const days = s.day.filter((d) => d.figures.visits > 0);
  const staffName = (row: TableRow) => row.name;

  return (
    <article class="rp-sheet" data-testid="report">
      <header class="rp-head">
        <p class="rp-centre" data-testid="report-centre">
          {report.centre.name}
        </p>
        <h1>BÁO CÁO KẾT QUẢ PHỤC VỤ TỔ CHỨC, CÔNG DÂN</h1>
        <p class="rp-period" data-testid="report-period">
          {periodLabel(report.period).replace(/^./, (c) => c.toUpperCase())}
          {report.period.daysCounted < report.period.daysInPeriod &&
            ` (tính đến hết ngày ${String(report.period.daysCounted).padStart(2, '0')}/${report.period.id.slice(5, 7)})`}
        </p>
        <p class="rp-made">
          Lập lúc {made}
          {report.provisional > 0 && ` · gồm ${report.provisional} lượt còn trong thời gian đánh giá`}
        </p>
      </header>

      <section class="rp-headline">
        {headline.map(([label, value, key]) => (
          <div key={key} class="rp-kpi" data-testid={`kpi-${key}`}>
            <span class="rp-kpi-value">{value}</span>
            <span class="rp-kpi-label">{label}</span>
          </div>
        ))}
      </section>

      <h2>1. Tổng hợp toàn trung tâm</h2>
      <div class="rp-summary" data-testid="summary">
        {[summaryRows.slice(0, half), summaryRows.slice(half)].map((part, i) => (
          <table key={i} class="rp-table rp-kv">
            <tbody>
              {part.map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td>{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>

      <h2>2. Theo dịch vụ</h2>
      <Table
        testid="table-services"
        first="Dịch vụ"
        rows={s.service}
        targetMinutes={report.targetMinutes}
        columns={pick(figures, [
          'visits',
          'served',
          'noShow',
          'transferred',
          'waitMean',
          'waitMedian',
          'waitP90',
          'withinTarget',
          'serviceMean',
          'rate766',
          'satisfiedShare',
        ])}
      />

      <h2>3. Theo quầy</h2>
      <Table
        testid="table-counters"
        first="Quầy"
        rows={s.counter}
        targetMinutes={report.targetMinutes}
        columns={pick(all, [
          'visits',
          'served',
          'noShow',
          'waitMean',
          'withinTarget',
          'serviceMean',
          'rate766',
          'paperRated',
          'present',
          'serving',
          'idle',
        ])}
      />

      <h2>4. Theo cán bộ</h2>
      <Table
        testid="table-staff"
        first="Cán bộ"
        rows={s.staff}
        label={staffName}
        targetMinutes={report.targetMinutes}
        columns={pick(all, [
          'visits',
          'served',
          'noShow',
          'transferred',
          'waitMean',
          'serviceMean',
          'rate766',
          'satisfiedShare',
          'paperRated',
          'dossiers',
          'dossierTarget',
          'dossierShare',
        ])}
      />

      <h2>5. Thời gian làm việc của cán bộ</h2>
      <Table
        testid="table-staff-time"
        first="Cán bộ"
        rows={s.staff}
        label={staffName}
        targetMinutes={report.targetMinutes}
        columns={TIME_COLUMNS}
      />

      {report.period.kind === 'month' && (
        <>
          <h2>6. Theo ngày</h2>
          {days.length ? (
            <Table
              testid="table-days"
              first="Ngày"
              rows={days}
              label={(r) => r.id.split('-').reverse().join('/')}
              targetMinutes={report.targetMinutes}
              columns={pick(figures, [
                'visits',
                'served',
                'noShow',
                'waitMean',
                'waitP90',
                'withinTarget',
                'serviceMean',
                'rate766',
              ])}
            />
          ) : (
            <p class="rp-note">Không có lượt giao dịch nào trong tháng.</p>
          )}
        </>
      )}

      <p class="rp-note">
        Thời gian chờ: từ khi lấy số đến lần gọi đầu tiên (lượt đầu của mỗi phiếu). Tỷ lệ hài lòng theo QĐ
        766/QĐ-TTg = (lượt phục vụ − lượt “không hài lòng”) ÷ lượt phục vụ. Chỉ tiêu hồ sơ:{' '}
        {number(0).format(p.yearlyTarget)} hồ sơ/cán bộ/năm ({LEVEL_LABELS[p.level]}) × số ngày của kỳ ÷ 365.
        “Chờ việc”: cán bộ đã đăng nhập, quầy mở, không có công dân được gọi hay đang phục vụ. Đánh giá và tỷ
        lệ hài lòng chỉ tính đánh giá của công dân trên bàn phím và trang phiếu (mã QR), như số liệu gửi lên
        tỉnh; “Phiếu giấy”: phiếu đánh giá giấy do cán bộ ghi lại, tính riêng.
      </p>

      <footer class="rp-sign">
        <div>
          <strong>Người lập biểu</strong>
          <span>(Ký, ghi rõ họ tên)</span>
        </div>
        <div>
          <strong>Thủ trưởng đơn vị</strong>
          <span>(Ký tên, đóng dấu)</span>
        </div>
      </footer>
    </article>
  );
}
