import { createRequire } from 'node:module';
import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrintJob } from '../../devices/protocol/messages.ts';
import { STATUS_REQUEST } from '../../devices/serial/escpos/commands.ts';
import { parseStatusByte, toPrinterState } from '../../devices/serial/escpos/status.ts';
import {
  buildTicket,
  DEFAULT_WPC1258_CODE_PAGE,
  formatTicketTime,
  type TicketOptions,
  wrapText,
} from '../../devices/serial/escpos/ticket.ts';
import { EscPosPrinterSim, type SimTicket } from '../../firmware-sim/serial/escpos-printer-sim.ts';

/**
 * serialport is CommonJS, so SerialPortMock uses the CommonJS build of @serialport/binding-mock. An
 * ESM `import { MockBinding } from '@serialport/binding-mock'` loads the package's separate ESM build,
 * whose ports SerialPortMock never sees ("Port does not exist"): require the build it uses.
 */
const { MockBinding } = createRequire(import.meta.url)('@serialport/binding-mock') as {
  MockBinding: typeof SerialPortMock.binding;
};

const SERVICE = 'Lao động – Thương binh và Xã hội';
const JOB: PrintJob = {
  centreName: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
  serviceName: SERVICE,
  label: 'B-042',
  priority: 'Người cao tuổi',
  peopleAhead: 7,
  estimatedWaitMinutes: 25,
  issuedAt: Date.UTC(2025, 2, 5, 1, 7), // 08:07 in Hà Nội (UTC+7)
  qrUrl: 'https://hcc.quangnam.gov.vn/ve/7f3a9c2e-5b1d-4e8a-9f60-2c7d8e1a4b93',
  footer: 'Vui lòng theo dõi màn hình và loa gọi số. Xin cảm ơn!',
};
const WPC: TicketOptions = { codePage: DEFAULT_WPC1258_CODE_PAGE, encoding: 'wpc1258', columns: 48 };

function printOne(bytes: Buffer, sim = new EscPosPrinterSim()): SimTicket {
  const before = sim.tickets.length;
  sim.write(bytes);
  expect(sim.tickets).toHaveLength(before + 1);
  return sim.tickets[before] as SimTicket;
}

function ask(sim: EscPosPrinterSim, request: Buffer): number {
  const answers: Buffer[] = [];
  const listener = (bytes: Buffer) => answers.push(bytes);
  sim.on('data', listener);
  sim.write(request);
  sim.off('data', listener);
  expect(answers).toHaveLength(1);
  expect(answers[0]).toHaveLength(1);
  return (answers[0] as Buffer)[0] as number;
}

/** The printer's state as the host would read it: DLE EOT 1, 2 and 4. */
function readState(sim: EscPosPrinterSim) {
  const status = {
    ...parseStatusByte(1, ask(sim, STATUS_REQUEST.printer)),
    ...parseStatusByte(2, ask(sim, STATUS_REQUEST.offline)),
    ...parseStatusByte(4, ask(sim, STATUS_REQUEST.paper)),
  };
  return toPrinterState({
    online: status.online ?? false,
    coverOpen: status.coverOpen ?? false,
    paperNearEnd: status.paperNearEnd ?? false,
    paperEnd: status.paperEnd ?? false,
  });
}

describe('buildTicket, printed by EscPosPrinterSim', () => {
  it('prints the Vietnamese wording exactly, the big number and the QR link', () => {
    const ticket = printOne(buildTicket(JOB, WPC));
    expect(ticket.lines).toContain(SERVICE);
    expect(ticket.lines).toContain('Trung tâm Phục vụ hành chính công tỉnh Quảng Nam');
    expect(ticket.lines).toContain('SỐ THỨ TỰ');
    expect(ticket.lines).toContain('B-042');
    expect(ticket.lines).toContain('Ưu tiên: Người cao tuổi');
    expect(ticket.lines).toContain('Số người đang chờ trước: 7');
    expect(ticket.lines).toContain('Thời gian chờ dự kiến: 25 phút');
    expect(ticket.lines).toContain('05/03/2025 08:07');
    expect(ticket.lines.join(' ')).toContain(JOB.footer);
    expect(ticket.qr).toBe(JOB.qrUrl);
    expect(ticket.cut).toBe('partial');
    expect(ticket.lines.join('')).not.toMatch(/[?\uFFFD]/);
    for (const line of ticket.lines) expect(line).toBe(line.normalize('NFC'));
  });

  it('lays it out: centred, the centre in bold, the number 4×4', () => {
    const ticket = printOne(buildTicket(JOB, WPC));
    const line = (text: string) => ticket.printed.find((l) => l.text === text);
    expect(ticket.printed.filter((l) => l.text !== '').every((l) => l.align === 'center')).toBe(true);
    expect(line(JOB.centreName)).toMatchObject({ bold: true, width: 1, height: 1 });
    expect(line(SERVICE)).toMatchObject({ bold: false, width: 1 });
    expect(line('B-042')).toMatchObject({ bold: true, width: 4, height: 4 });
    expect(line('Số người đang chờ trước: 7')).toMatchObject({ bold: false, width: 1 });
  });

  it('uses 3×3 for a number too wide for 4×4, and wraps long lines to the columns', () => {
    const narrow: TicketOptions = { ...WPC, columns: 32 };
    const long = {
      ...JOB,
      label: 'LĐTBXH-1042',
      serviceName: `${SERVICE} (hồ sơ người có công với cách mạng)`,
    };
    const ticket = printOne(buildTicket(long, narrow));
    for (const line of ticket.printed) expect([...line.text].length * line.width).toBeLessThanOrEqual(32);
    const number = ticket.printed.filter((l) => l.width === 3);
    expect(number.map((l) => l.text).join('')).toBe('LĐTBXH-1042');
    const service = ticket.lines.slice(
      ticket.lines.findIndex((l) => l.startsWith('Lao động')),
      ticket.lines.indexOf(''),
    );
    expect(service.join(' ')).toBe(long.serviceName);
    expect(service.length).toBeGreaterThan(1);
  });

  it('without priority or estimate: no priority line, "đang cập nhật"', () => {
    const ticket = printOne(buildTicket({ ...JOB, priority: null, estimatedWaitMinutes: null }, WPC));
    expect(ticket.lines.some((l) => l.startsWith('Ưu tiên'))).toBe(false);
    expect(ticket.lines).toContain('Thời gian chờ dự kiến: đang cập nhật');
  });

  it('ascii: no code page command, accents stripped', () => {
    const bytes = buildTicket(JOB, { ...WPC, encoding: 'ascii' });
    expect(bytes.includes(Buffer.from([0x1b, 0x74]))).toBe(false);
    expect(
      [...bytes.subarray(0, bytes.indexOf(Buffer.from([0x1d, 0x28, 0x6b])))].every((b) => b < 0x80),
    ).toBe(true);
    const ticket = printOne(bytes);
    expect(ticket.lines).toContain('Lao dong - Thuong binh va Xa hoi');
    expect(ticket.lines).toContain('SO THU TU');
    expect(ticket.lines).toContain('So nguoi dang cho truoc: 7');
    expect(ticket.lines).toContain('Thoi gian cho du kien: 25 phut');
    expect(ticket.qr).toBe(JOB.qrUrl);
  });

  it('prints garbage when the printer numbers WPC1258 differently (the code page is a setting)', () => {
    const ticket = printOne(buildTicket(JOB, WPC), new EscPosPrinterSim({ wpc1258CodePage: 30 }));
    expect(ticket.lines).not.toContain(SERVICE);
    expect(ticket.lines.join('')).toContain('\uFFFD');
    const matched = printOne(
      buildTicket(JOB, { ...WPC, codePage: 30 }),
      new EscPosPrinterSim({ wpc1258CodePage: 30 }),
    );
    expect(matched.lines).toContain(SERVICE);
  });

  it('prints the time in Asia/Ho_Chi_Minh unless told otherwise', () => {
    expect(formatTicketTime(Date.UTC(2025, 11, 31, 17, 5))).toBe('01/01/2026 00:05');
    expect(formatTicketTime(Date.UTC(2025, 11, 31, 17, 5), 'UTC')).toBe('31/12/2025 17:05');
    const ticket = printOne(buildTicket(JOB, { ...WPC, timeZone: 'UTC' }));
    expect(ticket.lines).toContain('05/03/2025 01:07');
  });

  it('wrapText keeps words whole where it can and cuts longer ones', () => {
    expect(wrapText('Tư pháp – Hộ tịch', 9)).toEqual(['Tư pháp –', 'Hộ tịch']);
    expect(wrapText('ABCDEFGHIJ xy', 4)).toEqual(['ABCD', 'EFGH', 'IJ', 'xy']);
    expect(wrapText('một\nhai', 10)).toEqual(['một', 'hai']);
    expect(wrapText('Thương'.normalize('NFD'), 6)).toEqual(['Thương']);
  });

  it('refuses unusable columns', () => {
    expect(() => buildTicket(JOB, { ...WPC, columns: 4 })).toThrow(RangeError);
    expect(() => buildTicket(JOB, { ...WPC, columns: 40.5 })).toThrow(RangeError);
  });
});

describe('EscPosPrinterSim: the stream', () => {
  const bytes = buildTicket(JOB, WPC);
  const reference = printOne(bytes);

  it('parses commands split across chunks the same, byte by byte too', () => {
    const sim = new EscPosPrinterSim();
    for (const byte of bytes) sim.write(Buffer.of(byte));
    expect(sim.tickets).toEqual([reference]);
  });

  it('parses the same at every split point and in random chunks', () => {
    for (let at = 1; at < bytes.length; at++) {
      const sim = new EscPosPrinterSim();
      sim.write(bytes.subarray(0, at));
      sim.write(bytes.subarray(at));
      expect(sim.tickets, `split at ${at}`).toEqual([reference]);
    }
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let run = 0; run < 20; run++) {
      const sim = new EscPosPrinterSim();
      for (let at = 0; at < bytes.length; ) {
        const size = 1 + Math.floor(random() * 40);
        sim.write(bytes.subarray(at, at + size));
        at += size;
      }
      expect(sim.tickets).toEqual([reference]);
    }
  });

  it('skips commands it does not act on, with their data, even split', () => {
    const noise = Buffer.concat([
      Buffer.from([0x1b, 0x2a, 0x21, 0x02, 0x00, 0x0a, 0x0a, 0x0a, 0x1b, 0x1d, 0x0a]), // ESC * 24-dot image
      Buffer.from([0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00, 0x0a, 0x41, 0x0a, 0x42]), // GS v 0 raster
      Buffer.from('\x1dk\x04B-042\x00', 'latin1'), // GS k CODE39
      Buffer.from('\x1dkI\x05{B042', 'latin1'), // GS k CODE128, length-prefixed
      Buffer.from([0x1b, 0x70, 0x00, 0x19, 0xfa]), // ESC p: drawer pulse
      Buffer.from([0x1d, 0x28, 0x4c, 0x04, 0x00, 0x30, 0x45, 0x0a, 0x0a]), // GS ( L
      Buffer.from([0x1c, 0x2e, 0x1b, 0x63, 0x35, 0x00, 0x1b, 0x2d, 0x01, 0x1b, 0x4d, 0x00]), // FS . ESC c5 ESC - ESC M
      Buffer.from([0x1d, 0x28, 0x6b, 0x03, 0x00, 0x30, 0x41, 0x00]), // GS ( k PDF417: not a QR
      Buffer.from([0x10, 0x05, 0x02, 0x10, 0x14, 0x08, 1, 3, 20, 1, 6, 2, 8]), // DLE ENQ, DLE DC4 8
    ]);
    const cut = bytes.lastIndexOf(Buffer.from([0x1d, 0x56]));
    const mixed = Buffer.concat([
      bytes.subarray(0, 40),
      noise,
      bytes.subarray(40, cut),
      noise,
      bytes.subarray(cut),
    ]);
    const sim = new EscPosPrinterSim();
    for (let at = 0; at < mixed.length; at += 3) sim.write(mixed.subarray(at, at + 3));
    expect(sim.tickets).toEqual([reference]);
  });

  it('knows the other cut commands', () => {
    const sim = new EscPosPrinterSim();
    sim.write(Buffer.from('a\n\x1dV\x00b\n\x1dV\x31c\n\x1dVA\x10d\n\x1bm', 'latin1'));
    expect(sim.tickets.map((t) => [t.lines, t.cut])).toEqual([
      [['a'], 'full'],
      [['b'], 'partial'],
      [['c'], 'full'],
      [['d'], 'partial'],
    ]);
  });
});

describe('EscPosPrinterSim: paper, cover, status', () => {
  it('runs out of paper after N tickets and says so in its DLE EOT 4 answer', () => {
    const sim = new EscPosPrinterSim({ paper: 3, nearEndAt: 1 });
    const bytes = buildTicket(JOB, WPC);
    expect(ask(sim, STATUS_REQUEST.paper)).toBe(0x12);
    sim.write(bytes);
    sim.write(bytes);
    expect(sim.paper).toBe(1);
    expect(parseStatusByte(4, ask(sim, STATUS_REQUEST.paper))).toEqual({
      paperNearEnd: true,
      paperEnd: false,
    });
    expect(readState(sim)).toEqual({ paper: 'low', cover: 'closed', online: true });
    sim.write(bytes);
    expect(sim.tickets).toHaveLength(3);

    expect(ask(sim, STATUS_REQUEST.paper)).toBe(0x7e);
    expect(parseStatusByte(4, 0x7e)).toEqual({ paperNearEnd: true, paperEnd: true });
    expect(parseStatusByte(2, ask(sim, STATUS_REQUEST.offline))).toMatchObject({ paperEndStop: true });
    expect(readState(sim)).toEqual({ paper: 'out', cover: 'closed', online: false });

    sim.write(bytes);
    expect(sim.tickets).toHaveLength(3);
    expect(sim.dropped).toBeGreaterThan(0);

    sim.refill(10);
    expect(readState(sim)).toEqual({ paper: 'ok', cover: 'closed', online: true });
    sim.write(bytes);
    expect(sim.tickets).toHaveLength(4);
    expect(sim.tickets[3]?.lines).toContain(SERVICE);
  });

  it('stops with the cover open or offline, and reports it', () => {
    const sim = new EscPosPrinterSim();
    sim.openCover(true);
    expect(ask(sim, STATUS_REQUEST.offline)).toBe(0x16);
    expect(readState(sim)).toEqual({ paper: 'ok', cover: 'open', online: false });
    sim.write(buildTicket(JOB, WPC));
    expect(sim.tickets).toHaveLength(0);
    sim.openCover(false);
    sim.setOnline(false);
    expect(ask(sim, STATUS_REQUEST.printer)).toBe(0x1a);
    expect(readState(sim)).toEqual({ paper: 'ok', cover: 'closed', online: false });
    sim.setOnline(true);
    expect(ask(sim, STATUS_REQUEST.printer)).toBe(0x12);
    expect(ask(sim, STATUS_REQUEST.error)).toBe(0x12);
    printOne(buildTicket(JOB, WPC), sim);
  });

  it('answers through the answer callback too, and DLE EOT split across writes', () => {
    const answers: number[] = [];
    const sim = new EscPosPrinterSim({ answer: (bytes) => answers.push(...bytes), paper: 0 });
    sim.write(Buffer.of(0x10));
    sim.write(Buffer.of(0x04));
    expect(answers).toEqual([]);
    sim.write(Buffer.of(0x04, 0x10, 0x04, 0x02));
    expect(answers).toEqual([0x7e, 0x32]);
  });
});

describe('over a serial port (@serialport/binding-mock)', () => {
  const PATH = '/dev/ttyPRINTER';
  afterEach(() => MockBinding.reset());

  it('writes the ticket bytes unchanged, and the printer behind it answers status requests', async () => {
    expect(SerialPortMock.binding).toBe(MockBinding); // one registry of mock ports
    MockBinding.createPort(PATH, { echo: false, record: true });
    const port = new SerialPortMock({ path: PATH, baudRate: 19200 });
    await new Promise<void>((resolve, reject) => port.on('open', resolve).on('error', reject));

    const bytes = buildTicket(JOB, WPC);
    const write = (data: Buffer) =>
      new Promise<void>((resolve, reject) =>
        port.write(data, (error) => (error ? reject(error) : port.drain(() => resolve()))),
      );
    await write(bytes);
    const binding = port.port;
    if (!binding) throw new Error('port not open');
    expect(binding.recording).toEqual(bytes);

    const sim = new EscPosPrinterSim({ paper: 1, answer: (answer) => binding.emitData(answer) });
    sim.write(binding.recording);
    expect(sim.tickets[0]?.lines).toContain(SERVICE);
    expect(sim.tickets[0]?.qr).toBe(JOB.qrUrl);

    const received = new Promise<Buffer>((resolve) => port.once('data', resolve));
    await write(STATUS_REQUEST.paper);
    expect(binding.lastWrite).toEqual(STATUS_REQUEST.paper);
    sim.write(binding.lastWrite as Buffer);
    const answer = await received;
    expect(parseStatusByte(4, answer[0] as number)).toEqual({ paperNearEnd: true, paperEnd: true });

    await new Promise<void>((resolve) => port.close(() => resolve()));
  });
});
