/** The HTTP server: the API under /api, /healthz, and socket.io on the same port. */
import { createServer, type Server as HttpServer } from 'node:http';
import express from 'express';
import { Server as SocketServer } from 'socket.io';
import type { CentreStore } from '../centre/centre-store.ts';
import type { Ticket } from '../core/types.ts';
import type { DeviceRegistry } from '../devices/device-registry.ts';
import { closeServer, listen } from '../listen.ts';
import type { Logger } from '../logger.ts';
import type { QueueService } from '../queue/queue-service.ts';
import type { AccessPolicy } from './access.ts';
import { createApiRouter, guardWith } from './api.ts';
import { createDeviceRouter } from './device-routes.ts';
import { errorHandler, notFoundRoute } from './errors.ts';
import { createPagesRouter } from './pages.ts';

export interface HttpOptions {
  queue: QueueService;
  access: AccessPolicy;
  logger: Logger;
  registry: DeviceRegistry;
  centre: CentreStore;
  print?: (deviceId: string, ticket: Ticket) => void;
  /** What /healthz reports beyond the queue (broker state and the like). */
  health: () => Record<string, unknown>;
}

export class HttpService {
  readonly io: SocketServer;
  readonly #server: HttpServer;
  port = 0;

  constructor(options: HttpOptions) {
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json({ limit: '32kb' }));
    app.get('/healthz', (_req, res) => {
      const { queue } = options;
      res.status(queue.failure ? 503 : 200).json({
        status: queue.failure ? 'failed' : 'ok',
        ...(queue.failure ? { error: queue.failure.message } : {}),
        centre: queue.config.centre.id,
        day: queue.state.day,
        journalSeq: queue.state.seq,
        uptimeSeconds: Math.round(process.uptime()),
        ...options.health(),
      });
    });
    app.use('/api', createApiRouter({ queue: options.queue, access: options.access, print: options.print }));
    app.use(
      '/api',
      createDeviceRouter({
        registry: options.registry,
        centre: options.centre,
        guard: guardWith(options.access),
      }),
    );
    app.use(createPagesRouter());
    app.use(notFoundRoute);
    app.use(errorHandler(options.logger));
    this.#server = createServer(app);
    this.io = new SocketServer(this.#server, { serveClient: false });
  }

  async start(port: number, host: string): Promise<void> {
    this.port = await listen(this.#server, port, host, 'HTTP_PORT (--http-port)');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    this.#server.closeAllConnections();
    await closeServer(this.#server);
  }
}
