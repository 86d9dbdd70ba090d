/**
 * Issue 13, item 8: with MQTT TLS configured, MQTT_TLS_ONLY closes the plain listener, so no device
 * secret crosses the centre's network unencrypted. Tried with Mosquitto's own clients.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeviceSecrets } from '../../controller/centre/provision.ts';
import { readSettings, SettingsError } from '../../controller/settings.ts';
import { deviceTopic } from '../../devices/protocol/topics.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { provisionDemoDevices } from '../helpers/device-centre.ts';
import { freePort } from '../helpers/free-port.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const CENTRE = 'tt-phvhcc-quang-nam';
const TLS = ['--mqtt-tls-port', '8883', '--mqtt-tls-cert', 'c.pem', '--mqtt-tls-key', 'k.pem'];

describe('the MQTT_TLS_ONLY setting', () => {
  it('is off by default, on with the flag or MQTT_TLS_ONLY=1, and needs TLS configured', () => {
    const tlsOf = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const s = readSettings(argv, env);
      if (s === 'help') throw new Error('help');
      return s.mqttTls;
    };
    expect(tlsOf(TLS)?.only).toBe(false);
    expect(tlsOf([...TLS, '--mqtt-tls-only'])?.only).toBe(true);
    expect(tlsOf(TLS, { MQTT_TLS_ONLY: '1' })?.only).toBe(true);
    expect(tlsOf(TLS, { MQTT_TLS_ONLY: 'false' })?.only).toBe(false);
    expect(() => tlsOf(TLS, { MQTT_TLS_ONLY: 'maybe' })).toThrow(/MQTT_TLS_ONLY must be 1 or 0/);
    expect(() => tlsOf(['--mqtt-tls-only'])).toThrow(SettingsError);
    expect(() => tlsOf([], { MQTT_TLS_ONLY: '1' })).toThrow(/needs MQTT TLS/);
  });
});

describe.runIf(requireProgram('mosquitto_pub', 'mosquitto-clients') && requireProgram('openssl', 'openssl'))(
  'TLS only, with Mosquitto clients',
  () => {
    let centre: InProcess;
    let plainPort: number;
    const keys = tempDataDir('hall-tls-only-');
    const cert = join(keys.dir, 'cert.pem');

    beforeAll(async () => {
      execFileSync(
        'openssl',
        [
          ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
          ...['-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
          ...['-keyout', join(keys.dir, 'key.pem'), '-out', cert],
        ],
        { stdio: 'ignore' },
      );
      plainPort = await freePort();
      centre = await startInProcess(
        undefined,
        {
          mqttPort: plainPort,
          mqttTls: { port: 0, certFile: cert, keyFile: join(keys.dir, 'key.pem'), only: true },
        },
        provisionDemoDevices,
      );
    });
    afterAll(async () => {
      await centre?.stop();
      keys.remove();
    });

    const run = (program: string, args: string[]) =>
      new Promise<{ code: number; out: string }>((resolve) => {
        execFile(program, args, { timeout: 20_000 }, (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as { code?: number }).code ?? 1) : 0,
            out: `${stdout}${stderr}`,
          }),
        );
      });
    /** The call display of counter 2 reads its retained display state: one message, at most 10 s. */
    const readDisplay = async (port: number, tls: string[]) => {
      const secret = (await readDeviceSecrets(centre.dataDir))['c2-display'] as string;
      return run('mosquitto_sub', [
        ...['-h', '127.0.0.1', '-p', String(port), ...tls],
        ...['-i', 'c2-display', '-u', 'c2-display', '-P', secret, '-C', '1', '-W', '10'],
        ...['-t', deviceTopic(CENTRE, 'c2-display', 'display')],
      ]);
    };

    it('opens no plain listener: a device there is refused, even with its right secret', async () => {
      expect(centre.started.mqttPort).toBeNull();
      const plain = await readDisplay(plainPort, []);
      expect(plain.code).not.toBe(0);
      expect(plain.out).toMatch(/refused/i);
      const pub = await run('mosquitto_pub', [
        '-h',
        '127.0.0.1',
        '-p',
        String(plainPort),
        '-t',
        'x',
        '-m',
        'y',
      ]);
      expect(pub.code).not.toBe(0);
    });

    it('lets the device in over TLS with its secret', async () => {
      expect(centre.started.mqttTlsPort).toBeGreaterThan(0);
      const secure = await readDisplay(centre.started.mqttTlsPort as number, ['--cafile', cert]);
      expect(secure.code).toBe(0);
      expect(JSON.parse(secure.out)).toMatchObject({ counterNumber: 2 });
    });
  },
);
