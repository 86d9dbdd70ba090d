/**
 * A dispenser's button repeated after a controller restart (the device service's memory of answers is
 * gone; the journal still knows the request): the same ticket is answered and nothing is printed
 * again — a repeat changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../../controller/centre/load.ts';
import { QueueEngine } from '../../controller/core/engine.ts';
import { CitizenKeys } from '../../controller/device-service/citizen-keys.ts';
import type { DeviceContext } from '../../controller/device-service/handlers/context.ts';
import { pressButton } from '../../controller/device-service/handlers/dispenser.ts';
import { KioskSessions } from '../../controller/device-service/kiosk-sessions.ts';
import { PrintOutcomes } from '../../controller/device-service/print-outcomes.ts';
import { silentLogger } from '../../controller/logger.ts';
import { MORNING } from '../helpers/centre.ts';

async function context(engine: QueueEngine, printed: string[]): Promise<DeviceContext> {
  return {
    config: () => engine.config,
    submit: async (command) => engine.execute(command, MORNING),
    tickets: () => Object.values(engine.state.tickets),
    print: async (deviceId, job) => {
      printed.push(`${deviceId}:${job.label}`);
    },
    registry: { canPrint: () => true, countError: () => undefined } as unknown as DeviceContext['registry'],
    prints: new PrintOutcomes(),
    kiosk: new KioskSessions(() => MORNING),
    citizens: CitizenKeys.forTests(),
    publicUrl: () => 'http://192.0.2.1:8080',
    logger: silentLogger,
    clock: () => MORNING,
  };
}

describe('a repeated button press', () => {
  it('answers the same ticket and prints nothing more, from the hardware and from the kiosk page', async () => {
    const config = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    const engine = QueueEngine.empty(config, MORNING);
    const printed: string[] = [];
    const ctx = await context(engine, printed);
    const device = config.devices.find((d) => d.id === 'kiosk-a');
    if (!device) throw new Error('kiosk-a missing from the demo centre');
    const handled = { device, requestId: 'kiosk-a:boot1:0' };

    const first = await pressButton(ctx, handled, { serviceId: 'dat-dai' });
    expect(first.repeated).toBe(false);
    expect(printed).toEqual(['kiosk-a:1001']);

    // As after a restart: the same boot and seq reach the handler again.
    const again = await pressButton(ctx, handled, { serviceId: 'dat-dai' });
    expect(again).toMatchObject({ repeated: true, ticket: { label: '1001' } });
    const fromPage = await pressButton(ctx, handled, { serviceId: 'dat-dai' }, true);
    expect(fromPage.repeated).toBe(true);
    await new Promise((r) => setTimeout(r, 10));
    expect(printed).toEqual(['kiosk-a:1001']);
  });
});
