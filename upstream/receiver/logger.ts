/** The receiver's logs: JSON lines on stdout (pino), like the controller's. */
import { pino } from 'pino';

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'province-receiver' } });
}

export const silentLogger: Logger = pino({ level: 'silent' });
