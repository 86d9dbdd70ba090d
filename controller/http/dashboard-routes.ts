/** The manager dashboard's read model. */
import express, { type Router } from 'express';
import type { DeviceRegistry } from '../devices/device-registry.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { Guard } from './api.ts';

export interface DashboardRouterOptions {
  queue: QueueService;
  registry: DeviceRegistry;
  guard: Guard;
  clock?: () => number;
}

export function createDashboardRouter(_options: DashboardRouterOptions): Router {
  return express.Router();
}
