/**
 * A field engineer watching and imitating devices: the read-only monitor credential (mqtt.js and
 * mosquitto_sub), `npm run monitor`, and `npm run device -- <id>` typed into like a call pad.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionMonitor, readDeviceSecrets } from '../../controller/centre/provision.ts';
import { formatMonitorLine } from '../../firmware-sim/monitor.ts';
import { postJson } from '../helpers/controller-process.ts';
import { type DeviceCentre, eventually, startDeviceCentre } from '../helpers/device-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const CENTRE = 'tt-phvhcc-quang-nam';
let centre: DeviceCentre;
let monitorSecret: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeAll(async () => {
  centre = await startDeviceCentre({ connect: false });
  monitorSecret = await provisionMonitor(centre.controller.centre, centre.dataDir);
  expect((await readDeviceSecrets(centre.dataDir)).monitor).toBe(monitorSecret);
}, 60_000);
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await centre?.stopAll();
});

/** A CLI of firmware-sim/ run as `npm run <script>` would, with its output collected. */
function run(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATA_DIR: centre.dataDir, CENTRE_CONFIG: '' },
  });
  children.push(child);
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  return { child, out: () => out };
}

const monitorConnect = (clientId: string) =>
  mqtt.connectAsync(centre.mqttUrl, {
    clientId,
    username: 'monitor',
    password: monitorSecret,
    reconnectPeriod: 0,
    connectTimeout: 3000,
  });

describe('the read-only monitor credential', () => {
  it('subscribes to the whole centre tree, several at once, and may publish nothing', async () => {
    const a = await monitorConnect('monitor/a');
    const b = await monitorConnect('monitor/b');
    const seen: string[] = [];
    a.on('message', (topic) => seen.push(topic));
    const granted = await a.subscribeAsync(`qms/v1/${CENTRE}/#`, { qos: 1 });
    expect(granted[0]?.qos).toBe(1);
    await expect(a.subscribeAsync('#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await eventually(
      () => seen.some((t) => t.endsWith('/dev/c1-display/display')),
      3000,
      'a retained display',
    );
    expect(b.connected).toBe(true); // the second monitor was not knocked off
    const closed = new Promise<void>((resolve) => b.once('close', () => resolve()));
    b.publish(`qms/v1/${CENTRE}/dev/c1-pad/evt`, '{}', { qos: 1 });
    await closed;
    b.end(true);
    await a.endAsync();
    await expect(monitorConnect('someone-else')).rejects.toThrow(/Not authorized/);
  });

  it.runIf(requireProgram('mosquitto_sub', 'mosquitto-clients'))('works with mosquitto_sub', async () => {
    const sub = await new Promise<string>((resolve) => {
      execFile(
        'mosquitto_sub',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(centre.started.mqttPort),
          '-i',
          'monitor/sub',
          '-u',
          'monitor',
          '-P',
          monitorSecret,
          '-t',
          `qms/v1/${CENTRE}/#`,
          '-v',
          '-C',
          '3',
          '-W',
          '8',
        ],
        { timeout: 10_000 },
        (_error, stdout) => resolve(stdout),
      );
    });
    expect(sub).toMatch(/\/dev\/c\d-display\/display /);
  });
});

describe('npm run device and npm run monitor', () => {
  it('a call pad typed into from a terminal calls the next citizen; the monitor shows the traffic', async () => {
    const monitor = run('firmware-sim/monitor.ts', ['--url', centre.mqttUrl]);
    await eventually(
      () => monitor.out().includes('Watching'),
      15_000,
      `the monitor to start: ${monitor.out()}`,
    );
    await postJson(`${centre.url}/api/counters/quay-1/login`, { staffId: 'nguyen-thi-thu-ha' });
    const ticket = (await postJson(`${centre.url}/api/tickets`, { serviceId: 'dat-dai', source: 'staff' }))
      .json.ticket;
    const pad = run('firmware-sim/device-cli.ts', ['c1-pad', '--url', centre.mqttUrl]);
    await eventually(() => pad.out().includes('connected'), 15_000, `the device to connect: ${pad.out()}`);
    await eventually(() => /cmd +\{"type":"setup"/.test(pad.out()), 10_000, `the setup: ${pad.out()}`);
    pad.child.stdin.write('next\n');
    await eventually(() => pad.out().includes('answer'), 10_000, `an answer: ${pad.out()}`);
    expect(pad.out()).toContain(`"label":"${ticket.label}"`);
    expect(centre.controller.queue.state.tickets[ticket.id]?.status).toBe('called');
    pad.child.stdin.write('sideways\n');
    await eventually(() => pad.out().includes('? next'), 5000, 'help for a line it does not understand');
    await eventually(
      () => monitor.out().includes('c1-pad') && /c1-pad +evt/.test(monitor.out()),
      5000,
      `the monitor to show the pad's event: ${monitor.out()}`,
    );
    expect(monitor.out()).toMatch(/c1-pad +birth +\{"proto":1,"type":"callPad"/);
    pad.child.stdin.write('quit\n');
  }, 60_000);

  it('formats one message a line, naming the device and the topic kind', () => {
    const line = formatMonitorLine(
      CENTRE,
      `qms/v1/${CENTRE}/dev/c1-pad/evt`,
      Buffer.from('{"type":"key","key":"next","boot":"b1","seq":3}'),
      false,
      new Date('2026-12-05T01:02:03.456Z'),
    );
    expect(line).toBe(
      '01:02:03.456  c1-pad           evt        {"type":"key","key":"next","boot":"b1","seq":3}',
    );
    expect(formatMonitorLine(CENTRE, `qms/v1/${CENTRE}/broadcast/time`, Buffer.from([0xff]), true)).toMatch(
      /broadcast +time +R \(not JSON, 1 bytes\) ff/,
    );
  });
});
