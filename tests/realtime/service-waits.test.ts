/**
 * The live link's service estimates: remade at most every few seconds (a forecast of the whole
 * queue each), at once when a service's open counters change, a new day starts or the configuration
 * is another; between, the waits made last are sent.
 */
import { describe, expect, it } from 'vitest';
import { QueueEngine } from '../../controller/core/engine.ts';
import { estimateForService } from '../../controller/core/wait-estimate.ts';
import { SERVICE_WAITS_MAX_AGE_MS, ServiceWaits } from '../../controller/realtime/service-waits.ts';
import { MORNING, smallCentre } from '../helpers/centre.ts';

const config = smallCentre();

function hall() {
  const engine = QueueEngine.empty(config, MORNING);
  engine.execute({ type: 'login', counterId: 'c1', staffId: 'ha' }, MORNING);
  for (let i = 0; i < 12; i++)
    engine.execute({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' }, MORNING);
  return engine;
}

describe('service waits on the live link', () => {
  it('sends the waits made last while they are young, and new ones once they are not', () => {
    const engine = hall();
    const waits = new ServiceWaits();
    const first = waits.at(config, engine.state, MORNING)('dat-dai');
    expect(first).toEqual(estimateForService(config, engine.state, 'dat-dai', MORNING));
    // Six more citizens a second later: the estimate would grow, but the one made a second ago is sent.
    for (let i = 0; i < 6; i++)
      engine.execute({ type: 'issueTicket', serviceId: 'dat-dai', source: 'kiosk' }, MORNING + 1_000);
    const now = MORNING + 1_000;
    const grown = estimateForService(config, engine.state, 'dat-dai', now);
    expect(grown?.minutes).toBeGreaterThan(first?.minutes as number);
    expect(waits.at(config, engine.state, now)('dat-dai')).toBe(first);
    const later = MORNING + SERVICE_WAITS_MAX_AGE_MS;
    expect(waits.at(config, engine.state, later)('dat-dai')).toEqual(
      estimateForService(config, engine.state, 'dat-dai', later),
    );
  });

  it('remakes them at once when a service gains an open counter', () => {
    const engine = hall();
    const waits = new ServiceWaits();
    expect(waits.at(config, engine.state, MORNING)('tra-kq')).toBeNull(); // nobody serves it yet
    engine.execute({ type: 'issueTicket', serviceId: 'tra-kq', source: 'kiosk' }, MORNING + 500);
    engine.execute({ type: 'login', counterId: 'c3', staffId: 'lan' }, MORNING + 500);
    // Within the 5 s, but the waits made before the login would still say null.
    const wait = waits.at(config, engine.state, MORNING + 600)('tra-kq');
    expect(wait).not.toBeNull();
    expect(wait).toEqual(estimateForService(config, engine.state, 'tra-kq', MORNING + 600));
  });
});
