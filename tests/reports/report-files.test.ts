/**
 * The downloads of the small day's report (report-day.ts): the CSV read back with a real CSV parser
 * and the .xlsx with exceljs, values compared with figures worked out by hand.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayPeriod } from '../../controller/reports/period.ts';
import type { PeriodReport } from '../../controller/reports/period-report.ts';
import { reportCsv, reportFileName, reportXlsx } from '../../controller/reports/report-files.ts';
import { ReportSource } from '../../controller/reports/report-source.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { at, config, DAY, pseudonym, smallDay, writeJournal } from './report-day.ts';

let report: PeriodReport;
const data = tempDataDir('report-files-');

beforeAll(async () => {
  const { h } = smallDay();
  const source = new ReportSource({
    journalDir: writeJournal(data.dir, h.events),
    config: () => config,
    pseudonym,
    clock: () => at(120),
  });
  report = await source.report(dayPeriod(DAY));
});
afterAll(() => data.remove());

describe('CSV for Excel', () => {
  it('is UTF-8 with a BOM, CRLF lines, quoted fields and a Vietnamese header row', () => {
    const csv = reportCsv(report);
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.slice(1).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(csv.slice(1).replaceAll('\r\n', '')).not.toContain('\n');
    expect(lines[0]?.startsWith('"Phạm vi","Mã","Tên","Lượt giao dịch"')).toBe(true);
    expect(reportFileName(report, 'csv')).toBe('bao-cao-test-centre-2026-11-23.csv');
  });

  it('reads back with a CSV parser to the figures worked out by hand', () => {
    const rows: Record<string, string>[] = parse(reportCsv(report), { bom: true, columns: true });
    const row = (scope: string, id: string) => {
      const r = rows.find((x) => x['Phạm vi'] === scope && x.Mã === id);
      if (!r) throw new Error(`no row ${scope} ${id}`);
      return r;
    };
    expect(rows.map((r) => `${r['Phạm vi']}:${r.Mã}`)).toEqual([
      'Toàn trung tâm:test-centre',
      'Dịch vụ:dat-dai',
      'Dịch vụ:ho-tich',
      'Dịch vụ:tra-kq',
      'Quầy:c1',
      'Quầy:c2',
      'Quầy:c3',
      'Cán bộ:ha',
      'Cán bộ:minh',
    ]);
    const centre = row('Toàn trung tâm', 'test-centre');
    expect(centre).toMatchObject({
      Tên: 'Bộ phận Một cửa thử nghiệm',
      'Lượt giao dịch': '6',
      'Số phiếu': '5',
      'Đã phục vụ': '3',
      'Vắng mặt': '1',
      'Chuyển tiếp': '1',
      'Đã hủy': '1',
      'Hết hạn cuối ngày': '0',
      'Chờ trung bình (phút)': '13.3', // 795 s = 13.25 min
      'Chờ trung vị (phút)': '12.5', // 750 s
      'Chờ phân vị 90 (phút)': '26.0', // 1560 s
      'Tỷ lệ chờ ≤ 15 phút (%)': '50.0',
      'Phục vụ trung bình (phút)': '12.7', // 760 s
      'Lượt đánh giá': '2',
      'Không hài lòng': '1',
      'Tỷ lệ hài lòng theo QĐ 766 (%)': '66.7', // 2 / 3
      'Tỷ lệ đánh giá hài lòng (%)': '50.0',
      'Có mặt tại quầy (giờ)': '1.58', // 95 min
      'Đang phục vụ (giờ)': '0.75', // 45 min
      'Chờ việc (giờ)': '0.67', // 40 min
      'Tạm dừng – Nghỉ giải lao (giờ)': '0.17', // 10 min
      'Tạm dừng – Họp (giờ)': '0.00',
      'Hồ sơ tiếp nhận': '3',
      'Chỉ tiêu trong kỳ': '6.6', // 2 staff × 1,200 ÷ 365 = 6.575
      'Tỷ lệ đạt chỉ tiêu (%)': '45.6', // 3 / 6.575
    });
    expect(row('Dịch vụ', 'dat-dai')).toMatchObject({
      Tên: 'Đất đai',
      'Chờ trung bình (phút)': '11.0', // 660 s
      'Phục vụ trung bình (phút)': '9.0', // 540 s
      'Có mặt tại quầy (giờ)': '', // services have no time
      'Hồ sơ tiếp nhận': '',
    });
    expect(row('Dịch vụ', 'tra-kq')).toMatchObject({ 'Chờ trung bình (phút)': '', 'Đã hủy': '1' });
    expect(row('Quầy', 'c1')).toMatchObject({
      Tên: 'Quầy 1',
      'Chờ việc (giờ)': '0.32', // 19 min
      'Đang phục vụ (giờ)': '0.35', // 21 min
      'Hồ sơ tiếp nhận': '',
    });
    expect(row('Cán bộ', 'ha')).toMatchObject({
      Tên: 'Nguyễn Thị Thu Hà',
      'Đã phục vụ': '2',
      'Có mặt tại quầy (giờ)': '0.83', // 50 min
      'Tạm dừng – Nghỉ giải lao (giờ)': '0.17',
      'Hồ sơ tiếp nhận': '2',
      'Chỉ tiêu trong kỳ': '3.3', // 1,200 ÷ 365
      'Tỷ lệ đạt chỉ tiêu (%)': '60.8', // 2 / 3.2877
    });
  });
});

describe('xlsx', () => {
  it('reads back with exceljs: sheets, title rows, headers and values', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportXlsx(report)).buffer as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      'Theo dịch vụ',
      'Theo quầy',
      'Theo cán bộ',
    ]);

    const summary = wb.getWorksheet('Tổng hợp') as ExcelJS.Worksheet;
    expect(summary.getCell('A1').value).toBe('Bộ phận Một cửa thử nghiệm');
    expect(summary.getCell('A2').value).toBe('Báo cáo tổng hợp – ngày 23/11/2026');
    const byLabel = new Map<string, ExcelJS.Cell>();
    summary.eachRow((r) => {
      byLabel.set(String(r.getCell(1).value), r.getCell(2));
    });
    expect(byLabel.get('Lượt giao dịch')?.value).toBe(6);
    expect(byLabel.get('Chờ trung bình (phút)')?.value).toBe(13.3);
    expect(byLabel.get('Tỷ lệ hài lòng theo QĐ 766 (%)')?.value).toBe(0.667);
    expect(byLabel.get('Tỷ lệ hài lòng theo QĐ 766 (%)')?.numFmt).toBe('0.0%');
    expect(byLabel.get('Hồ sơ bình quân mỗi cán bộ')?.value).toBe(1.5);
    expect(byLabel.get('Chỉ tiêu năm mỗi cán bộ (cấp huyện)')?.value).toBe(1200);

    const staff = wb.getWorksheet('Theo cán bộ') as ExcelJS.Worksheet;
    const header = staff.getRow(5).values as unknown[];
    expect(header.slice(1, 4)).toEqual(['Mã', 'Cán bộ', 'Lượt giao dịch']);
    expect(staff.getRow(5).getCell(1).font?.bold).toBe(true);
    const col = (name: string) => header.indexOf(name);
    const ha = staff.getRow(6);
    expect(ha.getCell(2).value).toBe('Nguyễn Thị Thu Hà');
    expect(ha.getCell(col('Đã phục vụ')).value).toBe(2);
    expect(ha.getCell(col('Chờ việc (giờ)')).value).toBe(0.32);
    expect(ha.getCell(col('Tỷ lệ đạt chỉ tiêu (%)')).value).toBe(0.608);
    const minh = staff.getRow(7);
    expect(minh.getCell(2).value).toBe('Trần Văn Minh');
    expect(minh.getCell(col('Có mặt tại quầy (giờ)')).value).toBe(0.75); // 45 min

    const services = wb.getWorksheet('Theo dịch vụ') as ExcelJS.Worksheet;
    expect(services.getRow(6).getCell(2).value).toBe('Đất đai');
    expect(services.getRow(8).getCell(2).value).toBe('Trả kết quả');
    expect(services.getColumn(2).width).toBeGreaterThan(20);
  });
});
