/**
 * What the command-line tools of firmware-sim/ (sim, monitor, device) share: the centre they work
 * on, from `--data-dir` / `--config` (or DATA_DIR / CENTRE_CONFIG), its live configuration and the
 * broker to reach, as `npm start` would use them.
 */
import { CentreStore } from '../controller/centre/centre-store.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { createLogger } from '../controller/logger.ts';
import { readSettings } from '../controller/settings.ts';

export const TOOL_OPTIONS = {
  url: { type: 'string' },
  'data-dir': { type: 'string' },
  config: { type: 'string' },
} as const;

export interface ToolCentre {
  dataDir: string;
  configFile: string;
  config: CentreConfig;
  /** `--url`, or the controller's broker on this machine. */
  url: string;
}

/** null when --help was asked for. */
export async function toolCentre(values: {
  url?: string | undefined;
  'data-dir'?: string | undefined;
  config?: string | undefined;
}): Promise<ToolCentre | null> {
  const settings = readSettings(
    [
      ...(values['data-dir'] ? ['--data-dir', values['data-dir']] : []),
      ...(values.config ? ['--config', values.config] : []),
    ],
    process.env,
  );
  if (settings === 'help') return null;
  const store = await CentreStore.open({
    dataDir: settings.dataDir,
    seedFile: settings.configFile,
    importConfig: false,
    logger: createLogger({ level: 'warn' }),
  });
  return {
    dataDir: settings.dataDir,
    configFile: settings.configFile,
    config: store.config,
    url: values.url ?? `mqtt://localhost:${settings.mqttPort}`,
  };
}
