/**
 * Device secrets: each MQTT device gets a random secret, stored in the live configuration only as
 * a scrypt hash; the secrets themselves go to `DATA_DIR/device-secrets.json` (owner-only), to be
 * put into the devices (or used by the simulators), then that file can be deleted.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { hashSecret, newSecret } from '../security/secret-hash.ts';
import type { CentreStore } from './centre-store.ts';
import { MONITOR_USER } from './schema.ts';

export const SECRETS_FILE = 'device-secrets.json';

export async function readDeviceSecrets(dataDir: string): Promise<Record<string, string>> {
  try {
    return JSON.parse(await readFile(join(dataDir, SECRETS_FILE), 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/**
 * Gives a secret to every MQTT device that has none (or to the listed ones, replacing theirs).
 * Returns the ids given a new secret.
 */
export async function provisionDevices(
  store: CentreStore,
  dataDir: string,
  only?: readonly string[],
): Promise<string[]> {
  const config = store.config;
  const unknown = (only ?? []).filter((id) => !config.devices.some((d) => d.id === id));
  if (unknown.length) throw new Error(`unknown device(s): ${unknown.join(', ')}`);
  const notMqtt = (only ?? []).filter((id) =>
    config.devices.some((d) => d.id === id && d.transport !== 'mqtt'),
  );
  if (notMqtt.length)
    throw new Error(`not MQTT devices (serial and USB devices need no secret): ${notMqtt.join(', ')}`);
  const secrets = await readDeviceSecrets(dataDir);
  const given: string[] = [];
  const devices = [];
  for (const device of config.devices) {
    const wanted = only ? only.includes(device.id) : device.transport === 'mqtt' && !device.secretHash;
    if (!wanted) {
      devices.push(device);
      continue;
    }
    const secret = newSecret();
    secrets[device.id] = secret;
    devices.push({ ...device, secretHash: await hashSecret(secret) });
    given.push(device.id);
  }
  if (given.length === 0) return given;
  await writePrivate(join(dataDir, SECRETS_FILE), `${JSON.stringify(secrets, null, 2)}\n`);
  await store.save({ ...config, devices }, 'provision');
  return given;
}

/**
 * A new secret for the read-only monitor (user name "monitor": subscribes to the whole centre
 * tree, publishes nothing), replacing any earlier one. The secret goes to the same owner-only
 * file as the devices' (key "monitor"), the hash to the live configuration.
 */
export async function provisionMonitor(store: CentreStore, dataDir: string): Promise<string> {
  const secrets = await readDeviceSecrets(dataDir);
  const secret = newSecret();
  secrets[MONITOR_USER] = secret;
  await writePrivate(join(dataDir, SECRETS_FILE), `${JSON.stringify(secrets, null, 2)}\n`);
  await store.save({ ...store.config, monitor: { secretHash: await hashSecret(secret) } }, 'provision');
  return secret;
}

/** Owner-only, and replaced whole (temp file, fsync, rename) so a power cut cannot leave half of it. */
async function writePrivate(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}
