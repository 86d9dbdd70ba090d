/**
 * Valid upstream v1 messages for the receiver's tests, built with the protocol's types and checked
 * against its schemas (a fixture that drifts from the schema fails here, not in a confusing way
 * later).
 */
import { readdirSync } from 'node:fs';
import {
  type CentreStatus,
  centreStatusSchema,
  type DailySummary,
  dailySummarySchema,
  type LiveSnapshot,
  liveSnapshotSchema,
  type VisitFigures,
  type VisitRecord,
  visitRecordSchema,
} from '../../upstream/protocol/messages.ts';

export const PROVINCE = 'quang-nam';
export const PREFIX = 'qms-province';
export const MINUTE = 60_000;

/** A served, rated first-leg visit with seq `seq`, waiting `waitMinutes`. */
export function visit(
  centreId: string,
  seq: number,
  day: string,
  overrides: Partial<VisitRecord> = {},
  waitMinutes = 5,
): VisitRecord {
  const base = Date.parse(`${day}T01:00:00Z`) + seq * 10 * MINUTE;
  const calledAt = base + waitMinutes * MINUTE;
  const record: VisitRecord = {
    kind: 'visit',
    v: 1,
    centreId,
    provinceId: PROVINCE,
    id: `${centreId}/${day}:A${String(seq).padStart(3, '0')}/0`,
    seq,
    day,
    ticketId: `${day}:A${String(seq).padStart(3, '0')}`,
    leg: 0,
    serviceId: 'dat-dai',
    priorityClassId: null,
    appointment: false,
    source: 'kiosk',
    issuedAt: base,
    queuedAt: base,
    calledAt,
    startedAt: calledAt + 30_000,
    endedAt: calledAt + 8 * MINUTE,
    waitSeconds: waitMinutes * 60,
    serviceSeconds: 7.5 * 60,
    counterId: 'quay-1',
    staff: 'st-abcdefghijklmnop',
    recalls: 0,
    skips: 0,
    rating: { level: 1, scaleSize: 4, notSatisfied: false },
    outcome766: 'satisfied',
    transfer: { fromServiceId: null, toServiceId: null },
    outcome: 'served',
    ...overrides,
  };
  return visitRecordSchema.parse(record);
}

/** A visit whose citizen rated "not satisfied". */
export function unhappyVisit(centreId: string, seq: number, day: string, waitMinutes = 5): VisitRecord {
  return visit(
    centreId,
    seq,
    day,
    { rating: { level: 4, scaleSize: 4, notSatisfied: true }, outcome766: 'notSatisfied' },
    waitMinutes,
  );
}

/** A no-show, never called, closed `minutesOpen` after arrival. */
export function noShow(centreId: string, seq: number, day: string, minutesOpen: number): VisitRecord {
  const base = Date.parse(`${day}T01:00:00Z`) + seq * 10 * MINUTE;
  return visit(centreId, seq, day, {
    calledAt: null,
    startedAt: null,
    endedAt: base + minutesOpen * MINUTE,
    waitSeconds: null,
    serviceSeconds: null,
    counterId: null,
    staff: null,
    rating: null,
    outcome766: 'notCounted',
    outcome: 'noShow',
  });
}

export function live(
  centreId: string,
  at: number,
  day: string,
  overrides: Partial<LiveSnapshot> = {},
): LiveSnapshot {
  return liveSnapshotSchema.parse({
    kind: 'live',
    v: 1,
    centreId,
    provinceId: PROVINCE,
    at,
    day,
    seq: 42,
    services: [
      { serviceId: 'dat-dai', waiting: 4, longestWaitSeconds: 620, estimatedWaitMinutes: 12 },
      { serviceId: 'tu-phap-ho-tich', waiting: 2, longestWaitSeconds: 1080, estimatedWaitMinutes: 18 },
    ],
    counters: { open: 5, serving: 3, paused: 1, closed: 3 },
    devicesOffline: 0,
    satisfaction: {
      visits: 40,
      rated: 30,
      notSatisfied: 1,
      rate766: 39 / 40,
      satisfiedShare: 28 / 30,
      byLevel: [20, 8, 1, 1],
    },
    withinTarget: { met: 36, missed: 4, share: 0.9 },
    targetMinutes: 15,
    backlog: { records: 0, oldestEndedAt: null, lastAckedSeq: 41 },
    ...overrides,
  } satisfies LiveSnapshot);
}

const emptyFigures = (o: {
  visits: number;
  served: number;
  within: number;
  over: number;
  notSatisfied: number;
}): VisitFigures => ({
  visits: o.visits,
  tickets: o.visits,
  served: o.served,
  noShow: o.visits - o.served,
  transferred: 0,
  cancelled: 0,
  expired: 0,
  wait: {
    count: o.within + o.over,
    meanSeconds: 300,
    medianSeconds: 300,
    p90Seconds: 900,
    withinTarget: o.within,
    overTarget: o.over,
    withinTargetShare: o.within + o.over ? o.within / (o.within + o.over) : null,
  },
  serviceTime: { count: o.served, meanSeconds: 420, medianSeconds: 400 },
  satisfaction: {
    visits: o.served,
    rated: o.served,
    notSatisfied: o.notSatisfied,
    rate766: o.served ? (o.served - o.notSatisfied) / o.served : null,
    satisfiedShare: o.served ? (o.served - o.notSatisfied) / o.served : null,
    byLevel: [o.served - o.notSatisfied, 0, 0, o.notSatisfied],
  },
});

export function daily(
  centreId: string,
  day: string,
  revision: number,
  o: { visits: number; served: number; within: number; over: number; notSatisfied: number },
): DailySummary {
  const figures = emptyFigures(o);
  return dailySummarySchema.parse({
    kind: 'daily',
    v: 1,
    centreId,
    provinceId: PROVINCE,
    day,
    revision,
    at: Date.parse(`${day}T11:00:00Z`) + revision * MINUTE,
    lastSeq: 100 + revision,
    targetMinutes: 15,
    total: figures,
    services: [{ serviceId: 'dat-dai', figures }],
    staff: { count: 2, dossiersPerStaff: o.served / 2 },
  } satisfies DailySummary);
}

export function status(centreId: string, state: 'online' | 'offline', at: number | null): CentreStatus {
  return centreStatusSchema.parse({
    kind: 'status',
    v: 1,
    centreId,
    provinceId: PROVINCE,
    state,
    at,
    software: state === 'online' ? 'hall-controller 0.1.0' : null,
  } satisfies CentreStatus);
}

export function bytes(message: unknown): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/** The receiver's migration versions, from its folder (001_initial.sql → 1, …). */
export const MIGRATION_VERSIONS = readdirSync(new URL('../../upstream/receiver/migrations/', import.meta.url))
  .filter((f) => /^\d{3}_.*\.sql$/.test(f))
  .map((f) => Number(f.slice(0, 3)))
  .sort((a, b) => a - b);
