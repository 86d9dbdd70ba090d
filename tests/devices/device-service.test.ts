/**
 * The device service alone, with a fake transport standing in for any wire (the way a new
 * transport plugs in): events handled exactly once through the handlers, print jobs routed to the
 * transport that carries the dispenser, display states followed by the transport, stop() undoing
 * start(). No broker, no serial port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../../controller/centre/load.ts';
import type { CentreConfig, Device } from '../../controller/centre/schema.ts';
import type { Command } from '../../controller/core/commands.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { CitizenKeys } from '../../controller/device-service/citizen-keys.ts';
import { DeviceRegistry } from '../../controller/device-service/device-registry.ts';
import { type DeviceHost, DeviceService } from '../../controller/device-service/device-service.ts';
import type { Answer } from '../../controller/device-service/handlers/context.ts';
import type { DeviceTransport } from '../../controller/device-service/transport.ts';
import { EventBus } from '../../controller/event-bus.ts';
import { silentLogger } from '../../controller/logger.ts';
import type { QueueService } from '../../controller/queue/queue-service.ts';
import type { CounterDisplay, DeviceEvent, PrintJob } from '../../devices/protocol/messages.ts';
import { MORNING } from '../helpers/centre.ts';

class FakeTransport implements DeviceTransport {
  readonly kind = 'mqtt';
  host: DeviceHost | null = null;
  readonly printed: { deviceId: string; label: string }[] = [];
  readonly shown: { counterId: string; display: CounterDisplay }[] = [];
  stopped = false;

  async start(host: DeviceHost): Promise<void> {
    this.host = host;
    host.displays.onCounterDisplay((counterId, display) => this.shown.push({ counterId, display }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  async print(deviceId: string, job: PrintJob): Promise<void> {
    this.printed.push({ deviceId, label: job.label });
  }

  send(
    device: Device,
    event: { seq: number; type: string; [field: string]: unknown },
  ): Promise<Answer | undefined> {
    if (!this.host) throw new Error('not started');
    return this.host.handle(device, { boot: 'b00t', ...event } as DeviceEvent);
  }
}

/** The queue service's two members the device service uses, on an in-memory engine. */
function queueOn(engine: QueueEngine, bus: EventBus): QueueService {
  return {
    get state() {
      return engine.state;
    },
    submit: async (command: Command) => {
      const outcome = engine.execute(command, MORNING);
      if (outcome.events.length) bus.emitQueueEvents(outcome.events);
      return outcome;
    },
  } as unknown as QueueService;
}

let service: DeviceService | null = null;
afterEach(async () => {
  await service?.stop();
  service = null;
});

async function hall() {
  const config: CentreConfig = await loadCentreConfigFile(DEMO_CENTRE_FILE);
  const engine = QueueEngine.empty(config, MORNING);
  const bus = new EventBus();
  const registry = new DeviceRegistry({ config: () => config, bus });
  const transport = new FakeTransport();
  const queue = queueOn(engine, bus);
  service = new DeviceService({
    config: () => config,
    queue,
    registry,
    bus,
    citizens: CitizenKeys.forTests(),
    publicUrl: () => 'http://hall.test',
    logger: silentLogger,
    transports: [transport],
  });
  await service.start();
  const device = (id: string) => {
    const d = config.devices.find((x) => x.id === id);
    if (!d) throw new Error(`${id} missing from the demo centre`);
    return d;
  };
  return { config, engine, registry, transport, queue, service, device };
}

describe('the device service with a transport of its own', () => {
  it('issues a ticket once for an event sent twice, and prints it through the transport that carries the dispenser', async () => {
    const h = await hall();
    h.registry.connected('kiosk-a');
    const first = await h.transport.send(h.device('kiosk-a'), {
      seq: 1,
      type: 'button',
      serviceId: 'dat-dai',
    });
    expect(first).toMatchObject({ status: 'ok', data: { label: '1001' } });
    const again = await h.transport.send(h.device('kiosk-a'), {
      seq: 1,
      type: 'button',
      serviceId: 'dat-dai',
    });
    expect(again).toEqual(first);
    expect(Object.keys(h.engine.state.tickets)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(h.transport.printed).toEqual([{ deviceId: 'kiosk-a', label: '1001' }]);
    expect(h.service.printOutcome(Object.keys(h.engine.state.tickets)[0] as string)).toMatchObject({
      status: 'printed',
    });
    expect(h.registry.get('kiosk-a')?.errors).toMatchObject({ duplicate: 1 });
  });

  it('answers invalid an event its device type does not send, and a refusal with its Vietnamese text', async () => {
    const h = await hall();
    const rate = await h.transport.send(h.device('kiosk-a'), { seq: 1, type: 'rate', level: 1 });
    expect(rate).toMatchObject({ status: 'error', error: { code: 'invalid' } });
    const next = await h.transport.send(h.device('c1-pad'), { seq: 1, type: 'key', key: 'next' });
    expect(next).toMatchObject({
      status: 'error',
      error: { code: 'noStaff', text: 'Quầy chưa có cán bộ đăng nhập' },
    });
  });

  it("shows a call on the counter's display through the transport, and stop() stops the transport", async () => {
    const h = await hall();
    await h.queue.submit({ type: 'login', counterId: 'quay-1', staffId: 'nguyen-thi-thu-ha' });
    await h.queue.submit({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' });
    const answer = await h.transport.send(h.device('c1-pad'), { seq: 1, type: 'key', key: 'next' });
    expect(answer).toMatchObject({ status: 'ok' });
    expect(h.transport.shown.at(-1)).toMatchObject({
      counterId: 'quay-1',
      display: { label: '1001', state: 'called', blink: true },
    });
    await h.service.stop();
    service = null;
    expect(h.transport.stopped).toBe(true);
  });
});
