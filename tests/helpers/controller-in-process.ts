/** The controller in this process, on ephemeral ports and a temp data folder. */
import { Controller, type Started } from '../../controller/controller.ts';
import { type AccessPolicy, openAccess } from '../../controller/http/access.ts';
import { silentLogger } from '../../controller/logger.ts';
import { type Settings, settingsWith } from '../../controller/settings.ts';
import { tempDataDir } from './controller-process.ts';

export interface InProcess {
  controller: Controller;
  started: Started;
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

export async function startInProcess(
  access?: AccessPolicy | null,
  settings: Partial<Settings> = {},
  prepare?: (dataDir: string) => Promise<void>,
): Promise<InProcess> {
  const data = tempDataDir('hall-api-');
  await prepare?.(data.dir);
  const controller = new Controller(
    settingsWith({
      httpPort: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      dataDir: data.dir,
      logLevel: 'silent',
      ...settings,
    }),
    silentLogger,
    // Other parts' tests act as any role; the access tests pass null for the real sessions.
    access === null ? undefined : (access ?? openAccess),
  );
  const started = await controller.start();
  return {
    controller,
    started,
    url: `http://127.0.0.1:${started.httpPort}`,
    dataDir: data.dir,
    stop: async () => {
      await controller.stop();
      data.remove();
    },
  };
}
