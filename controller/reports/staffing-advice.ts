/**
 * Staffing advice for the manager dashboard: for each of the coming hours and each skill pool (the
 * services of one zone of the hall; a service in no zone is a pool of its own), the fewest staff for
 * `targetShare` of citizens called within the wait target, by Erlang C (controller/core/staffing.ts),
 * with one line of reasoning in Vietnamese ("10:00–11:00: 6 người cho Đất đai + Xây dựng; hiện có 4").
 *
 * Expected arrivals of a service in an hour: the average of the same hour on the past days given
 * (`history`, from the journal), scaled by how today compares with them so far (between ½ and 2×);
 * without history, today's last hour goes on (in proportion to the part of each hour the centre is
 * open). Only hours within the centre's opening hours (`centre.openingHours`) are advised for: after
 * closing there is nothing to advise. Visit lengths are the learned ones (service-time.ts).
 * Erlang C is a lower bound for one pool alone; the simulator (`npm run simulate -- <scenario>
 * --advise`, docs/prediction.md) shows how far real days differ. Pure: time passed in.
 */
import type { CentreConfig } from '../centre/schema.ts';
import { servicesAt } from '../core/assignment.ts';
import { openTickets } from '../core/open-tickets.ts';
import { meanMs, modelFor } from '../core/service-time.ts';
import { erlangStaff } from '../core/staffing.ts';
import type { QueueState } from '../core/types.ts';
import { dayStartOf } from './waits.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Average arrivals per service and local hour of the day (0–23) over past days. */
export type ArrivalHistory = { days: number; perHour: Record<string, number[]> };

export interface StaffingLine {
  from: number;
  to: number;
  poolId: string;
  services: string[];
  expectedArrivals: number;
  meanServiceMinutes: number;
  advised: number;
  present: number;
  /** Citizens of the pool's services waiting now (on the current hour's line; 0 on later hours). */
  waiting: number;
  text: string;
  textEn: string;
}

export interface Pool {
  id: string;
  services: string[];
  name: string;
  nameEn: string;
}

export function pools(config: CentreConfig): Pool[] {
  const result: Pool[] = [];
  for (const zone of config.zones) {
    const services = config.services.filter((s) => s.zoneId === zone.id);
    if (services.length > 0) result.push(pool(zone.id, services));
  }
  for (const s of config.services)
    if (!s.zoneId || !config.zones.some((z) => z.id === s.zoneId)) result.push(pool(s.id, [s]));
  return result;
}

function pool(id: string, services: CentreConfig['services']): Pool {
  return {
    id,
    services: services.map((s) => s.id),
    name: services.map((s) => s.name).join(' + '),
    nameEn: services.map((s) => s.nameEn ?? s.name).join(' + '),
  };
}

function localHour(at: number, dayStart: number): number {
  return Math.floor((at - dayStart) / HOUR);
}

function clock(at: number, dayStart: number): string {
  const h = localHour(at, dayStart);
  return `${String(h).padStart(2, '0')}:00`;
}

const minuteOfDay = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Share (0–1) of local hour h (0–23) within the centre's opening hours, its breaks left out. */
export function openShare(config: CentreConfig, h: number): number {
  const { opens, closes, breaks } = config.centre.openingHours;
  const from = minuteOfDay(opens);
  const to = minuteOfDay(closes);
  let open = 0;
  for (let m = h * 60; m < (h + 1) * 60; m++) {
    if (m < from || m >= to) continue;
    if (breaks.some((b) => m >= minuteOfDay(b.from) && m < minuteOfDay(b.to))) continue;
    open++;
  }
  return open / 60;
}

/**
 * The local hours (0–23) to advise for at `now`: from the current hour on, the first `hours` that
 * are at least partly open. Empty once the centre has closed for the day.
 */
export function adviceHours(config: CentreConfig, now: number, hours: number): number[] {
  const nowHour = localHour(now, dayStartOf(now, config.centre.timezone));
  const result: number[] = [];
  for (let h = Math.max(0, nowHour); h < 24 && result.length < hours; h++)
    if (openShare(config, h) > 0) result.push(h);
  return result;
}

/**
 * Expected arrivals of a service in local hour h (0–23) of today: the past days' average for that
 * hour scaled by how today compares with them so far (between ½ and 2×), or without history the
 * arrivals of the last 60 minutes.
 */
export function expectedArrivals(
  config: CentreConfig,
  state: QueueState,
  now: number,
  history: ArrivalHistory | null,
): (serviceId: string, h: number) => number {
  const dayStart = dayStartOf(now, config.centre.timezone);
  const nowHour = localHour(now, dayStart);
  // Today so far, per service: arrivals before this hour, and in the last 60 minutes.
  const before: Record<string, number> = {};
  const lastHour: Record<string, number> = {};
  for (const t of Object.values(state.tickets)) {
    if (t.arrivedAt < dayStart || t.transferCount > 0) continue;
    if (localHour(t.arrivedAt, dayStart) < nowHour) before[t.serviceId] = (before[t.serviceId] ?? 0) + 1;
    if (t.arrivedAt > now - HOUR) lastHour[t.serviceId] = (lastHour[t.serviceId] ?? 0) + 1;
  }
  let todaySoFar = 0;
  let usualSoFar = 0;
  for (const s of config.services) {
    todaySoFar += before[s.id] ?? 0;
    for (let h = 0; h < nowHour; h++) usualSoFar += history?.perHour[s.id]?.[h] ?? 0;
  }
  const scale = usualSoFar > 0 ? Math.min(2, Math.max(0.5, todaySoFar / usualSoFar)) : 1;
  return (serviceId: string, h: number) =>
    history && history.days > 0
      ? (history.perHour[serviceId]?.[h] ?? 0) * scale
      : (lastHour[serviceId] ?? 0) * openShare(config, h);
}

export function staffingAdvice(
  config: CentreConfig,
  state: QueueState,
  now: number,
  history: ArrivalHistory | null,
  options: { hours?: number; targetShare?: number } = {},
): StaffingLine[] {
  const hours = options.hours ?? 3;
  const targetShare = options.targetShare ?? 0.9;
  const target = config.queue.waitTargetMinutes;
  const dayStart = dayStartOf(now, config.centre.timezone);
  const nowHour = localHour(now, dayStart);

  const expected = expectedArrivals(config, state, now, history);
  const waitingNow = new Map<string, number>();
  for (const t of openTickets(state))
    if (t.status === 'waiting') waitingNow.set(t.serviceId, (waitingNow.get(t.serviceId) ?? 0) + 1);

  // Who is at work now, counted in the pool of the first service they take at their counter.
  const present = new Map<string, number>();
  const poolList = pools(config);
  for (const counter of config.counters) {
    const live = state.counters[counter.id];
    if (live?.status === 'closed' || !live?.staffId) continue;
    const staff = config.staff.find((s) => s.id === live.staffId);
    const first = staff ? servicesAt(counter, staff)[0] : undefined;
    const p = poolList.find((x) => first !== undefined && x.services.includes(first));
    if (p) present.set(p.id, (present.get(p.id) ?? 0) + 1);
  }

  const lines: StaffingLine[] = [];
  for (const h of adviceHours(config, now, hours)) {
    const from = dayStart + h * HOUR;
    for (const p of poolList) {
      const waiting = h === nowHour ? p.services.reduce((n, id) => n + (waitingNow.get(id) ?? 0), 0) : 0;
      let arrivals = 0;
      let work = 0;
      for (const serviceId of p.services) {
        const n = expected(serviceId, h);
        const s = config.services.find((x) => x.id === serviceId);
        const mean =
          meanMs(modelFor(state, serviceId, undefined, (s?.expectedServiceMinutes ?? 10) * MIN)) / MIN;
        arrivals += n;
        work += n * mean;
      }
      // A pool nobody is expected at still gets a line while citizens wait for it (the simulation's
      // correction, which starts from the hall as it is, may advise staff for them).
      if (arrivals < 0.5 && waiting === 0) continue;
      const meanServiceMinutes = arrivals > 0 ? work / arrivals : meanOf(config, state, p.services);
      const advised = erlangStaff(arrivals, meanServiceMinutes, target, targetShare);
      const have = present.get(p.id) ?? 0;
      const span = `${clock(from, dayStart)}–${clock(from + HOUR, dayStart)}`;
      lines.push({
        from,
        to: from + HOUR,
        poolId: p.id,
        services: p.services,
        expectedArrivals: Math.round(arrivals * 10) / 10,
        meanServiceMinutes: Math.round(meanServiceMinutes * 10) / 10,
        advised,
        present: have,
        waiting,
        text: `${span}: ${advised} người cho ${p.name}; hiện có ${have}${waiting > 0 ? `; ${waiting} người đang chờ` : ''}`,
        textEn: `${span}: ${advised} staff for ${p.nameEn}; ${have} at work now${waiting > 0 ? `; ${waiting} waiting` : ''}`,
      });
    }
  }
  return lines;
}

function meanOf(config: CentreConfig, state: QueueState, services: string[]): number {
  let sum = 0;
  for (const serviceId of services) {
    const s = config.services.find((x) => x.id === serviceId);
    sum += meanMs(modelFor(state, serviceId, undefined, (s?.expectedServiceMinutes ?? 10) * MIN)) / MIN;
  }
  return sum / Math.max(1, services.length);
}

/** Average arrivals per service and local hour over the given days' first legs (visit records). */
export function arrivalHistory(
  records: readonly { leg: number; serviceId: string; issuedAt: number; day: string }[],
  timeZone: string,
): ArrivalHistory {
  const days = new Set<string>();
  const perHour: Record<string, number[]> = {};
  for (const r of records) {
    if (r.leg !== 0) continue;
    days.add(r.day);
    const h = localHour(r.issuedAt, dayStartOf(r.issuedAt, timeZone));
    perHour[r.serviceId] ??= new Array<number>(24).fill(0);
    const row = perHour[r.serviceId] as number[];
    if (h >= 0 && h < 24) row[h] = (row[h] ?? 0) + 1;
  }
  for (const row of Object.values(perHour))
    for (let h = 0; h < 24; h++) row[h] = (row[h] ?? 0) / Math.max(1, days.size);
  return { days: days.size, perHour };
}
