import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../controller/journal/journal.ts';
import { readEventsAfter } from '../../controller/journal/journal-reader.ts';
import { applyJournalRetention, type JournalRetentionPolicy } from '../../controller/journal/retention.ts';
import { silentLogger } from '../../controller/logger.ts';

type Ev = { seq: number; type: string; day: number };
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-12-05T08:00:00Z');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'retention-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * `days` days of `perDay` events, a snapshot at the end of each day (as the queue takes one at each
 * day start), files dated as if written `days - d` days before NOW.
 */
async function writeDays(days: number, perDay: number): Promise<Ev[]> {
  const journal = new Journal<Ev>({ dir, logger: silentLogger });
  await journal.open();
  const all: Ev[] = [];
  for (let d = 0; d < days; d++) {
    const events = Array.from({ length: perDay }, (_, i) => ({
      seq: journal.lastSeq + 1 + i,
      type: 'ticket.issued',
      day: d,
    }));
    await journal.append(events);
    all.push(...events);
    await journal.writeSnapshot(journal.lastSeq, { day: d, count: all.length });
    const age = (NOW - (days - d) * DAY) / 1000;
    const segment = fs
      .readdirSync(dir)
      .filter((n) => n.startsWith('journal-'))
      .sort()
      .at(-2);
    if (segment) fs.utimesSync(path.join(dir, segment), age, age);
    const history = fs.readdirSync(path.join(dir, 'history')).sort().at(-1) as string;
    fs.utimesSync(path.join(dir, 'history', history), age, age);
  }
  await journal.close();
  return all;
}

async function readAll(): Promise<Ev[]> {
  const out: Ev[] = [];
  for await (const batch of readEventsAfter<Ev>(dir, 0)) out.push(...batch);
  return out;
}

const policy = (p: Partial<JournalRetentionPolicy>): JournalRetentionPolicy => ({
  compressAfterDays: 7,
  keepDays: null,
  ...p,
});
const run = (p: Partial<JournalRetentionPolicy>, neededFrom: number | null = null) =>
  applyJournalRetention({ dir, policy: policy(p), now: NOW, neededFrom, logger: silentLogger });

describe('journal retention', () => {
  it('compresses history older than the bound; every reader still reads every event', async () => {
    const written = await writeDays(20, 200);
    const before = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl'));
    const result = await run({ compressAfterDays: 7 });
    // Day d was written 20 - d days ago: days 0..13 are at least 7 days old.
    expect(result.compressed.length).toBe(14);
    expect(result.bytesFreed).toBeGreaterThan(0);
    const gz = fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl.gz'));
    expect(gz.length).toBe(14);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')).length).toBe(before.length - 14);
    expect(await readAll()).toEqual(written);
    // A start is unchanged, and a start that must rebuild from the first event reads the .gz too.
    fs.rmSync(path.join(dir, 'snapshot.json'));
    fs.rmSync(path.join(dir, 'history'), { recursive: true });
    const journal = new Journal<Ev>({ dir, logger: silentLogger });
    const opened = await journal.open();
    expect(opened.snapshot).toBeNull();
    expect(opened.events).toEqual(written);
    await journal.close();
  });

  it('never touches the live segment or what the snapshot does not cover', async () => {
    await writeDays(3, 10);
    const journal = new Journal<Ev>({ dir, logger: silentLogger });
    await journal.open();
    await journal.append([{ seq: 31, type: 'ticket.issued', day: 3 }]);
    await journal.close();
    for (const n of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, n), 0, 0);
    const result = await run({ compressAfterDays: 0, keepDays: 0 });
    expect(fs.existsSync(path.join(dir, 'journal-000000000031.jsonl'))).toBe(true);
    expect(result.compressed).not.toContain('journal-000000000031.jsonl');
    expect(result.deleted).not.toContain('journal-000000000031.jsonl');
    const reopened = new Journal<Ev>({ dir, logger: silentLogger });
    const opened = await reopened.open();
    expect(opened.events.map((e) => e.seq)).toEqual([31]);
    await reopened.close();
  });

  it('deletes segments older than keepDays only up to a kept snapshot, and a start can still rebuild', async () => {
    const written = await writeDays(30, 50);
    const result = await run({ compressAfterDays: 7, keepDays: 10 });
    // Day d's snapshot is 30 - d days old: the newest at least 10 days old is day 20's.
    const base = 21 * 50;
    expect(result.baseSeq).toBe(base);
    expect(result.deleted.length).toBe(21);
    expect(fs.readdirSync(path.join(dir, 'history')).sort()[0]).toBe(
      `snapshot-${String(base).padStart(12, '0')}.json`,
    );
    expect(await readAll()).toEqual(written.filter((e) => e.seq > base));
    // A damaged snapshot falls back to the newest sound one in history, then the later segments.
    fs.writeFileSync(path.join(dir, 'snapshot.json'), '{"crc32c":"00000000","snapshot":{"seq":1}}\n');
    const journal = new Journal<Ev>({ dir, logger: silentLogger });
    const opened = await journal.open();
    expect(opened.snapshot?.seq).toBeGreaterThanOrEqual(base);
    expect(journal.lastSeq).toBe(written.length);
    expect((opened.snapshot?.seq ?? 0) + opened.events.length).toBe(written.length);
    expect(opened.events).toEqual(written.filter((e) => e.seq > (opened.snapshot?.seq ?? 0)));
    await journal.close();
  });

  it('keeps every segment the upstream publisher still needs', async () => {
    await writeDays(30, 50);
    const neededFrom = 5 * 50 + 7; // a record of day 5 is not acknowledged yet
    const result = await run({ keepDays: 10 }, neededFrom);
    expect(result.baseSeq).toBe(5 * 50);
    const events = await readAll();
    expect(events[0]?.seq).toBe(5 * 50 + 1);
    expect(events.some((e) => e.seq === neededFrom)).toBe(true);
    const none = await run({ keepDays: 10 }, 1);
    expect(none.deleted).toEqual([]);
  });

  it('a crash between the compressed copy and removing the plain segment leaves a journal read once', async () => {
    const written = await writeDays(10, 20);
    const plain = 'journal-000000000001.jsonl';
    fs.copyFileSync(path.join(dir, plain), path.join(dir, `${plain}.gz`)); // not even gzip: never read
    fs.writeFileSync(path.join(dir, `${plain}.gz.tmp`), 'half');
    expect(await readAll()).toEqual(written);
    await run({ compressAfterDays: 1000 });
    expect(fs.existsSync(path.join(dir, `${plain}.gz`))).toBe(false);
    expect(fs.existsSync(path.join(dir, `${plain}.gz.tmp`))).toBe(false);
    expect(await readAll()).toEqual(written);
  });
});
