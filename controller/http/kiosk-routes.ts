/** Kiosk pages: scans typed in by keyboard-mode scanners, and tickets taken on the touch screen. */
import express, { type Router } from 'express';
import type { DeviceGateway } from '../devices/device-gateway.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { Guard } from './api.ts';

export interface KioskRouterOptions {
  queue: QueueService;
  gateway: () => DeviceGateway | null;
  guard: Guard;
  clock?: () => number;
}

export function createKioskRouter(_options: KioskRouterOptions): Router {
  return express.Router();
}
