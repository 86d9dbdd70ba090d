/** The optional TLS listener: devices connect with mqtts and the same credentials. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDeviceSecrets } from '../../controller/centre/provision.ts';
import { SimCallDisplay } from '../../firmware-sim/devices/displays.ts';
import { type InProcess, startInProcess } from '../helpers/controller-in-process.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { provisionDemoDevices } from '../helpers/device-centre.ts';
import { requireProgram } from '../helpers/system-tools.ts';

describe.runIf(requireProgram('openssl', 'openssl'))('MQTT over TLS, configured', () => {
  let centre: InProcess;
  let ca: Buffer;
  const keys = tempDataDir('hall-tls-');

  beforeAll(async () => {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-keyout',
        join(keys.dir, 'key.pem'),
        '-out',
        join(keys.dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    ca = readFileSync(join(keys.dir, 'cert.pem'));
    centre = await startInProcess(
      undefined,
      {
        mqttTls: {
          port: 0,
          certFile: join(keys.dir, 'cert.pem'),
          keyFile: join(keys.dir, 'key.pem'),
          only: false,
        },
      },
      provisionDemoDevices,
    );
  });
  afterAll(async () => {
    await centre?.stop();
    keys.remove();
  });

  it('lets a device in over mqtts with its secret, and shows it its display', async () => {
    expect(centre.started.mqttTlsPort).toBeGreaterThan(0);
    const secrets = await readDeviceSecrets(centre.dataDir);
    const display = new SimCallDisplay({
      url: `mqtts://127.0.0.1:${centre.started.mqttTlsPort}`,
      centreId: 'tt-phvhcc-quang-nam',
      deviceId: 'c2-display',
      secret: secrets['c2-display'] as string,
      tls: { ca, rejectUnauthorized: true },
    });
    await display.start();
    const deadline = Date.now() + 3000;
    while (!display.shown && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(display.shown).toMatchObject({ counterNumber: 2 });
    await display.stop();
  });

  it('refuses a wrong secret over TLS too', async () => {
    await expect(
      mqtt.connectAsync(`mqtts://127.0.0.1:${centre.started.mqttTlsPort}`, {
        clientId: 'c2-display',
        username: 'c2-display',
        password: 'wrong',
        ca,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow(/Bad username or password/);
  });
});
