/**
 * deploy/ (issue 16): the systemd units pass `systemd-analyze verify`, and the release build starts
 * exactly as the unit's ExecStart starts it — plain node on build/controller/main.js from the
 * WorkingDirectory, with the unit's environment only, as a user other than root — answers
 * /healthz/ready, and stops with status 0 on the unit's KillSignal.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTROLLER_ENV, CONTROLLER_NODE_FLAGS } from '../../scripts/process-env.mjs';
import { tempDataDir } from '../helpers/controller-process.ts';
import { eventually } from '../helpers/device-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DEPLOY = join(ROOT, 'deploy');
const UNITS = ['hall-controller.service', 'hall-controller-backup.service', 'hall-controller-backup.timer'];
const hasAnalyze = requireProgram('systemd-analyze', 'systemd');

/** The unit's [Service] settings: each key's values in order. */
function serviceSettings(unit: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  let section = '';
  for (const raw of readFileSync(join(DEPLOY, unit), 'utf8').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    if (section !== 'Service') continue;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    settings.set(key, [...(settings.get(key) ?? []), line.slice(eq + 1)]);
  }
  return settings;
}

/** Copies of the units where node is wherever this machine has it (verify checks ExecStart exists). */
const made: { remove: () => void }[] = [];
afterAll(() => {
  for (const t of made) t.remove();
});

function unitsForThisMachine(extra: Record<string, string> = {}): string {
  const temp = tempDataDir('hall-units-');
  made.push(temp);
  const dir = temp.dir;
  for (const unit of UNITS) {
    const text = readFileSync(join(DEPLOY, unit), 'utf8').replaceAll(
      '/usr/bin/node ',
      `${process.execPath} `,
    );
    writeFileSync(join(dir, unit), text);
  }
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

function verify(dir: string, units: string[]) {
  return spawnSync('systemd-analyze', ['verify', ...units.map((u) => join(dir, u))], {
    encoding: 'utf8',
    cwd: dir,
  });
}

describe.runIf(hasAnalyze)('the systemd units (issue 16)', () => {
  it('pass systemd-analyze verify with no warning', () => {
    const dir = unitsForThisMachine();
    const run = verify(dir, UNITS);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the check would catch a mistake (an unknown key, a missing program)', () => {
    const dir = unitsForThisMachine({
      'broken.service': '[Service]\nExecStart=/usr/bin/node-that-is-not-there x\nRestartt=on-failure\n',
    });
    const run = verify(dir, ['broken.service']);
    expect(run.stderr).toContain("Unknown key 'Restartt'");
    expect(run.stderr).toContain('is not executable');
  });
});

describe('the unit as the operator gets it (issue 16)', () => {
  it('runs as a non-root user in dialout, restarts on failure with a start-rate limit, writes only DATA_DIR, logs to journald', () => {
    const s = serviceSettings('hall-controller.service');
    expect(s.get('User')).toEqual(['hall']);
    expect(s.get('SupplementaryGroups')?.[0]?.split(' ')).toContain('dialout');
    expect(s.get('Restart')).toEqual(['on-failure']);
    const unit = readFileSync(join(DEPLOY, 'hall-controller.service'), 'utf8');
    expect(unit).toMatch(/^StartLimitIntervalSec=\S+$/m);
    expect(unit).toMatch(/^StartLimitBurst=\d+$/m);
    const dataDir = s
      .get('Environment')
      ?.find((e) => e.startsWith('DATA_DIR='))
      ?.slice('DATA_DIR='.length);
    expect(s.get('ReadWritePaths')).toEqual([dataDir]);
    expect(s.get('ProtectSystem')).toEqual(['strict']);
    expect(s.get('StandardOutput')).toEqual(['journal']);
    const backup = serviceSettings('hall-controller-backup.service');
    expect(backup.get('ExecStart')?.[0]).toMatch(
      /build\/controller\/backup\/backup-cli\.js (\S+) --keep \d+$/,
    );
    const folder = /backup-cli\.js (\S+)/.exec(backup.get('ExecStart')?.[0] ?? '')?.[1];
    expect(backup.get('ReadWritePaths')).toEqual([folder]);
  });

  it('gives the controller the process environment npm start gives it (scripts/process-env.mjs)', () => {
    const environment = serviceSettings('hall-controller.service').get('Environment') ?? [];
    for (const [key, value] of Object.entries(CONTROLLER_ENV))
      expect(environment).toContain(`${key}=${value}`);
  });

  it('starts the release build exactly as ExecStart does, answers ready, and stops with 0 on KillSignal', async () => {
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'ignore' });
    const s = serviceSettings('hall-controller.service');
    const [program, ...args] = (s.get('ExecStart')?.[0] ?? '').split(' ');
    expect(program).toBe('/usr/bin/node');
    // node's flags as npm start gives them (scripts/process-env.mjs), then the release build.
    expect(args).toEqual([...CONTROLLER_NODE_FLAGS, 'build/controller/main.js']);
    // WorkingDirectory is where the release is installed: this checkout stands in for it.
    expect(s.get('WorkingDirectory')).toEqual(['/opt/hall-controller']);
    expect(existsSync(join(ROOT, args.at(-1) ?? ''))).toBe(true);
    const data = tempDataDir('hall-unit-');
    // The unit's environment and nothing else (systemd does not pass the caller's), plus what an
    // operator would put in /etc/hall-controller/env: here free ports and a temp DATA_DIR.
    const env: Record<string, string> = {
      PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    };
    for (const e of s.get('Environment') ?? []) {
      const eq = e.indexOf('=');
      env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    Object.assign(env, { DATA_DIR: data.dir, HTTP_PORT: '0', MQTT_PORT: '0', BIND_HOST: '127.0.0.1' });
    // User=hall: not root. As root here, run as "nobody" (65534), owning only the data folder.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (asUser.uid !== undefined) chownSync(data.dir, asUser.uid, asUser.gid);
    const child = spawn(existsSync(program ?? '') ? (program ?? '') : process.execPath, args, {
      cwd: ROOT,
      env,
      ...asUser,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const port = await eventually(
        () =>
          /"controller ready".*"httpPort":(\d+)|"httpPort":(\d+).*"controller ready"/
            .exec(out)
            ?.slice(1)
            .find(Boolean),
        60_000,
        `the ready log line: ${out}`,
      );
      const ready = await fetch(`http://127.0.0.1:${port}/healthz/ready`);
      expect(ready.status).toBe(200);
      expect(out).not.toContain('TypeScript');
      expect(existsSync(join(data.dir, 'data-format.json'))).toBe(true);
      child.kill((s.get('KillSignal')?.[0] ?? 'SIGTERM') as NodeJS.Signals);
      expect(await exited).toBe(0);
      expect(out).toContain('"msg":"stopped"');
    } finally {
      child.kill('SIGKILL');
      data.remove();
    }
  }, 240_000);
});

describe('the udev rules (issue 16)', () => {
  it('are well-formed: each rule matches with == and assigns with =, and never opens every hidraw device', () => {
    const rules = readFileSync(join(DEPLOY, '70-hall-controller.rules'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      for (const part of rule.split(/,\s*/)) {
        expect(part, rule).toMatch(
          /^(KERNEL|SUBSYSTEM|ATTRS\{\w+\}|ENV\{\w+\})=="[^"]+"$|^(GROUP|MODE|SYMLINK\+?)="[^"]+"$/,
        );
      }
      if (rule.includes('hidraw')) expect(rule).toMatch(/ATTRS\{idVendor\}=="[0-9a-f]{4}"/);
    }
    // The unit gives the controller's user the groups the rules hand the devices to.
    const groups =
      serviceSettings('hall-controller.service').get('SupplementaryGroups')?.[0]?.split(' ') ?? [];
    for (const g of rules.map((r) => /GROUP="([^"]+)"/.exec(r)?.[1])) expect(groups).toContain(g);
  });
});
