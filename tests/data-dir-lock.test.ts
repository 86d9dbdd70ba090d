import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, uptime } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** A child process that takes the lock on command (tests/helpers/lock-contender.ts). */
class Contender {
  readonly child: ChildProcess;
  readonly #waiting: ((m: Record<string, unknown>) => void)[] = [];

  constructor() {
    this.child = fork(join(import.meta.dirname, 'helpers/lock-contender.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m) => this.#waiting.shift()?.(m as Record<string, unknown>));
  }

  next(): Promise<Record<string, unknown>> {
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async ask(message: object): Promise<Record<string, unknown>> {
    const reply = this.next();
    this.child.send(message);
    return reply;
  }
}

const TRIALS = 60;
let contenders: Contender[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  contenders = [new Contender(), new Contender()];
  await Promise.all(contenders.map((c) => c.next())); // ready
}, 60_000);

afterAll(() => {
  for (const c of contenders) c.child.kill();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited: a lock naming it is stale, as after a power cut. */
function deadPid(): number {
  const pid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  }).stdout;
  return Number(pid);
}

async function race(prepare: (dir: string) => void): Promise<number[]> {
  const holders: number[] = [];
  for (let trial = 0; trial < TRIALS; trial++) {
    const dir = mkdtempSync(join(tmpdir(), 'hall-lock-'));
    dirs.push(dir);
    prepare(dir);
    const answers = await Promise.all(contenders.map((c) => c.ask({ acquire: dir })));
    holders.push(answers.filter((a) => a.got).length);
    for (const [i, a] of answers.entries()) {
      if (!a.got) expect(a.error).toMatch(/another controller \(pid \d+\) is using/);
      else await contenders[i]?.ask({ release: true });
    }
  }
  return holders;
}

describe('the data-folder lock (issue 10)', () => {
  it('is held by exactly one of two processes taking it at the same moment on a fresh folder', async () => {
    const holders = await race(() => undefined);
    expect(holders.filter((n) => n !== 1)).toEqual([]);
  }, 120_000);

  it('is held by exactly one of two processes taking over the same stale lock at the same moment', async () => {
    const stale = deadPid();
    const boot = Math.round(Date.now() / 1000 - uptime());
    const holders = await race((dir) => writeFileSync(join(dir, 'controller.pid'), `${stale} ${boot}\n`));
    expect(holders.filter((n) => n !== 1)).toEqual([]);
  }, 120_000);
});
