/**
 * Managers change which services a staff member covers (most preferred first):
 *   PUT /api/staff/:staffId/services {services: string[]}
 * The change lands in the live configuration (DATA_DIR/centre.json) first, then in the engine,
 * so assignment follows it from the next call and it survives a restart.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { CentreStore } from '../centre/centre-store.ts';
import { ConfigError, parseCentreConfig } from '../centre/load.ts';
import type { CentreConfig } from '../centre/schema.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { Guard } from './api.ts';
import { HttpError, validationError } from './errors.ts';

const bodySchema = z.strictObject({
  services: z.array(z.string().min(1)).min(1, 'must list at least one service').max(50),
});

export function createStaffRouter(options: {
  queue: QueueService;
  centre: CentreStore;
  guard: Guard;
}): Router {
  const { queue, centre, guard } = options;
  const router = express.Router();
  // One change at a time, so two managers saving at once cannot lose one of the edits.
  let saving: Promise<unknown> = Promise.resolve();

  router.put(
    '/staff/:staffId/services',
    guard(['manager']),
    async (req: Request<{ staffId: string }>, res) => {
      const parsed = bodySchema.safeParse(req.body ?? {});
      if (!parsed.success) throw validationError(parsed.error);
      const work = saving.then(async () => {
        const config = centre.config;
        if (!config.staff.some((s) => s.id === req.params.staffId)) {
          throw new HttpError(404, 'notFound', `staff member "${req.params.staffId}" not found`);
        }
        const unknown = parsed.data.services.filter((id) => !config.services.some((s) => s.id === id));
        if (unknown.length) throw new HttpError(404, 'notFound', `unknown service(s): ${unknown.join(', ')}`);
        const next = validated({
          ...config,
          staff: config.staff.map((s) =>
            s.id === req.params.staffId ? { ...s, services: parsed.data.services } : s,
          ),
        });
        await centre.save(next);
        queue.reconfigure(next);
        return next.staff.find((s) => s.id === req.params.staffId);
      });
      saving = work.catch(() => undefined);
      res.json({ staff: await work });
    },
  );

  return router;
}

function validated(config: CentreConfig): CentreConfig {
  try {
    return parseCentreConfig(config, 'the requested change');
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new HttpError(422, 'invalid', `invalid change: ${error.problems.join('; ')}`);
    }
    throw error;
  }
}
