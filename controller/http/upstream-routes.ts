/** The upstream publisher's state for managers: GET /api/upstream (docs/upstream.md). */
import express, { type Router } from 'express';
import type { UpstreamState } from '../upstream/upstream-publisher.ts';
import type { Guard } from './api.ts';

export interface UpstreamRoutesOptions {
  /** Connected or not, backlog, last acknowledged; or why reporting is not configured. */
  upstream: () => UpstreamState;
  guard: Guard;
}

export function createUpstreamRouter({ upstream, guard }: UpstreamRoutesOptions): Router {
  const router = express.Router();
  router.get('/upstream', guard(['manager']), (_req, res) => {
    res.json(upstream());
  });
  return router;
}

/** The `upstream` section of /healthz: a broker that is down never makes the controller unhealthy. */
export function upstreamHealth(state: UpstreamState) {
  if (!state.configured) return { configured: false, reason: state.reason };
  return {
    configured: true,
    connected: state.connected,
    backlog: state.backlog.records,
    oldestUnsent: state.backlog.oldestEndedAt,
    lastAckedSeq: state.backlog.lastAckedSeq,
  };
}
