/**
 * Backup and restore (issue 16): a backup taken by `npm run backup` during a burst of tickets
 * restores to a controller holding exactly the journal's tickets up to the backup's point, which
 * includes every ticket acknowledged before the backup began; damaged, partial, newer, other-centre
 * backups and a data folder a running controller holds are refused with nothing changed.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { takeBackup } from '../../controller/backup/backup.ts';
import { checkBackup, restoreBackup } from '../../controller/backup/restore.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { CURRENT_FORMATS } from '../../controller/formats/data-format.ts';
import { readEventsAfter } from '../../controller/journal/journal-reader.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { postJson, tempDataDir } from '../helpers/controller-process.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = resolve(import.meta.dirname, '../fixtures/data-unversioned');
const temps: { remove: () => void }[] = [];
const temp = (prefix: string) => {
  const t = tempDataDir(prefix);
  temps.push(t);
  return t.dir;
};
let running: InProcess[] = [];
afterEach(async () => {
  for (const r of running) await r.stop();
  running = [];
  for (const t of temps.splice(0)) t.remove();
});

function cli(script: 'backup' | 'restore', args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'controller', 'backup', `${script}-cli.ts`), ...args],
    { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  return new Promise<{ code: number | null; output: string }>((done) =>
    child.once('exit', (code) => done({ code, output })),
  );
}

async function journalEvents(dataDir: string): Promise<QueueEvent[]> {
  const out: QueueEvent[] = [];
  for await (const batch of readEventsAfter<QueueEvent>(join(dataDir, 'journal'), 0)) out.push(...batch);
  return out;
}

function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out.push(`${p.slice(dir.length)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

describe('backup during a burst of tickets (issue 16)', () => {
  it('restores exactly the tickets journaled up to the backup point, every one acknowledged before it included', async () => {
    const ctx = await startInProcess();
    running.push(ctx);
    const acks: { id: string; sentAt: number; at: number }[] = [];
    let stop = false;
    let afterBackup = 0;
    const worker = async (n: number) => {
      for (let i = 0; !stop; i++) {
        const sentAt = performance.now();
        const res = await postJson(`${ctx.url}/api/tickets`, {
          serviceId: (n + i) % 2 ? 'dat-dai' : 'cu-tru',
          source: 'kiosk',
        });
        if (res.status !== 201 && res.status !== 200)
          throw new Error(`ticket: ${res.status} ${JSON.stringify(res.json)}`);
        acks.push({ id: res.json.ticket.id, sentAt, at: performance.now() });
        if (afterBackup && acks.length >= afterBackup) stop = true;
      }
    };
    const workers = Array.from({ length: 6 }, (_, n) => worker(n));
    while (acks.length < 30) await new Promise((r) => setTimeout(r, 10));
    const folder = temp('hall-backups-');
    const backupStartedAt = performance.now();
    const run = await cli('backup', [folder, '--data-dir', ctx.dataDir]);
    const backupEndedAt = performance.now();
    afterBackup = acks.length + 30;
    await Promise.all(workers);
    expect(run.code, run.output).toBe(0);
    const dir = /Backup written \/ Đã sao lưu: (\S+)/.exec(run.output)?.[1] ?? '';
    const manifest = await checkBackup(dir);
    await ctx.controller.stop();

    const original = await journalEvents(ctx.dataDir);
    const issuedUpTo = (events: QueueEvent[], seq: number) =>
      events
        .filter((e) => e.seq <= seq && e.type === 'ticketIssued')
        .map((e) => (e.type === 'ticketIssued' ? e.ticket.id : ''));
    const expected = issuedUpTo(original, manifest.journal.lastSeq);
    const ackedBefore = acks.filter((a) => a.at < backupStartedAt).map((a) => a.id);
    // A ticket asked for once the backup had finished cannot be in it (one acknowledged just after
    // it may be: the fsync comes before the answer).
    const askedAfter = acks.filter((a) => a.sentAt > backupEndedAt).map((a) => a.id);
    expect(ackedBefore.length).toBeGreaterThanOrEqual(30);
    expect(expected).toEqual(expect.arrayContaining(ackedBefore));
    for (const id of askedAfter) expect(expected).not.toContain(id);
    expect(askedAfter.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(acks.length);

    const target = temp('hall-restored-');
    const restored = await cli('restore', [dir, '--data-dir', target]);
    expect(restored.code, restored.output).toBe(0);
    expect(restored.output).toContain(`journal up to seq ${manifest.journal.lastSeq}`);
    // The restored journal is the original's prefix, event for event.
    expect(await journalEvents(target)).toEqual(original.filter((e) => e.seq <= manifest.journal.lastSeq));
    const again = await startInProcess(undefined, { dataDir: target });
    running.push(again);
    const tickets = Object.keys(again.controller.queue.state.tickets).sort();
    expect(tickets).toEqual([...expected].sort());
  }, 120_000);
});

describe('a journal partly compressed by retention (issue 16)', () => {
  it('is copied as it is and restores to the same events', async () => {
    const data = temp('hall-gz-');
    cpSync(FIXTURE, data, { recursive: true });
    const plain = join(data, 'journal', 'journal-000000000002.jsonl');
    writeFileSync(`${plain}.gz`, gzipSync(readFileSync(plain)));
    unlinkSync(plain);
    const { dir, manifest } = await takeBackup({ dataDir: data, folder: temp('hall-bk-') });
    expect(manifest.files.map((f) => f.path)).toContain('journal/journal-000000000002.jsonl.gz');
    const target = temp('hall-target-');
    await restoreBackup({ backupDir: dir, dataDir: target });
    expect(await journalEvents(target)).toEqual(await journalEvents(data));
    expect((await journalEvents(target)).length).toBe(manifest.journal.lastSeq);
  });
});

describe('restore refuses, changing nothing (issue 16)', () => {
  const backupOfFixture = async () => {
    const data = temp('hall-src-');
    cpSync(FIXTURE, data, { recursive: true });
    return (await takeBackup({ dataDir: data, folder: temp('hall-bk-') })).dir;
  };

  it('a backup with no manifest (partial), a damaged file, an added file, a newer format', async () => {
    const dir = await backupOfFixture();
    await expect(checkBackup(join(dir, '..'))).rejects.toThrow(
      `is a folder of backups, not one backup: give one of them, e.g. the newest, ${dir}`,
    );
    const target = temp('hall-target-');
    const segment = join(dir, 'journal', 'journal-000000000002.jsonl');
    const original = readFileSync(segment);
    const flipped = Buffer.from(original);
    flipped[40] = (flipped[40] ?? 0) ^ 0x01;
    writeFileSync(segment, flipped);
    await expect(restoreBackup({ backupDir: dir, dataDir: target })).rejects.toThrow(
      /is damaged and was not restored: journal\/journal-000000000002\.jsonl does not match its SHA-256 checksum/,
    );
    writeFileSync(segment, original);
    writeFileSync(join(dir, 'stray.json'), '{}');
    await expect(checkBackup(dir)).rejects.toThrow(/stray\.json is not in the manifest/);
    const manifestFile = join(dir, 'manifest.json');
    const manifest = readFileSync(manifestFile, 'utf8');
    writeFileSync(join(dir, 'stray.json'), '');
    const m = JSON.parse(manifest);
    const newer = CURRENT_FORMATS.journal + 1;
    m.formats.journal = newer;
    m.createdBy = 'hall-controller 2.0.0';
    writeFileSync(manifestFile, JSON.stringify(m));
    await expect(checkBackup(dir)).rejects.toThrow(
      new RegExp(
        `written by a newer controller \\(hall-controller 2\\.0\\.0\\): journal version ${newer} \\(this controller reads up to ${CURRENT_FORMATS.journal}\\)`,
      ),
    );
    writeFileSync(manifestFile, manifest.slice(0, 100));
    await expect(checkBackup(dir)).rejects.toThrow(/manifest\.json is damaged/);
    unlinkSync(manifestFile);
    const run = await cli('restore', [dir, '--data-dir', target]);
    expect(run.code).toBe(1);
    expect(run.output).toContain('Restore refused / Không khôi phục được:');
    expect(run.output).toContain('is not a complete backup: it has no manifest.json');
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);

  it("another centre's backup, a folder already holding data (unless --replace), a folder a running controller holds", async () => {
    const dir = await backupOfFixture();
    const other = temp('hall-other-');
    cpSync(FIXTURE, other, { recursive: true });
    const centreFile = join(other, 'centre.json');
    writeFileSync(
      centreFile,
      readFileSync(centreFile, 'utf8').replace('"id": "tt-phvhcc-quang-nam"', '"id": "bp-mot-cua-hoi-an"'),
    );
    expect(readFileSync(centreFile, 'utf8')).toContain('bp-mot-cua-hoi-an');
    const before = listing(other);
    await expect(restoreBackup({ backupDir: dir, dataDir: other, replace: true })).rejects.toThrow(
      /the backup is of another centre \(tt-phvhcc-quang-nam, .*\) than .* \(bp-mot-cua-hoi-an\); nothing was changed/,
    );
    expect(listing(other)).toEqual(before);

    const same = temp('hall-same-');
    cpSync(FIXTURE, same, { recursive: true });
    await expect(restoreBackup({ backupDir: dir, dataDir: same })).rejects.toThrow(
      /already holds data .*nothing was changed\. Run again with --replace/,
    );
    const replaced = await restoreBackup({ backupDir: dir, dataDir: same, replace: true });
    expect(replaced.replacedInto).toMatch(/replaced-\d{8}T\d{6}Z$/);
    expect(readdirSync(replaced.replacedInto ?? '')).toContain('centre.json');
    // A restore cut short leaves its marker: no backup of that mix, and no start on it.
    writeFileSync(join(same, 'restore-in-progress'), dir);
    await expect(takeBackup({ dataDir: same, folder: temp('hall-bk-') })).rejects.toThrow(
      /a restore into .* is in progress or was interrupted/,
    );
    await expect(startInProcess(undefined, { dataDir: same })).rejects.toThrow(
      /a restore into .* was interrupted/,
    );
    await restoreBackup({ backupDir: dir, dataDir: same, replace: true });
    expect(readdirSync(same)).not.toContain('restore-in-progress');

    const live = await startInProcess();
    running.push(live);
    const run = await cli('restore', [dir, '--data-dir', live.dataDir, '--replace']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/another controller \(pid \d+\) is using .*; stop it first/);
    expect(live.controller.queue.state.day).toBeTruthy();
  }, 60_000);
});

/** A small real file system (tmpfs) at a temp folder; null where this process may not mount. */
function mountTmpfs(options: string): { dir: string; unmount: () => void } | null {
  const dir = temp('hall-mnt-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'ignore' });
  } catch {
    if (process.env.CI === 'true') throw new Error('cannot mount a tmpfs (CI runs these tests as root)');
    console.warn('skipping: mounting a tmpfs needs root');
    return null;
  }
  return { dir, unmount: () => execFileSync('umount', [dir]) };
}

describe('backing up into a full or read-only folder (issue 16)', () => {
  for (const [what, options, message] of [
    [
      'full',
      'size=16k',
      /cannot write the backup into .*: the disk is full \(ENOSPC\)\. Nothing in the data folder was changed/,
    ],
    ['read-only', 'ro,size=1m', /cannot write the backup into .*: the file system is read-only \(EROFS\)/],
  ] as const) {
    it(`refuses a ${what} folder, leaves no partial copy and changes nothing in DATA_DIR`, async () => {
      const mount = mountTmpfs(options);
      if (!mount) return;
      try {
        const data = temp('hall-src-');
        cpSync(FIXTURE, data, { recursive: true });
        const before = listing(data);
        await expect(takeBackup({ dataDir: data, folder: join(mount.dir, 'nightly') })).rejects.toThrow(
          message,
        );
        expect(listing(data)).toEqual(before);
        const left = what === 'full' ? readdirSync(join(mount.dir, 'nightly')) : readdirSync(mount.dir);
        expect(left).toEqual([]);
      } finally {
        mount.unmount();
      }
    });
  }
});
