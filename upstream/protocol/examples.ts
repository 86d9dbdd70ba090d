/**
 * One example of each upstream message, for docs/upstream.md. Hand-written (the daily summary is
 * computed from the example records by the controller's own summary, so its figures agree with
 * them); tests/upstream/protocol-doc.test.ts checks each against its schema and topic.
 */
import type { CentreStatus, DailySummary, LiveSnapshot, VisitRecord } from './messages.ts';
import type { UpstreamKind } from './topics.ts';

export const EXAMPLE_PREFIX = 'qms-province';
export const EXAMPLE_PROVINCE = 'quang-nam';
export const EXAMPLE_CENTRE = 'tt-phvhcc-quang-nam';
export const EXAMPLE_DAY = '2026-12-04';

const at = (hhmm: string) => Date.parse(`${EXAMPLE_DAY}T${hhmm}:00+07:00`);

const envelope = { v: 1 as const, centreId: EXAMPLE_CENTRE, provinceId: EXAMPLE_PROVINCE };

export const EXAMPLE_VISITS: VisitRecord[] = [
  {
    kind: 'visit',
    ...envelope,
    id: `${EXAMPLE_CENTRE}/${EXAMPLE_DAY}:dat-dai:1/0`,
    seq: 41,
    day: EXAMPLE_DAY,
    ticketId: `${EXAMPLE_DAY}:dat-dai:1`,
    leg: 0,
    serviceId: 'dat-dai',
    priorityClassId: null,
    appointment: false,
    source: 'kiosk',
    issuedAt: at('07:42'),
    queuedAt: at('07:42'),
    calledAt: at('07:51'),
    startedAt: at('07:52'),
    endedAt: at('08:05'),
    waitSeconds: 540,
    serviceSeconds: 780,
    counterId: 'quay-1',
    staff: 'st-k3vq7mzt2xw4n5pa',
    recalls: 0,
    skips: 0,
    rating: { level: 1, scaleSize: 4, notSatisfied: false },
    outcome766: 'satisfied',
    transfer: { fromServiceId: null, toServiceId: null },
    outcome: 'served',
  },
  {
    kind: 'visit',
    ...envelope,
    id: `${EXAMPLE_CENTRE}/${EXAMPLE_DAY}:cu-tru:2/0`,
    seq: 57,
    day: EXAMPLE_DAY,
    ticketId: `${EXAMPLE_DAY}:cu-tru:2`,
    leg: 0,
    serviceId: 'cu-tru',
    priorityClassId: 'nguoi-cao-tuoi',
    appointment: false,
    source: 'dispenser',
    issuedAt: at('07:55'),
    queuedAt: at('07:55'),
    calledAt: at('08:14'),
    startedAt: null,
    endedAt: at('08:20'),
    waitSeconds: 1140,
    serviceSeconds: null,
    counterId: 'quay-6',
    staff: 'st-a6bq2lrc7yd3e4hu',
    recalls: 1,
    skips: 0,
    rating: null,
    outcome766: 'notCounted',
    transfer: { fromServiceId: null, toServiceId: 'tu-phap-ho-tich' },
    outcome: 'transferred',
  },
];

export const EXAMPLE_LIVE: LiveSnapshot = {
  kind: 'live',
  ...envelope,
  at: at('09:30'),
  day: EXAMPLE_DAY,
  seq: 212,
  services: [
    { serviceId: 'dat-dai', waiting: 4, longestWaitSeconds: 720, estimatedWaitMinutes: 26 },
    { serviceId: 'cu-tru', waiting: 0, longestWaitSeconds: 0, estimatedWaitMinutes: 0 },
    { serviceId: 'thue', waiting: 2, longestWaitSeconds: 300, estimatedWaitMinutes: null },
  ],
  counters: { open: 5, serving: 4, paused: 1, closed: 2 },
  devicesOffline: 1,
  satisfaction: {
    visits: 31,
    rated: 22,
    notSatisfied: 1,
    rate766: 0.967741935483871,
    satisfiedShare: 0.9090909090909091,
    byLevel: [14, 6, 1, 1],
  },
  withinTarget: { met: 29, missed: 3, share: 0.90625 },
  targetMinutes: 15,
  backlog: { records: 0, oldestEndedAt: null, lastAckedSeq: 207 },
};

export const EXAMPLE_STATUS_ONLINE: CentreStatus = {
  kind: 'status',
  ...envelope,
  state: 'online',
  at: at('07:30'),
  software: 'hall-controller/0.1.0',
  centreName: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
};

/** The last will, set when the controller connects: the broker publishes it if the link dies. */
export const EXAMPLE_STATUS_WILL: CentreStatus = {
  kind: 'status',
  ...envelope,
  state: 'offline',
  at: null,
  software: 'hall-controller/0.1.0',
  centreName: 'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
};

export interface UpstreamExample {
  title: string;
  kind: UpstreamKind;
  day?: string;
  payload: VisitRecord | LiveSnapshot | DailySummary | CentreStatus;
}
