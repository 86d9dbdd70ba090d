/**
 * `npm run check-host` (issue 16): on a host where everything is in place it says so and exits 0;
 * a port in use, a DATA_DIR that is a file, a serial device that is not there are each named with
 * what to do, and exit 1.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/controller-process.ts';
import { freePort } from '../helpers/free-port.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const temps: { remove: () => void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

function checkHost(env: Record<string, string>) {
  const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-host.mjs')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, BIND_HOST: '127.0.0.1', ...env },
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

/** The demo centre with its serial ports at `ports` (device or bus id → path). */
function centreWithPorts(dir: string, ports: Record<string, string>): string {
  const config = JSON.parse(readFileSync(join(ROOT, 'config', 'demo-centre.json'), 'utf8'));
  for (const d of config.devices) if (d.serial && ports[d.id]) d.serial.path = ports[d.id];
  for (const b of config.serialBuses ?? []) if (ports[b.id]) b.port.path = ports[b.id];
  const file = join(dir, 'centre.json');
  writeFileSync(file, JSON.stringify(config));
  return file;
}

describe('npm run check-host (issue 16)', () => {
  it('passes a host where everything is in place, and names each problem with its fix', async () => {
    const t = tempDataDir('hall-host-');
    temps.push(t);
    const port = (name: string) => {
      const file = join(t.dir, name);
      writeFileSync(file, '');
      return file;
    };
    const ports = {
      'kiosk-c': port('ttyUSB0'),
      'kiosk-a-scanner': port('ttyACM0'),
      'rs485-khu-b': port('ttyUSB1'),
    };
    const config = centreWithPorts(t.dir, ports);
    const [http, mqtt] = [await freePort(), await freePort()];
    const env = {
      DATA_DIR: join(t.dir, 'data'),
      CENTRE_CONFIG: config,
      HTTP_PORT: String(http),
      MQTT_PORT: String(mqtt),
    };
    const good = checkHost(env);
    expect(good.out).not.toContain('✖');
    expect(good.out).toContain(`✔ port ${http} (HTTP_PORT) is free on 127.0.0.1`);
    expect(good.out).toContain(`✔ DATA_DIR ${join(t.dir, 'data')} is writable (files fsynced)`);
    expect(good.out).toContain('✔ serial device kiosk-c:');
    expect(good.out).toMatch(/Ready for the first start/);
    expect(good.code).toBe(0);

    const busy = createServer();
    await new Promise<void>((done) => busy.listen(http, '127.0.0.1', done));
    try {
      const dataFile = port('not-a-folder');
      const bad = checkHost({
        ...env,
        DATA_DIR: dataFile,
        CENTRE_CONFIG: centreWithPorts(t.dir, { ...ports, 'kiosk-c': join(t.dir, 'unplugged') }),
      });
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`✖ port ${http} (HTTP_PORT) is already in use on 127.0.0.1`);
      expect(bad.out).toContain(`sudo ss -ltnp 'sport = :${http}'`);
      expect(bad.out).toContain(`✖ DATA_DIR ${dataFile} is a file, not a folder`);
      expect(bad.out).toContain(`✖ serial device kiosk-c: ${join(t.dir, 'unplugged')} does not exist`);
      expect(bad.out).toMatch(/3 problem\(s\) to fix before the first start/);
    } finally {
      await new Promise((done) => busy.close(done));
    }
  });
});
