import { describe, expect, it } from 'vitest';
import {
  HID_POS_LAYOUT,
  PosScannerDecoder,
  type PosScannerLayout,
  parsePosScannerReport,
} from '../../devices/hid/pos-scanner-report.ts';
import { CCCD_QR, posReport, posReports } from './reports.ts';

function decoder(options: ConstructorParameters<typeof PosScannerDecoder>[0] = {}) {
  const rejected: string[] = [];
  const d = new PosScannerDecoder({
    ...options,
    onReject: (kind, detail) => rejected.push(`${kind}: ${detail}`),
  });
  return { d, rejected };
}

describe('parsePosScannerReport', () => {
  it('reads the symbology, the counted data bytes and the continued bit of one report', () => {
    const report = posReport('8934563138165', { symbology: ']E0' });
    expect(report).toHaveLength(64);
    const part = parsePosScannerReport(report);
    expect(part).toMatchObject({ symbology: ']E0', continued: false });
    expect(Buffer.from(part?.data ?? []).toString()).toBe('8934563138165');
    expect(parsePosScannerReport(posReport('x'.repeat(56), { continued: true }))?.continued).toBe(true);
  });

  it('accepts the number arrays of node-hid sync reads, and no symbology', () => {
    const part = parsePosScannerReport([...posReport('ABC-123', { symbology: null })]);
    expect(part?.symbology).toBeNull();
    expect(Buffer.from(part?.data ?? []).toString()).toBe('ABC-123');
  });

  it('refuses garbage instead of throwing', () => {
    const good = posReport('HS-001');
    const garbage: unknown[] = [
      undefined,
      null,
      'HS-001',
      {},
      [1, 2, 300],
      Buffer.alloc(0),
      posReport('HS-001', { reportId: 0x04 }), // another report
      good.subarray(0, 40), // cut short: no room for the continued flag
      Buffer.from([0x02, 9, 0x5d, 0x51, 0x31, 0x41]), // claims more data than it has
      posReport('HS-001', { length: 57 }), // more than a report can carry
      Buffer.concat([Buffer.from([0x02, 1, 0x5d, 0x07, 0x31]), Buffer.alloc(59)]), // control char in the AIM id
    ];
    for (const report of garbage) expect(parsePosScannerReport(report)).toBeNull();
    for (let i = 0; i < 500; i++) {
      const random = Buffer.from(
        Array.from({ length: Math.floor(Math.random() * 70) }, () => Math.random() * 256),
      );
      expect(() => parsePosScannerReport(random)).not.toThrow();
      expect(() => new PosScannerDecoder().push(random)).not.toThrow();
    }
  });
});

describe('PosScannerDecoder', () => {
  it('gives a one-report code with its AIM symbology', () => {
    const { d, rejected } = decoder();
    expect(d.push(posReport('QMS-APPT:bk-2026-0001', { symbology: ']Q1' }))).toEqual({
      data: 'QMS-APPT:bk-2026-0001',
      symbology: ']Q1',
    });
    expect(d.push(posReport('8934563138165', { symbology: ']E0' }))).toEqual({
      data: '8934563138165',
      symbology: ']E0',
    });
    expect(rejected).toEqual([]);
  });

  it('joins a code sent in several reports, with a character split between two of them', () => {
    const { d, rejected } = decoder();
    const reports = posReports(CCCD_QR);
    expect(reports).toHaveLength(2);
    expect(reports[0]?.[63]).toBe(1);
    expect(d.push(reports[0])).toBeNull();
    expect(d.pending).toBe(true);
    expect(d.push(reports[1])).toEqual({ data: CCCD_QR, symbology: ']Q1' });
    expect(d.pending).toBe(false);
    expect(rejected).toEqual([]);
  });

  it('ends a code filling whole reports, also when the end comes as an empty report', () => {
    const code = 'A'.repeat(56) + 'B'.repeat(56);
    const { d } = decoder();
    const [first, second] = posReports(code);
    expect(d.push(first)).toBeNull();
    expect(d.push(second)).toEqual({ data: code, symbology: ']Q1' });
    expect(d.push(posReport('C'.repeat(56), { continued: true }))).toBeNull();
    expect(d.push(posReport(''))).toEqual({ data: 'C'.repeat(56), symbology: ']Q1' });
    expect(d.push(posReport(''))).toBeNull(); // an empty read alone is nothing
  });

  it('removes the CR/LF suffix a scanner may be set to add', () => {
    const { d } = decoder();
    expect(d.push(posReport('HS-2026-000123\r\n'))?.data).toBe('HS-2026-000123');
    expect(d.push(posReport('\r'))).toBeNull();
  });

  it('drops a code cut off by garbage, its tail too, and says so once', () => {
    const { d, rejected } = decoder();
    const [first, second] = posReports(CCCD_QR);
    d.push(first);
    expect(d.push(Buffer.from([0x02, 0xff]))).toBeNull();
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatch(
      /^malformed: not a HID POS scanned data report \(2 bytes, report id 0x02\).*lost/,
    );
    expect(d.push(second)).toBeNull(); // the tail of the lost code is not a code of its own
    expect(d.push(posReport('HS-001'))).toEqual({ data: 'HS-001', symbology: ']Q1' });
    expect(rejected).toHaveLength(1);
  });

  it('never puts a citizen’s data in what it reports', () => {
    const { d, rejected } = decoder();
    d.push(posReport(CCCD_QR.slice(0, 40), { length: 57 }));
    expect(rejected.join()).not.toContain('0010');
  });

  it('drops a code whose next report never comes, or that changes symbology', () => {
    let now = 0;
    const { d, rejected } = decoder({ clock: () => now });
    const [first] = posReports(CCCD_QR);
    d.push(first);
    now = 5000;
    expect(d.push(posReport('HS-001', { symbology: ']C0' }))).toEqual({ data: 'HS-001', symbology: ']C0' });
    expect(rejected).toEqual(['malformed: a code was cut off: its next report never came']);
    d.push(first);
    expect(d.push(posReport('HS-002', { symbology: ']C0' }))).toEqual({ data: 'HS-002', symbology: ']C0' });
    expect(rejected[1]).toMatch(/another symbology/);
  });

  it('refuses a code longer than the limit', () => {
    const { d, rejected } = decoder({ maxBytes: 100 });
    const reports = posReports('x'.repeat(150));
    expect(reports.map((r) => d.push(r))).toEqual([null, null, null]); // its last report passed over
    expect(rejected).toEqual(['oversized: a code longer than 100 bytes']);
    expect(d.push(posReport('HS-001'))?.data).toBe('HS-001');
  });

  it('reads other makers’ layouts: no symbology, no continued flag (a short report ends the code)', () => {
    // Microscan-style: report id 1, a count, 62 data bytes, nothing else.
    const layout: PosScannerLayout = {
      reportId: 1,
      lengthByte: true,
      symbologyBytes: 0,
      dataBytes: 62,
      continuedAt: null,
    };
    const report = (text: string) => {
      const r = Buffer.alloc(64);
      r[0] = 1;
      r[1] = text.length;
      r.write(text, 2);
      return r;
    };
    const { d, rejected } = decoder({ layout });
    const long = 'L'.repeat(62);
    expect(d.push(report(long))).toBeNull();
    expect(d.push(report('END'))).toEqual({ data: `${long}END`, symbology: null });
    expect(d.push(report(`${'R'.repeat(61)}\r`))).toEqual({ data: 'R'.repeat(61), symbology: null });
    expect(rejected).toEqual([]);
  });

  it('reads a layout without a count byte: trailing zeros are padding', () => {
    const layout: PosScannerLayout = { ...HID_POS_LAYOUT, lengthByte: false, continuedAt: 60 };
    const r = Buffer.alloc(61);
    r[0] = 2;
    r.write(']C0', 1, 'latin1');
    r.write('HS-7', 4);
    expect(new PosScannerDecoder({ layout }).push(r)).toEqual({ data: 'HS-7', symbology: ']C0' });
  });
});
