/** The controller process from the outside: start, stop, restart, and the ways start-up is refused. */
import { spawnSync } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_STAFF_PIN } from '../../controller/accounts/demo-accounts.ts';
import {
  getJson,
  kioskToken,
  postJson,
  type RunningController,
  runUntilExit,
  signIn,
  startController,
  tempDataDir,
} from '../helpers/controller-process.ts';

let running: RunningController | undefined;
const dirs: { remove: () => void }[] = [];
const newDataDir = () => {
  const d = tempDataDir();
  dirs.push(d);
  return d.dir;
};

afterEach(() => {
  running?.child.kill('SIGKILL');
  running = undefined;
  for (const d of dirs.splice(0)) d.remove();
});

describe('controller process', () => {
  it('starts on the demo centre, answers /healthz, issues and calls a ticket over HTTP', async () => {
    running = await startController(newDataDir());
    const health = await getJson(`${running.url}/healthz`);
    expect(health).toMatchObject({ status: 200, json: { status: 'ok', centre: 'tt-phvhcc-quang-nam' } });
    expect(health.json.mqtt.port).toBe(running.mqttPort);

    const issued = await postJson(
      `${running.url}/api/tickets`,
      { serviceId: 'dat-dai', source: 'kiosk' },
      await kioskToken(running.dataDir),
    );
    expect(issued.status).toBe(201);
    expect(issued.json.ticket).toMatchObject({ label: '1001', serviceName: 'Đất đai', status: 'waiting' });

    // The real access policy: calling needs a staff member signed in to the counter (demo account).
    expect((await postJson(`${running.url}/api/counters/quay-1/next`, {})).status).toBe(401);
    const staff = await signIn(running.url, {
      username: 'nguyen-thi-thu-ha',
      password: DEMO_STAFF_PIN,
      counterId: 'quay-1',
    });
    const called = await postJson(`${running.url}/api/counters/quay-1/next`, {}, staff);
    expect(called).toMatchObject({
      status: 200,
      json: { ticket: { label: '1001', status: 'called', counterNumber: 1 } },
    });
  });

  it('stops cleanly on SIGTERM, leaving a snapshot so the next start replays nothing', async () => {
    const dir = newDataDir();
    running = await startController(dir);
    await postJson(
      `${running.url}/api/tickets`,
      { serviceId: 'thue', source: 'kiosk' },
      await kioskToken(running.dataDir),
    );
    const before = (await getJson(`${running.url}/api/queue`)).json;
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    expect(readdirSync(join(dir, 'journal'))).toContain('snapshot.json');

    running = await startController(dir);
    expect(running.output()).toMatch(/"replayed":0/);
    const after = (await getJson(`${running.url}/api/queue`)).json;
    expect(after.tickets).toEqual(before.tickets);
    expect(after.seq).toBe(before.seq);
  });

  it('repairs a journal line torn by a power cut and keeps everything before it', async () => {
    const dir = newDataDir();
    running = await startController(dir);
    const t = (
      await postJson(
        `${running.url}/api/tickets`,
        { serviceId: 'cu-tru', source: 'kiosk' },
        await kioskToken(running.dataDir),
      )
    ).json.ticket;
    running.child.kill('SIGKILL');
    await running.exited;
    const segments = readdirSync(join(dir, 'journal'))
      .filter((f) => f.endsWith('.jsonl'))
      .sort();
    appendFileSync(join(dir, 'journal', segments.at(-1) as string), '{"seq":99,"type":"ticketIss');

    running = await startController(dir);
    expect(running.output()).toMatch(/torn/);
    expect((await getJson(`${running.url}/api/tickets/${t.id}`)).json).toMatchObject({ label: t.label });
    const next = (
      await postJson(
        `${running.url}/api/tickets`,
        { serviceId: 'cu-tru', source: 'kiosk' },
        await kioskToken(running.dataDir),
      )
    ).json.ticket;
    expect(next.label).toBe(`${t.label.slice(0, 1)}002`);
  });

  it('refuses a byte flipped in the last acknowledged ticket, and journal:repair names it (issue 10)', async () => {
    const dir = newDataDir();
    running = await startController(dir);
    const t = (
      await postJson(
        `${running.url}/api/tickets`,
        { serviceId: 'cu-tru', source: 'kiosk' },
        await kioskToken(running.dataDir),
      )
    ).json.ticket;
    running.child.kill('SIGKILL');
    await running.exited;
    running = undefined;
    const file = join(
      dir,
      'journal',
      readdirSync(join(dir, 'journal'))
        .filter((f) => f.endsWith('.jsonl'))
        .sort()
        .at(-1) as string,
    );
    const bytes = readFileSync(file);
    const at = bytes.lastIndexOf(`"label":"${t.label}"`) + 12;
    bytes[at] = (bytes[at] as number) ^ 0x02; // 8001 → 8003: still valid JSON, still newline-terminated
    writeFileSync(file, bytes);

    const refused = await runUntilExit(['--data-dir', dir]);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(new RegExp(`${file} line \\d+ \\(seq \\d+\\): checksum mismatch`));
    expect(refused.output).toContain('npm run journal:repair');

    const repair = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'controller/journal-repair-cli.ts', '--data-dir', dir],
      { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8' },
    );
    expect(repair.status).toBe(0);
    expect(repair.stdout).toContain(t.id);

    running = await startController(dir);
    expect((await getJson(`${running.url}/api/tickets/${t.id}`)).status).toBe(404);
  });

  it('refuses to start on a journal corrupted in the middle, saying where', async () => {
    const dir = newDataDir();
    running = await startController(dir);
    await postJson(
      `${running.url}/api/tickets`,
      { serviceId: 'cu-tru', source: 'kiosk' },
      await kioskToken(running.dataDir),
    );
    await postJson(
      `${running.url}/api/tickets`,
      { serviceId: 'cu-tru', source: 'kiosk' },
      await kioskToken(running.dataDir),
    );
    running.child.kill('SIGKILL');
    await running.exited;
    running = undefined;
    const segments = readdirSync(join(dir, 'journal')).filter((f) => f.endsWith('.jsonl'));
    const file = join(dir, 'journal', segments.sort().at(-1) as string);
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3); // two tickets and the final newline
    lines[0] = 'garbage';
    writeFileSync(file, lines.join('\n'));
    const result = await runUntilExit(['--data-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.output).toContain(file);
    expect(result.output).toMatch(/line 1/);
  });

  it('names the setting to change when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const http = await runUntilExit(['--data-dir', newDataDir()], { HTTP_PORT: String(port) });
      expect(http.code).toBe(1);
      expect(http.output).toContain(
        `port ${port} on 127.0.0.1 is already in use; set HTTP_PORT (--http-port) to a free port`,
      );
      const mqtt = await runUntilExit(['--data-dir', newDataDir(), '--mqtt-port', String(port)]);
      expect(mqtt.code).toBe(1);
      expect(mqtt.output).toContain('set MQTT_PORT (--mqtt-port) to a free port');
    } finally {
      blocker.close();
    }
  });

  it('refuses a bad configuration file, naming the field', async () => {
    const dir = newDataDir();
    const file = join(dir, 'centre-config.json');
    const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../config/demo-centre.json'), 'utf8'));
    demo.services[1].prefix = 'too long';
    writeFileSync(file, JSON.stringify(demo));
    const result = await runUntilExit(['--data-dir', join(dir, 'data'), '--config', file]);
    expect(result.code).toBe(1);
    expect(result.output).toContain('services[1].prefix: must be 1-2 characters of A-Z or 0-9');
  });

  it('refuses bad settings with the usage text', async () => {
    const result = await runUntilExit(['--http-port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.output).toContain('HTTP_PORT (--http-port) must be a port number');
    const unknown = await runUntilExit(['--colour']);
    expect(unknown.code).toBe(2);
    expect(unknown.output).toMatch(/Unknown option '--colour'[\s\S]*Usage: npm start/);
  });
});

describe('one controller per data folder', () => {
  it('refuses a second controller on the same DATA_DIR, naming the first, and takes over a stale lock', async () => {
    const dir = newDataDir();
    running = await startController(dir);
    const second = await runUntilExit(['--data-dir', dir]);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`another controller (pid ${running.child.pid}) is using ${dir}`);
    running.child.kill('SIGKILL'); // leaves controller.pid behind, as a power cut would
    await running.exited;
    running = await startController(dir);
    expect((await getJson(`${running.url}/healthz`)).status).toBe(200);
  });
});
