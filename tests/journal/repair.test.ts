import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal, JournalCorruptError } from '../../controller/journal/journal.ts';
import { repairJournal } from '../../controller/journal/repair.ts';
import { formatRecord } from '../../controller/journal/segment-reader.ts';
import { silentLogger } from '../../controller/logger.ts';

type Ev = { seq: number; type: string; ticket?: { id: string; label: string }; ticketId?: string };

const issued = (seq: number, n: number): Ev => ({
  seq,
  type: 'ticketIssued',
  ticket: { id: `2026-11-23:dat-dai:${n}`, label: `1${String(n).padStart(3, '0')}` },
});
const called = (seq: number, n: number): Ev => ({
  seq,
  type: 'ticketCalled',
  ticketId: `2026-11-23:dat-dai:${n}`,
});
const EVENTS: Ev[] = [{ seq: 1, type: 'dayStarted' }, issued(2, 1), issued(3, 2), called(4, 1), issued(5, 3)];

let dataDir: string;
let journalDir: string;
const segment = (first: number) => path.join(journalDir, `journal-${String(first).padStart(12, '0')}.jsonl`);

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journal-repair-'));
  journalDir = path.join(dataDir, 'journal');
  fs.mkdirSync(journalDir);
  fs.writeFileSync(segment(1), EVENTS.slice(0, 3).map(formatRecord).join(''));
  fs.writeFileSync(segment(4), EVENTS.slice(3).map(formatRecord).join(''));
  // Flip one byte of seq 3's record: ticket 1002 now reads 1003.
  fs.writeFileSync(segment(1), fs.readFileSync(segment(1), 'utf8').replace('"1002"', '"1003"'));
});

afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('npm run journal:repair (issue 10)', () => {
  it('quarantines from the damaged record on, says which tickets are affected, and the journal opens', async () => {
    const refused = await new Journal({ dir: journalDir, logger: silentLogger }).open().catch((e) => e);
    expect(refused).toBeInstanceOf(JournalCorruptError);

    const report = await repairJournal(journalDir, silentLogger);
    expect(report).toMatchObject({ file: segment(1), line: 3, fromSeq: 3, seqs: [3, 4, 5] });
    expect(report?.tickets.map((t) => t.id)).toEqual([
      '2026-11-23:dat-dai:2',
      '2026-11-23:dat-dai:1',
      '2026-11-23:dat-dai:3',
    ]);
    expect(fs.existsSync(segment(4))).toBe(false);
    const kept = fs.readdirSync(report?.quarantine as string);
    expect(kept.sort()).toEqual(['journal-000000000001.jsonl.from-line-3', 'journal-000000000004.jsonl']);

    const journal = new Journal<Ev>({ dir: journalDir, logger: silentLogger });
    const { events } = await journal.open();
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
    await journal.close();
    expect(await repairJournal(journalDir, silentLogger)).toBeNull(); // nothing left to repair
  });

  it('sets aside a snapshot that is ahead of what is kept, and can be run again for older damage', async () => {
    const body = JSON.stringify({ seq: 5, state: {}, writtenAt: new Date().toISOString() });
    fs.writeFileSync(path.join(journalDir, 'snapshot.json'), body);
    // The snapshot covers segment 1, so only damage in the last segment stops a start.
    fs.writeFileSync(segment(4), fs.readFileSync(segment(4), 'utf8').replace('ticketCalled', 'ticketCal1ed'));
    const first = await repairJournal(journalDir, silentLogger);
    expect(first).toMatchObject({ file: segment(4), line: 1, fromSeq: 4, snapshotSetAside: true });
    expect(fs.existsSync(path.join(journalDir, 'snapshot.json'))).toBe(false);
    // Without the snapshot, segment 1 is read again, and its damage is the next to repair.
    expect(await repairJournal(journalDir, silentLogger)).toMatchObject({ file: segment(1), line: 3 });
    expect(await repairJournal(journalDir, silentLogger)).toBeNull();
  });

  it('runs as a command that prints the damaged record and the affected tickets', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'controller/journal-repair-cli.ts', '--data-dir', dataDir],
      { cwd: path.join(import.meta.dirname, '../..'), encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${segment(1)} line 3`);
    expect(run.stdout).toContain('2026-11-23:dat-dai:2');
    expect(run.stdout).toContain('2026-11-23:dat-dai:3');
  });
});
