import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEMO_CENTRE_FILE,
  formatPath,
  loadCentreConfigFile,
  parseCentreConfig,
} from '../../controller/centre/load.ts';

const VIETNAMESE = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

/** The smallest configuration that loads; each bad-config test changes one thing in a copy. */
function minimal(): Record<string, unknown> & {
  centre: Record<string, unknown>;
  services: Record<string, unknown>[];
  counters: Record<string, unknown>[];
} {
  return {
    schemaVersion: 1,
    centre: { id: 'mot-cua-phu-ninh', name: 'Bộ phận Một cửa huyện Phú Ninh', level: 'district' },
    zones: [{ id: 'sanh', name: 'Sảnh chính' }],
    services: [
      { id: 'dat-dai', name: 'Đất đai', prefix: '1' },
      { id: 'ho-tich', name: 'Tư pháp – Hộ tịch', prefix: '2' },
    ],
    counters: [
      { id: 'quay-1', number: 1, name: 'Quầy 1' },
      { id: 'quay-2', number: 2, name: 'Quầy 2' },
    ],
  };
}

/** Runs parseCentreConfig and returns the ConfigError it must throw. */
function problemsOf(raw: unknown): ConfigError {
  try {
    parseCentreConfig(raw, 'test.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('the demo centre', () => {
  it('loads, with ten services, eight counters and staff covering several fields each', async () => {
    const cfg = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    expect(cfg.centre.level).toBe('province');
    expect(cfg.centre.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(cfg.services).toHaveLength(10);
    expect(cfg.counters.map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(cfg.staff.length).toBeGreaterThanOrEqual(8);
    for (const person of cfg.staff) expect(person.services.length).toBeGreaterThanOrEqual(2);
    const covered = new Set(cfg.staff.flatMap((p) => p.services));
    for (const service of cfg.services) expect(covered).toContain(service.id);
  });

  it('writes Vietnamese names with their diacritics', async () => {
    const cfg = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    expect(cfg.centre.name).toMatch(VIETNAMESE);
    expect(cfg.services.find((s) => s.id === 'dat-dai')?.name).toBe('Đất đai');
    const plain = [...cfg.services, ...cfg.staff, ...cfg.queue.priorityClasses].filter(
      (x) => !VIETNAMESE.test(x.name),
    );
    expect(plain).toEqual([]);
  });

  it('has the devices of every counter and of each zone', async () => {
    const cfg = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    for (const counter of cfg.counters) {
      const types = cfg.devices.filter((d) => d.counterId === counter.id).map((d) => d.type);
      expect(types).toEqual(expect.arrayContaining(['callDisplay', 'ratingKeypad', 'callPad']));
    }
    for (const zone of cfg.zones) {
      const types = cfg.devices.filter((d) => d.zoneId === zone.id).map((d) => d.type);
      expect(types).toEqual(expect.arrayContaining(['dispenser', 'hallDisplay']));
    }
    // Scanners at both kiosks (one on a serial port) and at two counters (one USB HID).
    expect(cfg.devices.filter((d) => d.type === 'scanner')).toHaveLength(4);
    expect(cfg.devices.every((d) => d.secretHash === undefined)).toBe(true);
  });

  it('gives every service a distinct one-character prefix', async () => {
    const cfg = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    const prefixes = cfg.services.map((s) => s.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(cfg.queue.numberDigits).toBe(3);
  });
});

describe('parseCentreConfig', () => {
  it('fills in the defaults a small centre leaves out', () => {
    const cfg = parseCentreConfig(minimal(), 'test.json');
    expect(cfg.centre.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(cfg.queue.numberDigits).toBe(3);
    expect(cfg.queue.waitTargetMinutes).toBe(15);
    expect(cfg.queue.urgentAfterMinutes).toBe(12);
    expect(cfg.queue.appointments).toEqual({
      creditMinutes: 15,
      earlyWindowMinutes: 10,
      lateGraceMinutes: 15,
    });
    expect(cfg.queue.skip).toEqual({ graceMinutes: 10, maxSkips: 2 });
    expect(cfg.queue.dayEnd.unserved).toBe('close');
    expect(cfg.services[0]?.expectedServiceMinutes).toBe(10);
    expect(cfg.counters[0]?.services).toEqual([]);
    expect(cfg.staff).toEqual([]);
    expect(cfg.devices).toEqual([]);
  });

  it('names the source and lists each problem on its own line', () => {
    const raw = minimal();
    raw.services[1] = { id: 'ho-tich', name: 'Hộ tịch', prefix: 'ab' };
    const err = problemsOf(raw);
    expect(err.message).toBe(
      'Centre configuration test.json is invalid:\n  - services[1].prefix: must be 1-2 characters of A-Z or 0-9',
    );
    expect(err.problems).toEqual(['services[1].prefix: must be 1-2 characters of A-Z or 0-9']);
    expect(err.source).toBe('test.json');
    expect(err.name).toBe('ConfigError');
  });

  it('refuses prefixes where one begins another, since their labels could be the same (issue 10)', async () => {
    const { readFile } = await import('node:fs/promises');
    const raw = JSON.parse(await readFile(DEMO_CENTRE_FILE, 'utf8'));
    raw.services[1].prefix = '11'; // xay-dung beside dat-dai's "1": "11" + "001" = "1" + "1001"
    const err = problemsOf(raw);
    expect(err.problems).toEqual([
      'services[1].prefix: prefix "11" begins with the prefix "1" of service "dat-dai", so their tickets could get the same label (e.g. 11001); give each service a prefix that does not begin another',
    ]);
  });

  it('rejects another schema version', () => {
    const err = problemsOf({ ...minimal(), schemaVersion: 2 });
    expect(err.problems).toEqual(['schemaVersion: must be 1, got 2']);
  });

  it('says a required setting is missing', () => {
    const raw = minimal();
    delete raw.centre.name;
    expect(problemsOf(raw).problems).toEqual(['centre.name: is required']);
    const { counters: _, ...withoutCounters } = minimal();
    expect(problemsOf(withoutCounters).problems).toEqual(['counters: is required']);
  });

  it('names a mistyped key and suggests the right one', () => {
    const raw = minimal();
    raw.centre.nmae = 'Bộ phận Một cửa';
    raw.queue = { waitTargetMinuts: 20 };
    const err = problemsOf(raw);
    expect(err.problems).toEqual([
      'centre.nmae: unknown setting "nmae" (did you mean "name"?)',
      'queue.waitTargetMinuts: unknown setting "waitTargetMinuts" (did you mean "waitTargetMinutes"?)',
    ]);
  });

  it('lists the allowed keys when an unknown one is not close to any', () => {
    const err = problemsOf({ ...minimal(), printer: 'xp-58' });
    expect(err.problems).toEqual([
      'printer: unknown setting "printer" (allowed: schemaVersion, centre, zones, services, counters, staff, devices, serialBuses, monitor, queue, ratings, citizens, alerts, upstream, retention)',
    ]);
  });

  it('says what type was expected and what was found', () => {
    const raw = minimal();
    raw.counters[0] = { id: 'quay-1', number: '1', name: 'Quầy 1' };
    expect(problemsOf(raw).problems).toEqual(['counters[0].number: expected a number, got string "1"']);
    const notAnObject = problemsOf('hello');
    expect(notAnObject.problems).toEqual(['(top level): expected an object ({...}), got string "hello"']);
    expect(problemsOf({ ...minimal(), services: { id: 'x' } }).problems).toEqual([
      'services: expected a list ([...]), got an object',
    ]);
  });

  it('rejects numbers out of range and a level that does not exist', () => {
    const raw = minimal();
    raw.centre.level = 'city';
    raw.queue = { numberDigits: 2.5, preferencePenaltyMinutes: 90, waitTargetMinutes: 0 };
    expect(problemsOf(raw).problems).toEqual([
      'centre.level: must be one of "province", "district", "commune", got string "city"',
      'queue.numberDigits: expected a whole number, got 2.5',
      'queue.waitTargetMinutes: must be greater than 0, got 0',
      'queue.preferencePenaltyMinutes: must be at most 30, got 90',
    ]);
  });

  it('rejects an id with capitals or underscores', () => {
    const raw = minimal();
    raw.services[0] = { id: 'Dat_Dai', name: 'Đất đai', prefix: '1' };
    expect(problemsOf(raw).problems).toEqual([
      'services[0].id: must be 1-40 characters of a-z, 0-9 and "-", starting with a letter or digit',
    ]);
  });

  it('rejects a duplicate service id', () => {
    const raw = minimal();
    raw.services[1] = { id: 'dat-dai', name: 'Đất đai (2)', prefix: '2' };
    expect(problemsOf(raw).problems).toEqual(['services[1].id: duplicate service id "dat-dai"']);
  });

  it('rejects two services with the same ticket prefix', () => {
    const raw = minimal();
    raw.services[1] = { id: 'ho-tich', name: 'Hộ tịch', prefix: '1' };
    expect(problemsOf(raw).problems).toEqual(['services[1].prefix: prefix "1" is already used']);
  });

  it('rejects two counters with the same number', () => {
    const raw = minimal();
    raw.counters[1] = { id: 'quay-2', number: 1, name: 'Quầy 2' };
    expect(problemsOf(raw).problems).toEqual(['counters[1].number: counter number 1 is already used']);
  });

  it('rejects staff covering a service that does not exist', () => {
    const raw = {
      ...minimal(),
      staff: [{ id: 'nguyen-van-a', name: 'Nguyễn Văn A', services: ['dat-dai', 'thue'] }],
    };
    expect(problemsOf(raw).problems).toEqual(['staff[0].services[1]: unknown service "thue"']);
  });

  it('rejects staff covering no service at all', () => {
    const raw = { ...minimal(), staff: [{ id: 'nguyen-van-a', name: 'Nguyễn Văn A', services: [] }] };
    expect(problemsOf(raw).problems).toEqual(['staff[0].services: must list at least one service']);
  });

  it('rejects a counter restricted to a service that does not exist', () => {
    const raw = minimal();
    raw.counters[1] = { id: 'quay-2', number: 2, name: 'Quầy 2', services: ['tra-ket-qua'] };
    expect(problemsOf(raw).problems).toEqual(['counters[1].services[0]: unknown service "tra-ket-qua"']);
  });

  it('rejects a device on a counter that does not exist', () => {
    const raw = { ...minimal(), devices: [{ id: 'c9-display', type: 'callDisplay', counterId: 'quay-9' }] };
    expect(problemsOf(raw).problems).toEqual(['devices[0].counterId: unknown counter "quay-9"']);
  });

  it('rejects a call display that does not say which counter it is at', () => {
    const raw = { ...minimal(), devices: [{ id: 'c1-display', type: 'callDisplay' }] };
    expect(problemsOf(raw).problems).toEqual([
      'devices[0].counterId: a callDisplay must name the counter it belongs to',
    ]);
  });

  it('rejects an unknown device type', () => {
    const raw = { ...minimal(), devices: [{ id: 'may-in', type: 'printer' }] };
    const [problem] = problemsOf(raw).problems;
    expect(problem).toMatch(
      /^devices\[0\]\.type: must be one of "dispenser", .*"callPad", got string "printer"$/,
    );
  });

  it('rejects a reference to a zone that does not exist', () => {
    const raw = minimal();
    raw.services[0] = { id: 'dat-dai', name: 'Đất đai', prefix: '1', zoneId: 'tang-2' };
    raw.devices = [{ id: 'kiosk', type: 'dispenser', zoneId: 'sanh-phu' }];
    expect(problemsOf(raw).problems).toEqual([
      'services[0].zoneId: unknown zone "tang-2"',
      'devices[0].zoneId: unknown zone "sanh-phu"',
    ]);
  });

  it('rejects a time zone that does not exist', () => {
    const raw = minimal();
    raw.centre.timezone = 'Asia/Hanoi';
    expect(problemsOf(raw).problems).toEqual([
      'centre.timezone: must be an IANA time zone such as Asia/Ho_Chi_Minh',
    ]);
  });

  it('rejects an urgency threshold later than the wait target', () => {
    const raw = { ...minimal(), queue: { waitTargetMinutes: 15, urgentAfterMinutes: 20 } };
    const [problem] = problemsOf(raw).problems;
    expect(problem).toMatch(/^queue\.urgentAfterMinutes: must not be later than waitTargetMinutes/);
  });

  it('rejects an empty service list', () => {
    expect(problemsOf({ ...minimal(), services: [] }).problems).toEqual([
      'services: must list at least one service',
    ]);
  });

  it('reports every problem at once, not only the first', () => {
    const raw = minimal();
    raw.schemaVersion = 3;
    raw.centre.levle = 'district';
    raw.services[0] = { id: 'dat-dai', name: '', prefix: 'đ' };
    raw.counters[1] = { id: 'quay-2', number: 0, name: 'Quầy 2' };
    const err = problemsOf(raw);
    expect(err.problems).toEqual([
      'schemaVersion: must be 1, got 3',
      'centre.levle: unknown setting "levle" (did you mean "level"?)',
      'services[0].name: must not be empty',
      'services[0].prefix: must be 1-2 characters of A-Z or 0-9',
      'counters[1].number: must be at least 1, got 0',
    ]);
    for (const problem of err.problems) expect(err.message).toContain(`\n  - ${problem}`);
  });

  it('reports every broken cross-reference at once', () => {
    const raw = {
      ...minimal(),
      staff: [{ id: 'tran-thi-b', name: 'Trần Thị B', services: ['cu-tru', 'dat-dai', 'dat-dai'] }],
      devices: [
        { id: 'c1-pad', type: 'callPad' },
        { id: 'c3-keypad', type: 'ratingKeypad', counterId: 'quay-3' },
      ],
    };
    expect(problemsOf(raw).problems).toEqual([
      'staff[0].services[0]: unknown service "cu-tru"',
      'staff[0].services[2]: service "dat-dai" is listed twice',
      'devices[0].counterId: a callPad must name the counter it belongs to',
      'devices[1].counterId: unknown counter "quay-3"',
    ]);
  });
});

describe('loadCentreConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centre-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const failureOf = async (file: string): Promise<ConfigError> => {
    const err = await loadCentreConfigFile(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  };

  it('loads a valid file', async () => {
    const cfg = await loadCentreConfigFile(write('ok.json', JSON.stringify(minimal(), null, 2)));
    expect(cfg.centre.name).toBe('Bộ phận Một cửa huyện Phú Ninh');
  });

  it('accepts a file saved with a UTF-8 byte-order mark', async () => {
    const cfg = await loadCentreConfigFile(write('bom.json', `\ufeff${JSON.stringify(minimal())}`));
    expect(cfg.services).toHaveLength(2);
  });

  it('says a missing file was not found and gives its absolute path', async () => {
    const file = join(dir, 'khong-co.json');
    const err = await failureOf(file);
    expect(err.message).toContain('not found');
    expect(err.message).toContain(file);
    expect(err.problems).toEqual([`file not found: ${file}`]);
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const file = write('broken.json', '{\n  "schemaVersion": 1,\n  "centre" {\n  }\n}\n');
    const err = await failureOf(file);
    expect(err.message).toContain(`Centre configuration ${file} is not valid JSON`);
    expect(err.problems[0]).toMatch(/^line 3, column 12: expected ":" after the setting name/);
  });

  it('points at a trailing comma and at a comment', async () => {
    const comma = await failureOf(write('comma.json', '{\n  "schemaVersion": 1,\n}\n'));
    expect(comma.problems[0]).toMatch(/^line 2, column 21: comma before "}"/);
    const comment = await failureOf(write('comment.json', '{\n  // Quảng Nam\n  "schemaVersion": 1\n}\n'));
    expect(comment.problems[0]).toMatch(/^line 2, column 3: .*comment/);
  });

  it('says where a file ends too early', async () => {
    const err = await failureOf(write('short.json', '{\n  "schemaVersion": 1,\n  "centre": {'));
    expect(err.problems[0]).toMatch(/^line 3, column 14: .*end of the file/);
  });

  it('validates the content and names the file in the message', async () => {
    const raw = minimal();
    raw.counters[0] = { id: 'quay-1', number: '1', name: 'Quầy 1' };
    const file = write('bad-type.json', JSON.stringify(raw));
    const err = await failureOf(file);
    expect(err.message).toBe(
      `Centre configuration ${file} is invalid:\n  - counters[0].number: expected a number, got string "1"`,
    );
  });
});

describe('formatPath', () => {
  it('writes paths the way a person reads them', () => {
    expect(formatPath(['services', 2, 'prefix'])).toBe('services[2].prefix');
    expect(formatPath(['queue', 'skip', 'maxSkips'])).toBe('queue.skip.maxSkips');
    expect(formatPath([])).toBe('(top level)');
    expect(formatPath(['centre', 'tên trung tâm'])).toBe('centre["tên trung tâm"]');
  });
});

describe('serial and USB devices that cannot all be driven', () => {
  it('refuses duplicate buses, two displays at one bus address, two users of one port, and HID without its ids', () => {
    const port = (path: string) => ({ path, baudRate: 9600 });
    const err = problemsOf({
      ...minimal(),
      serialBuses: [
        { id: 'rs485', port: port('/dev/ttyUSB1') },
        { id: 'rs485', port: port('/dev/ttyUSB2') },
      ],
      devices: [
        {
          id: 'led-1',
          type: 'callDisplay',
          counterId: 'quay-1',
          transport: 'serial',
          busId: 'rs485',
          address: 5,
        },
        {
          id: 'led-2',
          type: 'callDisplay',
          counterId: 'quay-2',
          transport: 'serial',
          busId: 'rs485',
          address: 5,
        },
        { id: 'printer', type: 'dispenser', transport: 'serial', serial: port('/dev/ttyUSB1') },
        { id: 'scan', type: 'scanner', transport: 'serial', serial: port('/dev/ttyUSB0') },
        { id: 'scan-2', type: 'scanner', transport: 'serial', serial: port('/dev/ttyUSB0') },
        { id: 'usb', type: 'scanner', transport: 'hid' },
      ],
    });
    expect(err.problems).toEqual(
      expect.arrayContaining([
        'serialBuses[1].id: duplicate serial bus id "rs485"',
        'devices[1].address: address 5 on bus "rs485" is also display "led-1"\'s',
        'devices[2].serial.path: /dev/ttyUSB1 is also used by serial bus "rs485"',
        'devices[4].serial.path: /dev/ttyUSB0 is also used by device "scan"',
        'devices[5].hid: a USB HID device needs "hid": { "vendorId", "productId" } (see docs/usb-hid.md)',
      ]),
    );
  });
});
