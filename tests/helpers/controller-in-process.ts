/** The controller in this process, on ephemeral ports and a temp data folder. */

import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { Controller, type Started } from '../../controller/controller.ts';
import type { AccessPolicy } from '../../controller/http/access.ts';
import { silentLogger } from '../../controller/logger.ts';
import { tempDataDir } from './controller-process.ts';

export async function startInProcess(access?: AccessPolicy): Promise<{
  controller: Controller;
  started: Started;
  url: string;
  stop: () => Promise<void>;
}> {
  const data = tempDataDir('hall-api-');
  const controller = new Controller(
    {
      httpPort: 0,
      mqttPort: 0,
      host: '127.0.0.1',
      dataDir: data.dir,
      configFile: DEMO_CENTRE_FILE,
      importConfig: false,
      logLevel: 'silent',
      prettyLogs: false,
    },
    silentLogger,
    access,
  );
  const started = await controller.start();
  return {
    controller,
    started,
    url: `http://127.0.0.1:${started.httpPort}`,
    stop: async () => {
      await controller.stop();
      data.remove();
    },
  };
}
