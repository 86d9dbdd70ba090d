/**
 * The report as downloads. CSV for Excel: UTF-8 with a byte-order mark (Excel reads Vietnamese
 * right only with it), CRLF line ends, every field quoted, one header row in Vietnamese, numbers
 * with '.' decimals, shares in percent. XLSX (exceljs): a summary sheet with the centre and the
 * period on top, then one sheet per service, counter and staff member table.
 */
import type ExcelJS from 'exceljs';
import type { PeriodReport } from './period-report.ts';
import {
  allColumns,
  type Column,
  DECIMALS,
  figureColumns,
  LEVEL_LABELS,
  PRODUCTIVITY_COLUMNS,
  periodLabel,
  reportSections,
  SCOPE_LABELS,
  type Scope,
  type TableRow,
  TIME_COLUMNS,
  tableValue,
} from './report-table.ts';

const BOM = '\uFEFF';
const CRLF = '\r\n';

export function reportCsv(report: PeriodReport): string {
  const columns = allColumns(report.targetMinutes);
  const header = ['Phạm vi', 'Mã', 'Tên', ...columns.map((c) => c.header)];
  const sections = reportSections(report);
  const lines = [header.map(quote).join(',')];
  for (const scope of Object.keys(SCOPE_LABELS) as Scope[])
    for (const row of sections[scope]) {
      const values = columns.map((c) => {
        const v = applies(c, row) ? tableValue(c, row) : null;
        return v === null ? '' : v.toFixed(DECIMALS[c.unit]);
      });
      lines.push([SCOPE_LABELS[scope], row.id, row.name, ...values].map(quote).join(','));
    }
  return BOM + lines.join(CRLF) + CRLF;
}

/** A file name without accents or spaces, safe in a Content-Disposition header. */
export function reportFileName(report: PeriodReport, ext: 'csv' | 'xlsx'): string {
  const centre = report.centre.id.replace(/[^a-z0-9-]/g, '');
  return `bao-cao-${centre}-${report.period.id}.${ext}`;
}

export async function reportXlsx(report: PeriodReport): Promise<Buffer> {
  // Loaded on the first .xlsx download, not at start: ExcelJS alone is ~30 MB of resident memory.
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = report.centre.name;
  wb.created = new Date(report.generatedAt);
  const sections = reportSections(report);
  summarySheet(wb, report);
  const figures = figureColumns(report.targetMinutes);
  tableSheet(wb, report, 'Theo dịch vụ', 'Dịch vụ', sections.service, figures);
  tableSheet(wb, report, 'Theo quầy', 'Quầy', sections.counter, [...figures, ...TIME_COLUMNS]);
  tableSheet(wb, report, 'Theo cán bộ', 'Cán bộ', sections.staff, [
    ...figures,
    ...TIME_COLUMNS,
    ...PRODUCTIVITY_COLUMNS,
  ]);
  if (sections.day.length) tableSheet(wb, report, 'Theo ngày', 'Ngày', sections.day, figures);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Whether a column has a value for this kind of row (time for counters and staff, etc.). */
function applies(column: Column, row: TableRow): boolean {
  if (TIME_COLUMNS.includes(column)) return row.time !== undefined;
  if (PRODUCTIVITY_COLUMNS.includes(column)) return row.productivity !== undefined;
  return true;
}

function quote(field: string): string {
  return `"${field.replaceAll('"', '""')}"`;
}

const FORMATS: Record<Column['unit'], string> = {
  count: '#,##0',
  minutes: '0.0',
  hours: '0.00',
  share: '0.0%',
  number: '0.0',
};

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  bottom: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  left: { style: 'thin', color: { argb: 'FFBFBFBF' } },
  right: { style: 'thin', color: { argb: 'FFBFBFBF' } },
};

/** Centre name, period and the time of writing: the first rows of every sheet. */
function titleRows(ws: ExcelJS.Worksheet, report: PeriodReport, title: string, span: number): void {
  ws.addRow([report.centre.name]).font = { bold: true, size: 14 };
  ws.addRow([`${title} – ${periodLabel(report.period)}`]).font = { bold: true, size: 12 };
  const note = report.provisional
    ? ` (gồm ${report.provisional} lượt chưa chốt: còn trong thời gian đánh giá)`
    : '';
  ws.addRow([
    `Lập lúc ${new Date(report.generatedAt).toLocaleString('vi-VN', { timeZone: report.centre.timezone })}${note}`,
  ]).font = {
    italic: true,
    color: { argb: 'FF595959' },
  };
  for (const r of [1, 2, 3]) ws.mergeCells(r, 1, r, Math.max(2, span));
  ws.addRow([]);
}

function summarySheet(wb: ExcelJS.Workbook, report: PeriodReport): void {
  const ws = wb.addWorksheet('Tổng hợp', {
    pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [{ width: 46 }, { width: 18 }];
  titleRows(ws, report, 'Báo cáo tổng hợp', 2);
  const header = ws.addRow(['Chỉ tiêu', 'Giá trị']);
  styleHeader(header);
  const row: TableRow = reportSections(report).centre[0] as TableRow;
  const add = (label: string, value: number | null, format: string) => {
    const r = ws.addRow([label, value]);
    r.getCell(2).numFmt = format;
    r.eachCell((c) => {
      c.border = THIN;
    });
  };
  for (const c of [...figureColumns(report.targetMinutes), ...TIME_COLUMNS])
    add(c.header, cellValue(c, row), FORMATS[c.unit]);
  const p = report.total.productivity;
  add('Số cán bộ có phục vụ', report.total.staff.count, FORMATS.count);
  add('Hồ sơ bình quân mỗi cán bộ', p.dossiersPerStaff, FORMATS.number);
  add(`Chỉ tiêu năm mỗi cán bộ (${LEVEL_LABELS[p.level]})`, p.yearlyTarget, FORMATS.count);
  add(
    `Chỉ tiêu mỗi cán bộ trong kỳ (${p.yearlyTarget} × ${report.period.daysCounted} ngày ÷ 365)`,
    p.targetPerStaff,
    FORMATS.number,
  );
  add('Tỷ lệ đạt chỉ tiêu (%)', p.share, FORMATS.share);
}

function tableSheet(
  wb: ExcelJS.Workbook,
  report: PeriodReport,
  name: string,
  first: string,
  rows: TableRow[],
  columns: Column[],
): void {
  const ws = wb.addWorksheet(name, {
    views: [{ state: 'frozen', xSplit: 2, ySplit: 5 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  ws.columns = [
    { width: 14 },
    { width: 30 },
    ...columns.map((c) => ({ width: Math.max(11, Math.min(22, c.header.length * 0.6)) })),
  ];
  titleRows(ws, report, `Báo cáo theo ${first.toLowerCase()}`, columns.length + 2);
  const header = ws.addRow(['Mã', first, ...columns.map((c) => c.header)]);
  styleHeader(header);
  header.height = 45;
  for (const row of rows) {
    const r = ws.addRow([row.id, row.name, ...columns.map((c) => cellValue(c, row))]);
    columns.forEach((c, i) => {
      r.getCell(i + 3).numFmt = FORMATS[c.unit];
    });
    r.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = THIN;
    });
  }
}

/** The value in a cell: shares as fractions (formatted as %), others rounded as in the CSV. */
function cellValue(c: Column, row: TableRow): number | null {
  if (!applies(c, row)) return null;
  const v = tableValue(c, row);
  if (v === null) return null;
  return c.unit === 'share' ? Math.round(v * 10) / 1000 : v;
}

function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
    cell.font = HEADER_FONT;
    cell.alignment = { wrapText: true, vertical: 'middle', horizontal: 'center' };
    cell.border = THIN;
  });
}
