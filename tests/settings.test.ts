import { describe, expect, it } from 'vitest';
import { readSettings, SettingsError } from '../controller/settings.ts';

describe('settings', () => {
  it('reads ports, folders, the public URL and MQTT TLS from the environment, flags first', () => {
    const s = readSettings(['--http-port', '9090'], {
      HTTP_PORT: '8081',
      MQTT_PORT: '1884',
      DATA_DIR: '/var/lib/hall',
      PUBLIC_URL: 'http://192.168.1.10:8080',
      MQTT_TLS_PORT: '8883',
      MQTT_TLS_CERT: '/etc/hall/cert.pem',
      MQTT_TLS_KEY: '/etc/hall/key.pem',
    });
    expect(s).toMatchObject({
      httpPort: 9090,
      mqttPort: 1884,
      dataDir: '/var/lib/hall',
      publicUrl: 'http://192.168.1.10:8080',
      mqttTls: { port: 8883, certFile: '/etc/hall/cert.pem', keyFile: '/etc/hall/key.pem' },
    });
  });

  it('has working defaults on a fresh machine', () => {
    expect(readSettings([], {})).toMatchObject({
      httpPort: 8080,
      mqttPort: 1883,
      publicUrl: null,
      mqttTls: null,
    });
  });

  it('refuses half a TLS setting and a bad URL, naming the setting', () => {
    expect(() => readSettings([], { MQTT_TLS_PORT: '8883' })).toThrow(
      /MQTT_TLS_PORT, MQTT_TLS_CERT and MQTT_TLS_KEY/,
    );
    expect(() => readSettings([], { PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => readSettings([], { MQTT_PORT: '70000' })).toThrow(SettingsError);
  });
});
