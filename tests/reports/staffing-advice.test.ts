import { describe, expect, it } from 'vitest';
import { erlangStaff } from '../../controller/core/staffing.ts';
import {
  adviceHours,
  arrivalHistory,
  openShare,
  pools,
  staffingAdvice,
} from '../../controller/reports/staffing-advice.ts';
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

  it('counts the citizens waiting now on the current hour’s line', () => {
    const h = new EngineHarness(zoned(), MORNING).staff('c1', 'ha');
    for (let i = 0; i < 5; i++) h.issue('dat-dai');
    h.issue('tra-kq');
    h.advance(20);
    const lines = staffingAdvice(h.engine.config, h.engine.state, h.now, null, { hours: 2 });
    const now = lines.filter((l) => l.from === MORNING);
    expect(now.map((l) => [l.poolId, l.waiting])).toEqual([
      ['khu-a', 5],
      ['tra-kq', 1],
    ]);
    expect(now[0]?.text).toBe(
      `08:00–09:00: ${now[0]?.advised} người cho Đất đai + Tư pháp – Hộ tịch; hiện có 1; 5 người đang chờ`,
    );
    expect(
      lines.filter((l) => l.from > MORNING).every((l) => l.waiting === 0 && !l.text.includes('chờ')),
    ).toBe(true);
  });
});

describe('opening hours', () => {
  /** Return-of-results tickets every 6 minutes from 15:10 to 16:04: 9 in the 60 minutes before 16:10. */
  const lateAfternoon = (config = zoned()) => {
    const h = new EngineHarness(config, MORNING + 7 * HOUR + 10 * MIN).staff('c3', 'lan');
    for (let i = 0; i < 10; i++) {
      h.issue('tra-kq');
      h.advance(6);
    }
    return h;
  };

  it('without history, advises only for the hours the centre is open, and nothing after closing', () => {
    const h = lateAfternoon(); // open 07:00–17:00 by default
    const lines = staffingAdvice(h.engine.config, h.engine.state, h.now, null, { hours: 3 });
    expect(lines.map((l) => [l.text, l.expectedArrivals])).toEqual([
      [`16:00–17:00: ${erlangStaff(9, 4, 15, 0.9)} người cho Trả kết quả; hiện có 1; 10 người đang chờ`, 9],
    ]);
    h.advance(55); // 17:05
    expect(adviceHours(h.engine.config, h.now, 3)).toEqual([]);
    expect(staffingAdvice(h.engine.config, h.engine.state, h.now, null, { hours: 3 })).toEqual([]);
  });

  it('with history, advises nothing for the hours after closing either', () => {
    const h = lateAfternoon();
    const day0 = MORNING - 24 * HOUR;
    // Past days had arrivals until 19:00 (tickets issued late by staff): still no advice after closing.
    const records = [8, 9, 16, 17, 18].flatMap((hour) =>
      Array.from({ length: 6 }, () => ({
        leg: 0,
        serviceId: 'tra-kq',
        issuedAt: day0 + (hour - 8) * HOUR,
        day: 'd1',
      })),
    );
    const history = arrivalHistory(records, 'Asia/Ho_Chi_Minh');
    const lines = staffingAdvice(h.engine.config, h.engine.state, h.now, history, { hours: 3 });
    expect(lines.map((l) => l.from)).toEqual([MORNING + 8 * HOUR]);
  });

  it('follows the configured hours: a part-open hour expects its share, a break is skipped', () => {
    const base = zoned();
    const config = {
      ...base,
      centre: {
        ...base.centre,
        openingHours: { opens: '07:30', closes: '16:30', breaks: [{ from: '11:30', to: '13:30' }] },
      },
    };
    expect([7, 11, 12, 13, 16, 17].map((hour) => openShare(config, hour))).toEqual([
      0.5, 0.5, 0, 0.5, 0.5, 0,
    ]);
    expect(adviceHours(config, MORNING + 3 * HOUR + 10 * MIN, 3)).toEqual([11, 13, 14]); // at 11:10
    expect(adviceHours(config, MORNING - 2 * HOUR, 2)).toEqual([7, 8]); // at 06:00, before opening
    const h = lateAfternoon(config);
    const lines = staffingAdvice(config, h.engine.state, h.now, null, { hours: 3 });
    expect(lines.map((l) => [l.from, l.expectedArrivals])).toEqual([[MORNING + 8 * HOUR, 4.5]]);
  });

  it('the centre file takes opening hours and refuses a closing before the opening', () => {
    expect(zoned().centre.openingHours).toEqual({ opens: '07:00', closes: '17:00', breaks: [] });
    expect(() =>
      smallCentre({
        centre: {
          id: 'x',
          name: 'X',
          level: 'commune',
          openingHours: { opens: '17:00', closes: '07:30' },
        },
      }),
    ).toThrow(/closes/);
  });
});
