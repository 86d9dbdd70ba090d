/** The manager dashboard's read model over HTTP: GET /api/dashboard (managers only). */
import express, { type Router } from 'express';
import type { DeviceRegistry } from '../device-service/device-registry.ts';
import type { QueueService } from '../queue/queue-service.ts';
import { type DashboardAlert, systemAlerts } from '../reports/alerts.ts';
import { dashboardView } from '../reports/dashboard.ts';
import type { Guard } from './api.ts';

export interface DashboardRouterOptions {
  queue: QueueService;
  registry: DeviceRegistry;
  guard: Guard;
  clock?: () => number;
  /** Alerts of other parts (the upstream publisher). */
  otherAlerts?: () => DashboardAlert[];
}

export function createDashboardRouter({
  queue,
  registry,
  guard,
  // The queue's time: during a held clock jump, waits are not three hours long because the wall clock says so.
  clock = () => queue.now(),
  otherAlerts = () => [],
}: DashboardRouterOptions): Router {
  const router = express.Router();
  router.get('/dashboard', guard(['manager']), (_req, res) => {
    const devices = { devices: registry.all(), alerts: registry.alerts(), otherAlerts: otherAlerts() };
    const now = clock();
    const { freeBytes, minFreeBytes, fullSince } = queue.disk;
    const system = systemAlerts(
      {
        diskFull: fullSince !== null ? { since: fullSince } : null,
        freeBytes,
        minFreeBytes,
        clockJump: queue.clockJump,
      },
      now,
    );
    res.json(dashboardView(queue.config, queue.state, now, devices, system));
  });
  return router;
}
