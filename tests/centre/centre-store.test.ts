import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CentreStore } from '../../controller/centre/centre-store.ts';
import { ConfigError, DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { provisionDevices, readDeviceSecrets } from '../../controller/centre/provision.ts';
import { silentLogger } from '../../controller/logger.ts';
import { tempDataDir } from '../helpers/controller-process.ts';

const dirs: { remove: () => void }[] = [];
const newDir = () => {
  const d = tempDataDir('hall-store-');
  dirs.push(d);
  return d.dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

const open = (dataDir: string, importConfig = false) =>
  CentreStore.open({ dataDir, seedFile: DEMO_CENTRE_FILE, importConfig, logger: silentLogger });

describe('the live configuration', () => {
  it('is seeded from the file once, then read from the data folder', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.save({ ...first.config, centre: { ...first.config.centre, shortName: 'TTPVHCC QN' } });
    const again = await open(dir);
    expect(again.config.centre.shortName).toBe('TTPVHCC QN');
  });

  it('refuses a stored copy that is not JSON, saying how to recover, and --import-config recovers', async () => {
    const dir = newDir();
    await open(dir);
    writeFileSync(join(dir, 'centre.json'), '{"config":');
    await expect(open(dir)).rejects.toThrow(ConfigError);
    await expect(open(dir)).rejects.toThrow(/--import-config/);
    const imported = await open(dir, true);
    expect(imported.config.services).toHaveLength(10);
  });

  it('keeps the secrets of devices when the file is imported again', async () => {
    const dir = newDir();
    const store = await open(dir);
    await provisionDevices(store, dir);
    const before = store.config.devices.find((d) => d.id === 'c1-pad')?.secretHash;
    expect(before).toMatch(/^scrypt:/);
    const reimported = await open(dir, true);
    expect(reimported.config.devices.find((d) => d.id === 'c1-pad')?.secretHash).toBe(before);
  });

  it('gives secrets only to MQTT devices, stores only hashes, and keeps the secrets file owner-only', async () => {
    const dir = newDir();
    const store = await open(dir);
    const given = await provisionDevices(store, dir);
    expect(given).not.toContain('kiosk-a-scanner'); // a serial scanner
    await expect(provisionDevices(store, dir, ['kiosk-a-scanner'])).rejects.toThrow(/not MQTT devices/);
    const secrets = await readDeviceSecrets(dir);
    expect(Object.keys(secrets).sort()).toEqual([...given].sort());
    const stored = readFileSync(join(dir, 'centre.json'), 'utf8');
    for (const secret of Object.values(secrets)) expect(stored).not.toContain(secret);
    expect(statSync(join(dir, 'device-secrets.json')).mode & 0o777).toBe(0o600);
    expect(await provisionDevices(store, dir)).toEqual([]); // nothing left without a secret
  });
});
