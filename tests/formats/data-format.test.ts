/**
 * On-disk format versions (issue 16): a controller starts on a data folder written before versions
 * existed and finds every ticket, account and rating; it refuses a folder of a newer format with a
 * message naming the part, before touching anything.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_MANAGER } from '../../controller/accounts/demo-accounts.ts';
import {
  CONTROLLER_VERSION,
  CURRENT_FORMATS,
  DATA_FORMAT_FILE,
  newerFormats,
  planMigrations,
  UNVERSIONED,
} from '../../controller/formats/data-format.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { getJson, runUntilExit, signIn, tempDataDir } from '../helpers/controller-process.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/data-unversioned');
const expected = JSON.parse(
  readFileSync(resolve(import.meta.dirname, '../fixtures/data-unversioned.expected.json'), 'utf8'),
) as { issued: string[]; ratings: { ticketId: string; level: number }[]; accounts: string[] };
const FIXTURE_DAY = expected.issued[0]?.slice(0, 10) ?? '';

let ctx: InProcess | undefined;
afterEach(async () => {
  await ctx?.stop();
  ctx = undefined;
});

describe('on-disk format versions (issue 16)', () => {
  it('starts on a data folder of the previous (unversioned) format and finds every ticket, account and rating', async () => {
    ctx = await startInProcess(null, {}, async (dir) => cpSync(FIXTURE, dir, { recursive: true }));
    const written = JSON.parse(readFileSync(join(ctx.dataDir, DATA_FORMAT_FILE), 'utf8'));
    expect(written).toEqual({
      version: 1,
      writtenBy: `hall-controller ${CONTROLLER_VERSION}`,
      formats: CURRENT_FORMATS,
    });

    // Every account signs in with the password it had (the created one and the seeded manager).
    const manager = await signIn(ctx.url, {
      username: DEMO_MANAGER.username,
      password: DEMO_MANAGER.password,
    });
    await signIn(ctx.url, { username: 'tran-van-binh', password: 'mat-khau-rat-dai' });
    const accounts = await getJson(`${ctx.url}/api/accounts`, manager);
    expect(accounts.json.accounts.map((a: { username: string }) => a.username)).toEqual(
      expect.arrayContaining(expected.accounts),
    );

    // Every rating, by level, in the day's report read from the old journal.
    const report = await getJson(`${ctx.url}/api/reports/daily?day=${FIXTURE_DAY}`, manager);
    expect(report.status).toBe(200);
    const byLevel = [0, 0, 0, 0];
    for (const r of expected.ratings) byLevel[r.level - 1] = (byLevel[r.level - 1] ?? 0) + 1;
    expect(report.json.total.figures.satisfaction).toMatchObject({ rated: 3, byLevel });
    // Written before ratings had a source: every one reads as the citizen's own, none as paper.
    expect(report.json.total.paper).toMatchObject({ rated: 0, withPaper: { rated: 3 } });
    expect(report.json.total.figures.served).toBe(expected.ratings.length);

    // Every ticket: still in the queue on the fixture's day, in the day's records once it is over.
    if (ctx.controller.queue.state.day === FIXTURE_DAY) {
      for (const id of expected.issued) {
        const t = await getJson(`${ctx.url}/api/tickets/${encodeURIComponent(id)}`, manager);
        expect(t.status, id).toBe(200);
      }
    } else {
      expect(report.json.total.figures.tickets).toBe(expected.issued.length);
    }
    // The queue goes on numbering after the old tickets, never reusing one.
    const next = ctx.controller.queue.state.lastNumber['dat-dai'] ?? 0;
    expect(ctx.controller.queue.state.day !== FIXTURE_DAY || next === expected.issued.length).toBe(true);
  });

  it('refuses a data folder with a newer format, naming the part, and touches nothing', async () => {
    const data = tempDataDir('hall-newer-');
    try {
      cpSync(FIXTURE, data.dir, { recursive: true });
      const format = {
        version: 1,
        writtenBy: 'hall-controller 9.0.0',
        formats: { ...CURRENT_FORMATS, accounts: CURRENT_FORMATS.accounts + 1 },
      };
      writeFileSync(join(data.dir, DATA_FORMAT_FILE), JSON.stringify(format));
      const before = listing(data.dir);
      const run = await runUntilExit(['--data-dir', data.dir]);
      expect(run.code).toBe(1);
      expect(run.output).toContain(
        `was written by a newer controller (hall-controller 9.0.0): accounts version 2`,
      );
      expect(run.output).toContain('Install hall-controller 9.0.0 or newer');
      expect(listing(data.dir)).toEqual(before);
    } finally {
      data.remove();
    }
  }, 30_000);

  it('the tools that change a stopped folder (provisioning here) refuse a newer format too', () => {
    const data = tempDataDir('hall-newer-tool-');
    try {
      cpSync(FIXTURE, data.dir, { recursive: true });
      const format = {
        version: 1,
        writtenBy: 'hall-controller 9.0.0',
        formats: { ...CURRENT_FORMATS, centre: 2 },
      };
      writeFileSync(join(data.dir, DATA_FORMAT_FILE), JSON.stringify(format));
      const before = listing(data.dir);
      const run = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'controller/provision-cli.ts', '--data-dir', data.dir],
        {
          encoding: 'utf8',
        },
      );
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        'was written by a newer controller (hall-controller 9.0.0): centre version 2',
      );
      expect(listing(data.dir)).toEqual(before);
    } finally {
      data.remove();
    }
  }, 30_000);

  it('refuses an unknown part, a newer layout of data-format.json and a damaged one', async () => {
    expect(newerFormats({ ...CURRENT_FORMATS, visits: 1 }, '/d', 'x 2')).toContain(
      'visits (version 1, a part this controller does not know)',
    );
    expect(newerFormats({ ...CURRENT_FORMATS }, '/d', 'x')).toBeNull();
    for (const [content, message] of [
      ['{"version":2,"writtenBy":"x","formats":{}}', /layout version 2, newer than this controller/],
      ['{"version":1,', /is damaged .*restore the data folder from a backup/],
      ['{"version":1,"writtenBy":"x","formats":{"journal":-1}}', /is damaged \(formats\.journal/],
    ] as const) {
      const data = tempDataDir('hall-format-');
      try {
        writeFileSync(join(data.dir, DATA_FORMAT_FILE), content);
        await expect(startInProcessAt(data.dir)).rejects.toThrow(message);
      } finally {
        data.remove();
      }
    }
  });

  it('plans one logged step per part from the unversioned format (two for the journal), and none from the current one', () => {
    expect(planMigrations(UNVERSIONED).map((m) => `${m.part} ${m.from}→${m.to}`)).toEqual(
      Object.entries(CURRENT_FORMATS).flatMap(([part, v]) =>
        part === 'journal' ? ['journal 0→2', `journal 2→${v}`] : [`${part} 0→${v}`],
      ),
    );
    // Journal 3: rating events name their source; a folder at 2 takes one logged step, rewriting nothing.
    const fromTwo = planMigrations({ ...CURRENT_FORMATS, journal: 2 });
    expect(fromTwo.map((m) => `${m.part} ${m.from}→${m.to}`)).toEqual(['journal 2→3']);
    expect(fromTwo[0]?.what).toMatch(/source.*read as what they were/);
    expect(planMigrations({ ...CURRENT_FORMATS })).toEqual([]);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(CONTROLLER_VERSION).toBe(pkg.version);
  });
});

async function startInProcessAt(dir: string): Promise<void> {
  const started = await startInProcess(undefined, { dataDir: dir });
  await started.stop();
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
