import { afterEach, describe, expect, it, vi } from 'vitest';
import { Controller } from '../../controller/controller.ts';
import { openAccess } from '../../controller/http/access.ts';
import { silentLogger } from '../../controller/logger.ts';
import { settingsWith } from '../../controller/settings.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { freePort } from '../helpers/free-port.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('/healthz (issue 10)', () => {
  it('answers 503 "starting" until the broker listens, then 200 with its real port', async () => {
    const data = tempDataDir('hall-healthz-');
    cleanups.push(() => data.remove());
    let open = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let reached = () => {};
    const atBroker = new Promise<void>((resolve) => {
      reached = resolve;
    });
    const listen = Broker.prototype.listen;
    vi.spyOn(Broker.prototype, 'listen').mockImplementation(async function (this: Broker, options) {
      reached();
      await gate;
      return listen.call(this, options);
    });
    const httpPort = await freePort();
    const controller = new Controller(
      settingsWith({ httpPort, mqttPort: 0, host: '127.0.0.1', dataDir: data.dir, logLevel: 'silent' }),
      silentLogger,
      openAccess,
    );
    cleanups.push(() => controller.stop());
    const starting = controller.start();
    await atBroker; // HTTP listens, the broker does not yet
    const early = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect(early.status).toBe(503);
    expect(await early.json()).toMatchObject({ status: 'starting' });
    open();
    const started = await starting;
    const ready = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { mqtt: { port: number } };
    expect(body).toMatchObject({ status: 'ok', mqtt: { port: started.mqttPort } });
    expect(body.mqtt.port).toBeGreaterThan(0);
  });
});
