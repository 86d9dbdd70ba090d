/**
 * The receiver's HTTP side (express): the province page, its fragment for polling, and the JSON
 * API — GET /api/centres, /api/centres/:id/visits?day=, /api/ranking?day=, /api/dead-letters,
 * /healthz.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { localDay } from './centre-state.ts';
import type { Logger } from './logger.ts';
import { type PageModel, renderFragments, renderPage } from './page.ts';
import type { ReceiverSettings } from './settings.ts';
import type { ReceiverStore } from './store.ts';
import type { Subscriber } from './subscriber.ts';

export interface AppDeps {
  store: ReceiverStore;
  subscriber: Subscriber;
  settings: ReceiverSettings;
  database: string;
  logger: Logger;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CENTRE = /^[A-Za-z0-9_.-]{1,80}$/;

class BadRequest extends Error {}

const fontsDir = join(
  dirname(createRequire(import.meta.url).resolve('@fontsource/be-vietnam-pro/package.json')),
  'files',
);

export function createApp({ store, subscriber, settings, database, logger }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const today = () => localDay(Date.now(), settings.timeZone);
  const dayParam = (req: Request): string => {
    const day = req.query.day;
    if (day === undefined || day === '') return today();
    if (typeof day !== 'string' || !DAY.test(day)) throw new BadRequest('day must be YYYY-MM-DD');
    return day;
  };
  const model = async (day: string): Promise<PageModel> => {
    const now = Date.now();
    const t = localDay(now, settings.timeZone);
    const [centres, ranking, counts] = await Promise.all([
      store.centres(now),
      store.ranking(day, day < t),
      store.counts(),
    ]);
    return {
      provinceName: settings.provinceName,
      provinceId: settings.provinceId,
      day,
      today: t,
      now,
      timeZone: settings.timeZone,
      centres,
      ranking,
      deadLetters: counts.deadLetters,
      link: subscriber.state,
    };
  };

  app.use('/fonts', express.static(fontsDir, { maxAge: '7d', index: false }));

  app.get('/', async (req, res) => {
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(renderPage(await model(dayParam(req))));
  });

  app.get('/fragment', async (req, res) => {
    res.set('cache-control', 'no-store').json(renderFragments(await model(dayParam(req))));
  });

  app.get('/api/centres', async (_req, res) => {
    res.json({ now: Date.now(), centres: await store.centres(Date.now()) });
  });

  app.get('/api/ranking', async (req, res) => {
    const day = dayParam(req);
    res.json({ day, ranking: await store.ranking(day, day < today()) });
  });

  app.get('/api/centres/:id/visits', async (req, res) => {
    const id = String(req.params.id);
    if (!CENTRE.test(id)) throw new BadRequest('unknown centre id format');
    const day = dayParam(req);
    const after = req.query.afterSeq === undefined ? 0 : Number(req.query.afterSeq);
    if (!Number.isInteger(after) || after < 0) throw new BadRequest('afterSeq must be a whole number ≥ 0');
    const limit = req.query.limit === undefined ? 1000 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw new BadRequest('limit must be 1…5000');
    const visits = await store.visits(id, day, after, limit);
    res.json({
      centreId: id,
      day,
      visits,
      nextAfterSeq: visits.length === limit ? (visits.at(-1)?.seq ?? null) : null,
      dailySummary: await store.dailySummary(id, day),
    });
  });

  app.get('/api/dead-letters', async (req, res) => {
    const limit = req.query.limit === undefined ? 100 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new BadRequest('limit must be 1…1000');
    res.json({ deadLetters: await store.deadLetters(limit) });
  });

  app.get('/healthz', async (_req, res) => {
    const link = subscriber.state;
    try {
      const counts = await store.counts();
      const ok = link.state === 'subscribed';
      res
        .status(ok ? 200 : 503)
        .json({ ok, broker: link, database: { ok: true, kind: database }, ...counts });
    } catch (error) {
      res
        .status(503)
        .json({ ok: false, broker: link, database: { ok: false, error: (error as Error).message } });
    }
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    if (error instanceof BadRequest) {
      res.status(400).json({ error: error.message });
      return;
    }
    logger.error({ err: error.message }, 'receiver request failed');
    res.status(500).json({ error: 'internal error' });
  });
  return app;
}
