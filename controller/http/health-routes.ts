/**
 * Liveness and readiness, for a supervisor or a monitoring tool, and GET /metrics.
 *
 *   GET /healthz/live   200 while the process serves and its journal can still write; 503 once
 *                       the journal has failed (the controller is stopping: restart it)
 *   GET /healthz/ready  200 when the centre can be served; 503 naming each part that is not ready
 *                       (starting, the journal, the disk), with why
 *   GET /healthz        everything at once (status, the parts, disk, clock, MQTT, upstream)
 *   GET /metrics        Prometheus text format (controller/metrics/metrics.ts); for this machine,
 *                       the allowed addresses (METRICS_ALLOW) and signed-in managers only (403 otherwise)
 */
import express, { type Request, type Router } from 'express';
import type { QueueService } from '../queue/queue-service.ts';
import { HttpError } from './errors.ts';

export interface NotReady {
  /** The part: "journal", "disk", or the part being started. */
  part: string;
  reason: string;
}

interface ReadinessSource {
  queue: QueueService;
  ready?: () => boolean;
  starting?: () => string;
}

/** Each part that keeps the controller from serving the centre now (empty when ready). */
export function notReadyParts(o: ReadinessSource): NotReady[] {
  const parts: NotReady[] = [];
  if (o.queue.failure) parts.push({ part: 'journal', reason: o.queue.failure.message });
  if (o.queue.diskFull) parts.push({ part: 'disk', reason: o.queue.diskFull.message });
  if (!(o.ready?.() ?? true)) parts.push({ part: o.starting?.() ?? 'controller', reason: 'starting' });
  return parts;
}

export function createHealthRouter(options: {
  queue: QueueService;
  notReady: () => NotReady[];
  metrics?: { contentType: string; render: () => Promise<string> } | undefined;
  /** Who may read /metrics (by address or session); everyone when absent. */
  mayReadMetrics?: (req: Request) => boolean;
}): Router {
  const router = express.Router();
  router.get('/healthz/live', (_req, res) => {
    const failure = options.queue.failure;
    res.status(failure ? 503 : 200).json({
      live: !failure,
      ...(failure ? { error: failure.message } : {}),
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  router.get('/healthz/ready', (_req, res) => {
    const notReady = options.notReady();
    res.status(notReady.length ? 503 : 200).json({ ready: notReady.length === 0, notReady });
  });
  const metrics = options.metrics;
  if (metrics) {
    router.get('/metrics', async (req, res) => {
      if (options.mayReadMetrics && !options.mayReadMetrics(req)) {
        throw new HttpError(
          403,
          'forbidden',
          'metrics are for this machine, the addresses in METRICS_ALLOW and signed-in managers',
        );
      }
      const body = await metrics.render();
      res.type(metrics.contentType).send(body);
    });
  }
  return router;
}
