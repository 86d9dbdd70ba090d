/**
 * The simulated devices do what docs/protocol.md asks of firmware when QoS 1 delivers a command twice:
 * the repeated `tx` gets the same reply again and is not done again (a dispenser never prints a
 * ticket twice). The benchmarks and the demo measure and show the sims, so they must behave as the
 * real devices do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { Broker } from '../../controller/transports/mqtt/broker.ts';
import { deviceTopic } from '../../devices/protocol/topics.ts';
import { SimDispenser } from '../../firmware-sim/devices/dispenser.ts';
import { allowAll } from '../helpers/allow-all-devices.ts';
import { eventually } from '../helpers/device-centre.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a simulated dispenser given the same print command twice', () => {
  it('prints once and sends the same reply both times', async () => {
    const broker = new Broker(silentLogger);
    const aedes = await broker.create(allowAll);
    await broker.listen({ port: 0, host: '127.0.0.1' });
    cleanups.push(() => broker.stop());
    const dispenser = new SimDispenser({
      url: `mqtt://127.0.0.1:${broker.port}`,
      centreId: 'c1',
      deviceId: 'kiosk-1',
      secret: 'x',
      paper: 10,
    });
    await dispenser.start();
    cleanups.push(() => dispenser.stop());
    const replies: string[] = [];
    await new Promise<void>((resolve) =>
      aedes.subscribe(
        deviceTopic('c1', 'kiosk-1', 'reply'),
        (packet, cb) => {
          replies.push(String(packet.payload));
          cb();
        },
        () => resolve(),
      ),
    );
    const print = {
      type: 'print',
      tx: 'tx-print-1',
      ticket: {
        centreName: 'Trung tâm',
        serviceName: 'Đất đai',
        label: '1001',
        priority: null,
        peopleAhead: 0,
        estimatedWaitMinutes: null,
        issuedAt: 0,
        qrUrl: 'http://192.0.2.1/t/1/k',
        footer: 'Xin cảm ơn!',
      },
    };
    const send = () =>
      new Promise<void>((resolve, reject) =>
        aedes.publish(
          {
            cmd: 'publish',
            topic: deviceTopic('c1', 'kiosk-1', 'cmd'),
            payload: Buffer.from(JSON.stringify(print)),
            qos: 1,
            retain: false,
            dup: false,
          },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    await send();
    await eventually(() => replies.length === 1, 5000, 'the first reply');
    await send(); // QoS 1 delivered it again
    await eventually(() => replies.length === 2, 5000, 'the reply to the repeat');
    expect(dispenser.printed).toHaveLength(1);
    expect(dispenser.paper).toBe(9);
    expect(replies[1]).toBe(replies[0]);
  });
});
