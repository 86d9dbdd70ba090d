/** `npm start`: the controller on the configured (by default the demo) centre. */
import { DEMO_MANAGER, DEMO_STAFF_PIN } from './accounts/demo-accounts.ts';
import { ConfigError } from './centre/load.ts';
import { Controller } from './controller.ts';
import { JournalCorruptError } from './journal/journal.ts';
import { StartupError } from './listen.ts';
import { createLogger } from './logger.ts';
import { readSettings, SettingsError, USAGE } from './settings.ts';

async function main(): Promise<number> {
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
  if (settings === 'help') {
    console.log(USAGE);
    return 0;
  }
  const logger = createLogger({ level: settings.logLevel, pretty: settings.prettyLogs });
  const controller = new Controller(settings, logger);

  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'stopping');
    await controller.stop();
    logger.info('stopped');
    // Let the log transport drain and the loop empty by itself; force the exit only if something lingers.
    process.exitCode = code;
    setTimeout(() => process.exit(code), 3_000).unref();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  controller.bus.onFatal(controller, (error) => void shutdown(`fatal: ${error.message}`, 1));

  try {
    const started = await controller.start();
    const host = settings.host === '0.0.0.0' ? 'localhost' : settings.host;
    logger.info(started, 'controller ready');
    console.log(
      [
        '',
        `  ${started.centre}`,
        `  Screens      http://${host}:${started.httpPort}/   (hall TV /hall, kiosk /kiosk, staff /staff, manager /manager)`,
        `  HTTP API     http://${host}:${started.httpPort}/api/queue   (health: /healthz, API: docs/api.md)`,
        `  MQTT broker  ${mqttAddresses(host, started)}   (${started.devices} devices configured; protocol: docs/protocol.md)`,
        `  Ticket QR    ${started.publicUrl}/t/<ticket id>/<link key>`,
        `  Data         ${started.dataDir}   (live configuration: ${started.configFile})`,
        `  Replayed     ${started.replayed} journal events`,
        ...(started.demoAccounts
          ? [
              `  Demo sign-in manager "${DEMO_MANAGER.username}" / "${DEMO_MANAGER.password}"; staff: their id (e.g. "nguyen-thi-thu-ha") / PIN "${DEMO_STAFF_PIN}"`,
            ]
          : []),
        '  Stop with Ctrl+C.',
        '',
      ].join('\n'),
    );
    return -1; // keep running
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof StartupError ||
      error instanceof JournalCorruptError
    ) {
      logger.fatal(error.message);
      logger.flush();
      console.error(`\n${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

/** The broker's addresses for the banner: plain and TLS, or TLS alone (MQTT_TLS_ONLY). */
function mqttAddresses(
  host: string,
  started: { mqttPort: number | null; mqttTlsPort: number | null },
): string {
  const plain = started.mqttPort === null ? [] : [`mqtt://${host}:${started.mqttPort}`];
  const tls = started.mqttTlsPort === null ? [] : [`mqtts://${host}:${started.mqttTlsPort}`];
  return [...plain, ...tls].join(', ') + (started.mqttPort === null ? ' (TLS only)' : '');
}
