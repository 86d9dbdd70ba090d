import { pino } from 'pino';

export type Logger = pino.Logger;

/** One logger for the process; children name their part (`logger.child({ part: 'journal' })`). */
export function createLogger(options: { level?: string; pretty?: boolean } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  if (options.pretty) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
      },
    });
  }
  return pino({ level });
}

/** A logger that drops everything, for tests of modules that take one. */
export const silentLogger: Logger = pino({ level: 'silent' });
