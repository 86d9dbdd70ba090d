/** `npm run receiver`: the province receiver (docs/province-receiver.md). */
import { createLogger } from './logger.ts';
import { startReceiver } from './receiver.ts';
import { type ReceiverSettings, ReceiverSettingsError, readReceiverSettings, USAGE } from './settings.ts';

async function main(): Promise<void> {
  let settings: ReceiverSettings | 'help';
  try {
    settings = readReceiverSettings(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ReceiverSettingsError) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  if (settings === 'help') {
    console.log(USAGE);
    return;
  }
  const logger = createLogger(settings.logLevel);
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  try {
    receiver = await startReceiver({ ...settings, logger });
  } catch (error) {
    logger.fatal({ err: (error as Error).message }, 'receiver could not start');
    console.error(`\n${(error as Error).message}\n`);
    process.exitCode = 1;
    return;
  }
  const host = settings.host === '0.0.0.0' ? 'localhost' : settings.host;
  logger.info({ httpPort: receiver.httpPort, mqttPort: receiver.mqttPort }, 'receiver ready');
  console.log(
    [
      '',
      `  Province receiver — ${settings.provinceName} (${settings.provinceId})`,
      `  Province page  http://${host}:${receiver.httpPort}/   (API: /api/centres, /api/dead-letters, /healthz)`,
      receiver.mqttPort === null
        ? `  Subscribed to  ${settings.brokerUrl}`
        : `  MQTT listener  mqtt://${host}:${receiver.mqttPort}   (centres publish here: UPSTREAM_URL=mqtt://${host}:${receiver.mqttPort})`,
      `  Topics         ${settings.topicPrefix}/v1/${settings.provinceId}/<centre>/…`,
      `  Database       ${receiver.database}`,
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await receiver.stop();
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
