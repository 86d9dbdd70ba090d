/** The demo centre running in this process with provisioned devices, and its simulated fleet. */
import { CentreStore } from '../../controller/centre/centre-store.ts';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { provisionDevices, readDeviceSecrets } from '../../controller/centre/provision.ts';
import { silentLogger } from '../../controller/logger.ts';
import { createFleet, type Fleet, startFleet, stopFleet } from '../../firmware-sim/fleet.ts';
import { type InProcess, startInProcess } from './controller-in-process.ts';

export interface DeviceCentre extends InProcess {
  fleet: Fleet;
  secrets: Record<string, string>;
  mqttUrl: string;
  stopAll: () => Promise<void>;
}

/** Seeds a data folder with the demo centre and gives its MQTT devices secrets. */
export async function provisionDemoDevices(dataDir: string): Promise<void> {
  const store = await CentreStore.open({
    dataDir,
    seedFile: DEMO_CENTRE_FILE,
    importConfig: false,
    logger: silentLogger,
  });
  await provisionDevices(store, dataDir);
}

/** `access: null`: the real session policy (demo accounts) instead of open access. */
export async function startDeviceCentre(
  options: { connect?: boolean; access?: null } = {},
): Promise<DeviceCentre> {
  const centre = await startInProcess(options.access, {}, provisionDemoDevices);
  const secrets = await readDeviceSecrets(centre.dataDir);
  const mqttUrl = `mqtt://127.0.0.1:${centre.started.mqttPort}`;
  const fleet = createFleet(centre.controller.centre.config, secrets, mqttUrl, { resendAfterMs: 1500 });
  if (options.connect !== false) await startFleet(fleet);
  return {
    ...centre,
    fleet,
    secrets,
    mqttUrl,
    stopAll: async () => {
      await stopFleet(fleet);
      await centre.stop();
    },
  };
}

/** Waits until `check` returns something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
