/** The hall display's Vietnamese voice clips. */
import express, { type Router } from 'express';
import type { CentreConfig } from '../centre/schema.ts';
import type { Logger } from '../logger.ts';

export interface VoiceRouterOptions {
  config: () => CentreConfig;
  dataDir: string;
  logger: Logger;
}

export function createVoiceRouter(_options: VoiceRouterOptions): Router {
  return express.Router();
}
