import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { crc32cHex } from '../../controller/journal/crc32c.ts';
import {
  DiskFullError,
  Journal,
  JournalCorruptError,
  JournalFailedError,
  parseSnapshot,
} from '../../controller/journal/journal.ts';
import { type Logger, silentLogger } from '../../controller/logger.ts';

type Ev = { seq: number; type: string; ticket?: string };

const ev = (seq: number): Ev => ({ seq, type: 'ticket.issued', ticket: `A${String(seq).padStart(3, '0')}` });
const evs = (from: number, to: number): Ev[] => Array.from({ length: to - from + 1 }, (_, i) => ev(from + i));
/** Records as the journal writes them: `<CRC-32C of the JSON, 8 hex> <JSON>`. */
const record = (e: object): string => {
  const json = JSON.stringify(e);
  return `${crc32cHex(Buffer.from(json))} ${json}\n`;
};
const lines = (events: Ev[]): string => events.map(record).join('');
/** Records as journals written before checksums hold them: the JSON alone. */
const legacyLines = (events: Ev[]): string => events.map((e) => `${JSON.stringify(e)}\n`).join('');

let dir: string;
let opened: Journal<Ev>[];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-test-'));
  opened = [];
});

afterEach(async () => {
  vi.restoreAllMocks();
  for (const journal of opened) await journal.close().catch(() => {});
  fs.rmSync(dir, { recursive: true, force: true });
});

const segment = (firstSeq: number): string =>
  path.join(dir, `journal-${String(firstSeq).padStart(12, '0')}.jsonl`);

async function openJournal(logger: Logger = silentLogger) {
  const journal = new Journal<Ev>({ dir, logger });
  opened.push(journal);
  const result = await journal.open();
  return { journal, ...result };
}

function capturingLogger(): { logger: Logger; records: Record<string, unknown>[] } {
  const records: Record<string, unknown>[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => records.push(JSON.parse(line)) });
  return { logger, records };
}

/** FileHandle's prototype, to make datasync/write really fail for one call. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const handle = await fs.promises.open(path.join(dir, 'probe'), 'w');
  await handle.close();
  fs.rmSync(path.join(dir, 'probe'));
  return Object.getPrototypeOf(handle) as FileHandle;
}

const eio = (): NodeJS.ErrnoException => Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });

describe('Journal: open, append, reopen', () => {
  it('opens an empty (even missing) directory and creates the first segment', async () => {
    dir = path.join(dir, 'nested', 'journal');
    const { journal, snapshot, events, repairs } = await openJournal();
    expect(snapshot).toBeNull();
    expect(events).toEqual([]);
    expect(repairs).toEqual([]);
    expect(journal.lastSeq).toBe(0);
    expect(fs.existsSync(segment(1))).toBe(true);
  });

  it('round-trips appended events through close and reopen', async () => {
    const first = await openJournal();
    await first.journal.append([ev(1), ev(2)]);
    await first.journal.append([ev(3)]);
    expect(first.journal.lastSeq).toBe(3);
    await first.journal.close();
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines(evs(1, 3)));

    const second = await openJournal();
    expect(second.events).toEqual(evs(1, 3));
    expect(second.journal.lastSeq).toBe(3);
    await second.journal.append([ev(4)]);
    await second.journal.close();
    expect((await openJournal()).events).toEqual(evs(1, 4));
  });

  it('has the bytes on disk when append resolves', async () => {
    const { journal } = await openJournal();
    await journal.append([ev(1)]);
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines([ev(1)]));
  });

  it('group-commits concurrent appends, in order, with far fewer fsyncs than appends', async () => {
    const { journal } = await openJournal();
    const pending = evs(1, 500).map((e) => journal.append([e]));
    expect(journal.lastSeq).toBe(500);
    await Promise.all(pending);
    expect(journal.stats.fsyncs).toBeGreaterThanOrEqual(1);
    expect(journal.stats.fsyncs).toBeLessThan(500);
    expect(journal.stats.writes).toBeLessThan(500);
    await journal.close();

    const reopened = await openJournal();
    expect(reopened.events).toEqual(evs(1, 500));
  });

  it('batches appends made while a write is in flight into the next fsync', async () => {
    const { journal } = await openJournal();
    const first = journal.append([ev(1)]);
    await Promise.resolve(); // first batch (seq 1) has started
    const rest = evs(2, 50).map((e) => journal.append([e]));
    await Promise.all([first, ...rest]);
    expect(journal.stats.fsyncs).toBeLessThanOrEqual(2);
  });

  it('rejects events whose seq does not continue lastSeq, and stays usable', async () => {
    const { journal } = await openJournal();
    await expect(journal.append([ev(2)])).rejects.toThrow(RangeError);
    await expect(journal.append([ev(1), ev(3)])).rejects.toThrow(/expected 2/);
    expect(journal.lastSeq).toBe(0);
    await journal.append([ev(1)]);
    await journal.append([]);
    expect(journal.lastSeq).toBe(1);
  });
});

describe('Journal: snapshots', () => {
  it('reopens with the snapshot plus only the later events, from a new segment', async () => {
    const { journal } = await openJournal();
    await journal.append(evs(1, 3));
    await journal.writeSnapshot(3, { waiting: ['A001', 'A002', 'A003'] });
    await journal.append(evs(4, 5));
    await journal.close();

    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines(evs(1, 3)));
    expect(fs.readFileSync(segment(4), 'utf8')).toBe(lines(evs(4, 5)));
    expect(fs.existsSync(path.join(dir, 'snapshot.json.tmp'))).toBe(false);
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'snapshot.json'), 'utf8')).snapshot;
    expect(onDisk.seq).toBe(3);
    expect(new Date(onDisk.writtenAt).toISOString()).toBe(onDisk.writtenAt);

    const reopened = await openJournal();
    expect(reopened.snapshot).toEqual({ seq: 3, state: { waiting: ['A001', 'A002', 'A003'] } });
    expect(reopened.events).toEqual(evs(4, 5));
    expect(reopened.journal.lastSeq).toBe(5);
    await reopened.journal.append([ev(6)]);
    await reopened.journal.close();
    expect(fs.readFileSync(segment(4), 'utf8')).toBe(lines(evs(4, 6)));
  });

  it('orders a snapshot between concurrent appends and captures the state at call time', async () => {
    const { journal } = await openJournal();
    const state = { count: 3 };
    const before = evs(1, 3).map((e) => journal.append([e]));
    const snap = journal.writeSnapshot(3, state);
    state.count = 99;
    const after = journal.append([ev(4)]);
    await Promise.all([...before, snap, after]);
    await journal.close();

    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines(evs(1, 3)));
    expect(fs.readFileSync(segment(4), 'utf8')).toBe(lines([ev(4)]));
    const reopened = await openJournal();
    expect(reopened.snapshot).toEqual({ seq: 3, state: { count: 3 } });
    expect(reopened.events).toEqual([ev(4)]);
  });

  it('reopens cleanly right after a snapshot, with no later events', async () => {
    const { journal } = await openJournal();
    await journal.append(evs(1, 2));
    await journal.writeSnapshot(2, 'state');
    await journal.close();
    const reopened = await openJournal();
    expect(reopened.snapshot).toEqual({ seq: 2, state: 'state' });
    expect(reopened.events).toEqual([]);
    await reopened.journal.writeSnapshot(2, 'again');
    await reopened.journal.append([ev(3)]);
    await reopened.journal.close();
    expect(fs.readFileSync(segment(3), 'utf8')).toBe(lines([ev(3)]));
  });

  it('throws when the snapshot seq is not the last appended seq', async () => {
    const { journal } = await openJournal();
    await journal.append(evs(1, 3));
    await expect(journal.writeSnapshot(2, {})).rejects.toThrow(/last appended event has seq 3/);
  });

  it('a failed snapshot write rejects but does not poison the journal', async () => {
    const { journal } = await openJournal();
    await journal.append([ev(1)]);
    fs.mkdirSync(path.join(dir, 'snapshot.json.tmp')); // open(tmp, 'w') fails with EISDIR, even as root
    await expect(journal.writeSnapshot(1, {})).rejects.toThrow(/EISDIR/);
    await journal.append([ev(2)]);
    await journal.close();
    expect((await openJournal()).events).toEqual(evs(1, 2));
  });
});

describe('Journal: torn tail repair', () => {
  const variants: [string, Buffer][] = [
    ['half a JSON line', Buffer.from('{"seq":4,"type":"ticket.iss')],
    ['NUL bytes without a newline', Buffer.alloc(4096, 0)],
    ['a line of NUL bytes', Buffer.concat([Buffer.alloc(512, 0), Buffer.from('\n')])],
    ['half a record with its checksum', Buffer.from(record(ev(4)).slice(0, 30))],
  ];

  it.each(variants)('drops %s, truncates the file and keeps a valid journal', async (_name, tail) => {
    const first = await openJournal();
    await first.journal.append(evs(1, 3));
    await first.journal.close();
    const goodSize = fs.statSync(segment(1)).size;
    fs.appendFileSync(segment(1), tail);

    const { logger, records } = capturingLogger();
    const repaired = await openJournal(logger);
    expect(repaired.events).toEqual(evs(1, 3));
    expect(repaired.repairs).toMatchObject([
      { file: segment(1), offset: goodSize, droppedBytes: tail.length },
    ]);
    expect(fs.statSync(segment(1)).size).toBe(goodSize);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ file: segment(1), offset: goodSize, droppedBytes: tail.length });
    // The dropped bytes are kept aside, not destroyed.
    const kept = records[0]?.quarantine as string;
    expect(path.dirname(kept)).toBe(path.join(dir, 'quarantine'));
    expect(fs.readFileSync(kept)).toEqual(tail);

    await repaired.journal.append([ev(4)]);
    await repaired.journal.close();
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines(evs(1, 4)));
    const again = await openJournal();
    expect(again.events).toEqual(evs(1, 4));
    expect(again.repairs).toEqual([]);
  });

  it('repairs a segment whose only line is torn', async () => {
    fs.writeFileSync(segment(1), '{"seq":1,"ty');
    const { events, repairs, journal } = await openJournal();
    expect(events).toEqual([]);
    expect(repairs).toMatchObject([{ file: segment(1), offset: 0, droppedBytes: 12, seqsLost: [1] }]);
    await journal.append([ev(1)]);
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines([ev(1)]));
  });
});

describe('Journal: corruption is refused, never dropped', () => {
  it('throws for a bad line in the middle, naming the file and line, and leaves the file alone', async () => {
    const content = `${lines(evs(1, 2))}{"seq":3,"type":garbage}\n${lines(evs(4, 5))}`;
    fs.writeFileSync(segment(1), content);
    const journal = new Journal<Ev>({ dir, logger: silentLogger });
    const error = await journal.open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as Error).message).toContain(segment(1));
    expect((error as Error).message).toContain('line 3');
    expect((error as Error).message).toMatch(/must be inspected/);
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(content);
  });

  it('throws for a valid JSON line that is not an event', async () => {
    fs.writeFileSync(segment(1), `${lines([ev(1)])}[1,2]\n${lines([ev(3)])}`);
    await expect(new Journal<Ev>({ dir, logger: silentLogger }).open()).rejects.toThrow(/line 2/);
  });

  it('throws for a torn line in a segment that is not the last one', async () => {
    fs.writeFileSync(segment(1), `${lines(evs(1, 2))}{"seq":3,`);
    fs.writeFileSync(segment(3), lines([ev(3)]));
    const error = await new Journal<Ev>({ dir, logger: silentLogger }).open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as Error).message).toContain(`${segment(1)} line 3`);
  });

  it.each([
    ['a gap', [1, 2, 4], 'line 3'],
    ['a repeat', [1, 2, 2], 'line 3'],
    ['a step back', [1, 2, 3, 1], 'line 4'],
  ])('throws for %s in seqs', async (_name, seqs, where) => {
    fs.writeFileSync(segment(1), lines(seqs.map(ev)));
    const error = await new Journal<Ev>({ dir, logger: silentLogger }).open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(JournalCorruptError);
    expect((error as Error).message).toContain(`${segment(1)} ${where}`);
  });

  it('throws for a gap across segments', async () => {
    fs.writeFileSync(segment(1), lines(evs(1, 3)));
    fs.writeFileSync(segment(5), lines(evs(5, 6)));
    await expect(new Journal<Ev>({ dir, logger: silentLogger }).open()).rejects.toThrow(
      `${segment(5)} line 1`,
    );
  });

  it('throws when the journal after a snapshot does not start right after it', async () => {
    fs.writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify({ seq: 2, state: {} }));
    fs.writeFileSync(segment(4), lines(evs(4, 5)));
    await expect(new Journal<Ev>({ dir, logger: silentLogger }).open()).rejects.toThrow(JournalCorruptError);
  });

  it('does not read segments the snapshot already covers, so old damage or a long history cannot block a start', async () => {
    fs.writeFileSync(segment(1), `${lines(evs(1, 2))}garbage\n${lines([ev(4)])}`);
    fs.writeFileSync(path.join(dir, 'snapshot.json'), JSON.stringify({ seq: 4, state: { at: 4 } }));
    fs.writeFileSync(segment(5), lines(evs(5, 6)));
    const { snapshot, events } = await openJournal();
    expect(snapshot).toEqual({ seq: 4, state: { at: 4 } });
    expect(events).toEqual(evs(5, 6));
  });

  it('sets an unreadable snapshot aside and rebuilds from the journal (issue 10)', async () => {
    fs.writeFileSync(segment(1), lines(evs(1, 3)));
    fs.writeFileSync(path.join(dir, 'snapshot.json'), '{"seq":');
    const { snapshot, events } = await openJournal();
    expect(snapshot).toBeNull();
    expect(events).toEqual(evs(1, 3));
    expect(fs.existsSync(path.join(dir, 'snapshot.json'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'quarantine')).some((f) => f.startsWith('snapshot.json'))).toBe(
      true,
    );
  });
});

describe('Journal: checksums (issue 10)', () => {
  /** Opens the journal and returns the refusal it must give. */
  async function refusal(): Promise<JournalCorruptError> {
    const error = await new Journal<Ev>({ dir, logger: silentLogger }).open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(JournalCorruptError);
    return error as JournalCorruptError;
  }

  it('writes every record with the CRC-32C of its JSON', async () => {
    const { journal } = await openJournal();
    await journal.append(evs(1, 2));
    const text = fs.readFileSync(segment(1), 'utf8');
    expect(text).toBe(lines(evs(1, 2)));
    expect(text).toMatch(/^[0-9a-f]{8} \{"seq":1,/);
  });

  it('refuses a flipped byte in the last complete line instead of dropping it as torn', async () => {
    fs.writeFileSync(segment(1), lines(evs(1, 3)));
    const bytes = fs.readFileSync(segment(1));
    const at = bytes.lastIndexOf('A003') + 3;
    bytes[at] = '9'.charCodeAt(0); // still valid JSON, and still newline-terminated
    fs.writeFileSync(segment(1), bytes);
    const error = await refusal();
    expect(error.message).toContain(`${segment(1)} line 3 (seq 3)`);
    expect(error.message).toMatch(/checksum/);
    expect(error.message).toContain('npm run journal:repair');
    expect(error).toMatchObject({ file: segment(1), line: 3, seq: 3 });
    expect(fs.readFileSync(segment(1))).toEqual(bytes); // nothing dropped
  });

  it('refuses a damaged checksum: another hex digit, a capital, a letter that is not hex', async () => {
    const good = lines(evs(1, 12));
    const damage = (line: number, at: (sum: string) => number, to: (c: string) => string) => {
      const start =
        good
          .split('\n')
          .slice(0, line - 1)
          .join('\n').length + (line > 1 ? 1 : 0);
      const sum = good.slice(start, start + 8);
      const i = at(sum);
      return i < 0 ? null : `${good.slice(0, start + i)}${to(sum[i] as string)}${good.slice(start + i + 1)}`;
    };
    // A line whose checksum has a letter, for the capital.
    const withLetter = [...Array(12).keys()]
      .map((i) => i + 1)
      .find(
        (n) =>
          damage(
            n,
            (s) => s.search(/[a-f]/),
            (c) => c,
          ) !== null,
      );
    const cases: [number, string | null, RegExp][] = [
      [
        2,
        damage(
          2,
          () => 5,
          (c) => (c === '0' ? '1' : '0'),
        ),
        /checksum mismatch/,
      ],
      [
        withLetter as number,
        damage(
          withLetter as number,
          (s) => s.search(/[a-f]/),
          (c) => c.toUpperCase(),
        ),
        /not a journal record/,
      ],
      [
        3,
        damage(
          3,
          () => 0,
          () => 'g',
        ),
        /not a journal record/,
      ],
    ];
    for (const [line, damaged, problem] of cases) {
      fs.writeFileSync(segment(1), damaged as string);
      const error = await refusal();
      expect(error.message).toContain(`${segment(1)} line ${line} (seq ${line})`);
      expect(error.message).toMatch(problem);
    }
  });

  it('refuses a flip that stays valid JSON in the middle (ticket A009 read as A003)', async () => {
    fs.writeFileSync(segment(1), lines(evs(1, 12)));
    const text = fs.readFileSync(segment(1), 'utf8').replace('"A009"', '"A003"');
    fs.writeFileSync(segment(1), text);
    const error = await refusal();
    expect(error.message).toContain(`${segment(1)} line 9 (seq 9)`);
  });

  it('reads journals written before checksums, says so, and checksums what it appends', async () => {
    fs.writeFileSync(segment(1), legacyLines(evs(1, 3)));
    const { logger, records } = capturingLogger();
    const { journal, events } = await openJournal(logger);
    expect(events).toEqual(evs(1, 3));
    expect(records.some((r) => r.uncheckedRecords === 3)).toBe(true);
    await journal.append([ev(4)]);
    await journal.close();
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(legacyLines(evs(1, 3)) + lines([ev(4)]));
    expect((await openJournal()).events).toEqual(evs(1, 4));
  });

  it('refuses an old record without checksum once checksummed records have begun', async () => {
    fs.writeFileSync(segment(1), lines(evs(1, 2)) + legacyLines([ev(3)]) + lines([ev(4)]));
    expect((await refusal()).message).toContain(`${segment(1)} line 3`);
  });

  it('refuses an old record whose "type" key was damaged, naming the file and line', async () => {
    fs.writeFileSync(segment(1), legacyLines(evs(1, 3)).replace('"type"', '"tyqe"'));
    const error = await refusal();
    expect(error.message).toContain(`${segment(1)} line 1`);
  });

  it('sets a snapshot with a flipped number aside and rebuilds the state from the journal', async () => {
    const first = await openJournal();
    await first.journal.append(evs(1, 3));
    await first.journal.writeSnapshot(3, { lastNumber: { 'dat-dai': 3 } });
    await first.journal.append([ev(4)]);
    await first.journal.close();
    const file = path.join(dir, 'snapshot.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"dat-dai":3', '"dat-dai":1'));
    const { logger, records } = capturingLogger();
    const { snapshot, events } = await openJournal(logger);
    expect(snapshot).toBeNull();
    expect(events).toEqual(evs(1, 4));
    expect(records.some((r) => String(r.msg).includes('snapshot'))).toBe(true);
  });
});

describe('Journal: reading the snapshot from its bytes (issue 14)', () => {
  const state = { note: 'Trả kết quả – hộ tịch', labels: ['Đất đai', 'Cư trú'] };
  const snapshotBytes = async () => {
    const first = await openJournal();
    await first.journal.append(evs(1, 2));
    await first.journal.writeSnapshot(2, state);
    await first.journal.close();
    return fs.readFileSync(path.join(dir, 'snapshot.json'));
  };

  it('reads a snapshot with Vietnamese text, from its bytes or as text alike', async () => {
    const bytes = await snapshotBytes();
    const fromBytes = parseSnapshot(bytes);
    expect(fromBytes).toMatchObject({ seq: 2, state, checked: true });
    expect(parseSnapshot(bytes.toString('utf8'))).toEqual(fromBytes);
    expect((await openJournal()).snapshot).toEqual({ seq: 2, state });
  });

  it('finds a damaged byte inside a multi-byte letter, a cut-short file and a missing brace', async () => {
    const bytes = await snapshotBytes();
    const at = bytes.indexOf(Buffer.from('ả', 'utf8'));
    const flipped = Buffer.from(bytes);
    flipped[at + 1] = (flipped[at + 1] as number) ^ 0x01; // still valid UTF-8: another letter
    expect(parseSnapshot(flipped)).toBe('checksum mismatch');
    const invalid = Buffer.from(bytes);
    invalid[at + 1] = 0xff; // not UTF-8 at all
    expect(parseSnapshot(invalid)).toBe('checksum mismatch');
    expect(parseSnapshot(bytes.subarray(0, bytes.length - 10))).toBe('it is cut short');
    expect(parseSnapshot(bytes.subarray(0, 40))).toBe('it is cut short');
    expect(parseSnapshot(Buffer.concat([bytes.subarray(0, bytes.length - 2), Buffer.from('\n')]))).toBe(
      'checksum mismatch',
    );
  });

  it('still reads a snapshot written before checksums (format 1), from its bytes', () => {
    const old = Buffer.from(JSON.stringify({ seq: 7, state: { note: 'Tư pháp' } }), 'utf8');
    expect(parseSnapshot(old)).toEqual({ seq: 7, state: { note: 'Tư pháp' }, checked: false });
  });
});

describe('Journal: failures and close', () => {
  it('poisons the journal when fsync fails: that batch, queued and later appends all reject', async () => {
    const { journal } = await openJournal();
    await journal.append([ev(1)]);
    vi.spyOn(await fileHandlePrototype(), 'datasync').mockRejectedValueOnce(eio());

    const failed = journal.append([ev(2)]);
    const queued = journal.append([ev(3)]);
    const failedError = await failed.catch((err: unknown) => err);
    expect(failedError).toBeInstanceOf(JournalFailedError);
    expect((failedError as Error).cause).toMatchObject({ code: 'EIO' });
    await expect(queued).rejects.toThrow(JournalFailedError);
    await expect(journal.append([ev(4)])).rejects.toThrow(JournalFailedError);
    await expect(journal.writeSnapshot(journal.lastSeq, {})).rejects.toThrow(JournalFailedError);
    await journal.close();
  });

  it('on a full disk refuses the batch, cuts back what it half wrote, and resumes (issue 10)', async () => {
    const { journal } = await openJournal();
    await journal.append([ev(1)]);
    const proto = await fileHandlePrototype();
    const write = proto.write;
    vi.spyOn(proto, 'write').mockImplementation(async function (this: FileHandle, ...args: unknown[]) {
      const [buffer, offset, length] = args as [Buffer, number, number];
      await (write as (...a: unknown[]) => Promise<unknown>).call(
        this,
        buffer,
        offset,
        Math.floor(length / 2),
      );
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    } as typeof write);
    const batch = journal.append([ev(2)]);
    const queued = journal.append([ev(3)]);
    await expect(batch).rejects.toBeInstanceOf(DiskFullError);
    await expect(queued).rejects.toBeInstanceOf(DiskFullError);
    expect(fs.readFileSync(segment(1), 'utf8')).toBe(lines([ev(1)])); // the half record is gone
    expect(journal.lastSeq).toBe(1);
    vi.restoreAllMocks();
    await expect(journal.append([ev(2)])).rejects.toBeInstanceOf(DiskFullError); // until resumed
    journal.resume();
    await journal.append([ev(2)]);
    await journal.close();
    expect((await openJournal()).events).toEqual(evs(1, 2));
  });

  it('poisons the journal when the write fails', async () => {
    const { journal } = await openJournal();
    vi.spyOn(await fileHandlePrototype(), 'write').mockRejectedValueOnce(eio());
    await expect(journal.append([ev(1)])).rejects.toThrow(/EIO/);
    await expect(journal.append([ev(2)])).rejects.toThrow(JournalFailedError);
  });

  it('rejects append before open and after close, and close is idempotent', async () => {
    const unopened = new Journal<Ev>({ dir, logger: silentLogger });
    await expect(unopened.append([ev(1)])).rejects.toThrow(/not open/);
    await unopened.close();

    const { journal } = await openJournal();
    const pending = journal.append([ev(1)]);
    await Promise.all([journal.close(), journal.close()]);
    await pending; // close flushed it
    await journal.close();
    await expect(journal.append([ev(2)])).rejects.toThrow(/closed/);
    await expect(journal.writeSnapshot(1, {})).rejects.toThrow(/closed/);
    expect((await openJournal()).events).toEqual([ev(1)]);
  });
});
