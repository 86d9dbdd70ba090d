/** Input reports as USB HID POS scanners and vendor-mode keypads send them (node-hid hands Buffers). */

/** One 64-byte Scanned Data Report in the Honeywell / Access-IS layout. */
export function posReport(
  data: Uint8Array | string,
  options: { symbology?: string | null; continued?: boolean; reportId?: number; length?: number } = {},
): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (bytes.length > 56) throw new Error('a report carries at most 56 bytes');
  const report = Buffer.alloc(64);
  report[0] = options.reportId ?? 0x02;
  report[1] = options.length ?? bytes.length;
  const symbology = options.symbology === undefined ? ']Q1' : options.symbology;
  if (symbology) report.write(symbology, 2, 'latin1');
  bytes.copy(report, 5);
  report[61] = 0x73; // Honeywell's own code id for QR ('s'): ignored
  report[63] = options.continued ? 0x01 : 0x00;
  return report;
}

/** A code as the scanner splits it: 56 bytes per report, the "continued" bit on all but the last. */
export function posReports(code: string, symbology: string | null = ']Q1'): Buffer[] {
  const bytes = Buffer.from(code, 'utf8');
  const reports: Buffer[] = [];
  for (let at = 0; at < bytes.length || reports.length === 0; at += 56) {
    const part = bytes.subarray(at, at + 56);
    reports.push(posReport(part, { symbology, continued: at + 56 < bytes.length }));
  }
  return reports;
}

/** A vendor-mode keypad report: report id 0, then the key code (0 for a release). */
export function keyReport(key: number): Buffer {
  return Buffer.from([0x00, key, 0, 0, 0, 0, 0, 0]);
}

/** A chip ID card's QR: id|old id|name|birth ddmmyyyy|gender|address|issue date (about 100 UTF-8 bytes). */
export const CCCD_ID = '001099012345';
export const CCCD_QR = `${CCCD_ID}|012345678|Nguyễn Văn An|15081960|Nam|Số 1 Trần Phú, Hội An, Quảng Nam|01052021`;
