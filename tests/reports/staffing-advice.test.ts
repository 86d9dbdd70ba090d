import { describe, expect, it } from 'vitest';
import { erlangStaff } from '../../controller/core/staffing.ts';
import { arrivalHistory, pools, staffingAdvice } from '../../controller/reports/staffing-advice.ts';
import { MIN, MORNING, smallCentre } from '../helpers/centre.ts';
import { EngineHarness } from '../helpers/engine.ts';

const HOUR = 60 * MIN;
// MORNING is 08:00 local (UTC+7).
const zoned = () =>
  smallCentre({
    zones: [{ id: 'khu-a', name: 'Khu A' }],
    services: [
      { id: 'dat-dai', name: 'Đất đai', prefix: '1', expectedServiceMinutes: 15, zoneId: 'khu-a' },
      { id: 'ho-tich', name: 'Tư pháp – Hộ tịch', prefix: '2', expectedServiceMinutes: 8, zoneId: 'khu-a' },
      { id: 'tra-kq', name: 'Trả kết quả', prefix: '3', expectedServiceMinutes: 4 },
    ],
  });

describe('staffing advice on the dashboard', () => {
  it('groups services into pools by zone; a service in no zone is a pool of its own', () => {
    expect(pools(zoned()).map((p) => p.services)).toEqual([['dat-dai', 'ho-tich'], ['tra-kq']]);
  });

  it('advises Erlang C’s staff per pool and hour from the past days, with its reason in one Vietnamese line', () => {
    const h = new EngineHarness(zoned(), MORNING).staff('c1', 'ha');
    // Past days: 12 land and 6 civil-status visits at 08:00 each day.
    const day0 = MORNING - 24 * HOUR;
    const records = [
      ...Array.from({ length: 12 }, () => ({
        leg: 0,
        serviceId: 'dat-dai',
        issuedAt: day0 + 5 * MIN,
        day: 'd1',
      })),
      ...Array.from({ length: 6 }, () => ({
        leg: 0,
        serviceId: 'ho-tich',
        issuedAt: day0 + 9 * MIN,
        day: 'd1',
      })),
    ];
    const history = arrivalHistory(records, 'Asia/Ho_Chi_Minh');
    expect(history.days).toBe(1);
    const lines = staffingAdvice(h.engine.config, h.engine.state, MORNING + 10 * MIN, history, { hours: 1 });
    expect(lines).toHaveLength(1);
    const line = lines[0];
    const mean = (12 * 15 + 6 * 8) / 18;
    expect(line?.advised).toBe(erlangStaff(18, mean, 15, 0.9));
    expect(line?.present).toBe(1);
    expect(line?.text).toBe(`08:00–09:00: ${line?.advised} người cho Đất đai + Tư pháp – Hộ tịch; hiện có 1`);
  });

  it('without history, expects the last hour’s arrivals to go on', () => {
    const h = new EngineHarness(zoned(), MORNING).staff('c3', 'lan');
    for (let i = 0; i < 10; i++) {
      h.issue('tra-kq');
      h.advance(3);
    }
    const lines = staffingAdvice(h.engine.config, h.engine.state, h.now, null, { hours: 1 });
    expect(lines.map((l) => [l.poolId, l.expectedArrivals])).toEqual([['tra-kq', 10]]);
    expect(lines[0]?.present).toBe(1);
  });
});
