/**
 * Writes upstream messages into the province database and reads back what the page and the API
 * show. Every write is one transaction; a message is acknowledged to the broker only after it
 * commits. Writes are idempotent by message id: a visit record is stored once however often it
 * arrives, a live snapshot or daily summary never replaces a newer one.
 */
import { createHash } from 'node:crypto';
import type { DailySummary, LiveSnapshot, UpstreamMessage, VisitRecord } from '../protocol/messages.ts';
import { type CentreState, centreState } from './centre-state.ts';
import type { Db, Queryable } from './db.ts';

/** The targets a centre is ranked against (468/QĐ-TTg plans: wait ≤ 15 min, satisfaction ≥ 95 %). */
export const RANKING_TARGETS = {
  waitMinutes: 15,
  /** Share of visits called within `waitMinutes` for the wait target to count as met. */
  waitShare: 0.95,
  /** 766 satisfaction rate. */
  satisfaction: 0.95,
} as const;

/** How far a centre's clock may be behind the receiver's before its snapshots count as old. */
export const CLOCK_SKEW_MS = 5 * 60_000;

export type StoreOutcome = 'stored' | 'duplicate' | 'older' | 'dead-letter';

export interface MessageMeta {
  topic: string;
  /** Delivered as a retained message: old news, not a sign of life. */
  retained: boolean;
  /** Receive time (ms); the receiver's clock. */
  now: number;
}

export interface CentreOverview {
  id: string;
  /** As the centre's controller announces it; null until it has. */
  name: string | null;
  provinceId: string;
  state: CentreState;
  status: 'online' | 'offline' | null;
  statusAt: number | null;
  lastSeenAt: number;
  software: string | null;
  live: {
    at: number;
    day: string;
    freshAt: number;
    waiting: number;
    longestWaitSeconds: number;
    withinTargetShare: number | null;
    rate766: number | null;
    backlogRecords: number;
    backlogOldestEndedAt: number | null;
  } | null;
}

export interface RankingRow {
  rank: number | null;
  centreId: string;
  source: 'records' | 'summary' | 'none';
  revision: number | null;
  visits: number;
  served: number;
  waitCounted: number;
  withinTargetShare: number | null;
  rate766: number | null;
  meetsWait: boolean;
  meetsSatisfaction: boolean;
}

export interface DeadLetter {
  id: number;
  receivedAt: number;
  lastReceivedAt: number;
  times: number;
  topic: string;
  reason: string;
  bytes: number;
  payload: string;
}

const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

export class ReceiverStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a valid message; a visit id already stored with other content goes to the dead letters. */
  async save(message: UpstreamMessage, payload: Uint8Array, meta: MessageMeta): Promise<StoreOutcome> {
    // Visit records are most of the traffic (a backlog drains thousands): one statement, one round
    // trip, atomic on its own; only a repeated id needs a second look.
    if (message.kind === 'visit') {
      if (await insertVisit(this.#db, message, meta)) return 'stored';
      return this.#db.transaction((tx) => repeatedVisit(tx, message, payload, meta));
    }
    return this.#db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO centres (id, province_id, last_seen_at) VALUES ($1, $2, to_timestamp($3 / 1000.0))
         ON CONFLICT (id) DO UPDATE SET province_id = excluded.province_id,
           last_seen_at = greatest(centres.last_seen_at, excluded.last_seen_at)`,
        [message.centreId, message.provinceId, meta.now],
      );
      switch (message.kind) {
        case 'live':
          return saveLive(tx, message, meta);
        case 'daily':
          return saveDaily(tx, message, meta);
        case 'status': {
          // The death keeps the time of the birth it ends. A birth older than the one on record, or
          // the birth of the run that has since died (a late redelivery), changes nothing.
          const rows = await tx.query(
            `UPDATE centres SET status = $2,
               status_at = CASE WHEN $2 = 'offline' THEN status_at ELSE $3 END,
               software = coalesce($4, software), status_received_at = to_timestamp($5 / 1000.0),
               name = coalesce($6, name)
             WHERE id = $1 AND NOT ($2 = 'online' AND status_at IS NOT NULL
               AND (status_at > $3 OR (status = 'offline' AND status_at = $3)))
             RETURNING id`,
            [
              message.centreId,
              message.state,
              message.at,
              message.software,
              meta.now,
              message.centreName ?? null,
            ],
          );
          return rows.length ? 'stored' : 'older';
        }
      }
    });
  }

  /** Keeps a message that cannot be stored, with the reason; the same bytes on the same topic once. */
  async deadLetter(topic: string, reason: string, payload: Uint8Array, now: number): Promise<void> {
    await this.#db.transaction((tx) => insertDeadLetter(tx, topic, reason, payload, now));
  }

  async centres(now: number): Promise<CentreOverview[]> {
    const rows = await this.#db.query<{
      id: string;
      name: string | null;
      province_id: string;
      status: 'online' | 'offline' | null;
      status_at: number | null;
      last_seen_at: number;
      software: string | null;
      live_at: number | null;
      day: string | null;
      fresh_at: number | null;
      waiting: number | null;
      longest_wait_seconds: number | null;
      within_target_share: number | null;
      rate766: number | null;
      backlog_records: number | null;
      backlog_oldest_ended_at: number | null;
    }>(
      `SELECT c.id, c.name, c.province_id, c.status, c.status_at::float8 AS status_at,
              ${ms('c.last_seen_at')} AS last_seen_at, c.software,
              l.at::float8 AS live_at, l.day, ${ms('l.fresh_at')} AS fresh_at, l.waiting,
              l.longest_wait_seconds, l.within_target_share, l.rate766, l.backlog_records,
              l.backlog_oldest_ended_at::float8 AS backlog_oldest_ended_at
       FROM centres c LEFT JOIN live_snapshots l ON l.centre_id = c.id
       ORDER BY c.id`,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      provinceId: r.province_id,
      state: centreState(r.status, r.fresh_at, now),
      status: r.status,
      statusAt: r.status_at,
      lastSeenAt: r.last_seen_at,
      software: r.software,
      live:
        r.live_at === null
          ? null
          : {
              at: r.live_at,
              day: r.day as string,
              freshAt: r.fresh_at as number,
              waiting: r.waiting as number,
              longestWaitSeconds: r.longest_wait_seconds as number,
              withinTargetShare: r.within_target_share,
              rate766: r.rate766,
              backlogRecords: r.backlog_records as number,
              backlogOldestEndedAt: r.backlog_oldest_ended_at,
            },
    }));
  }

  /**
   * Every centre ranked for `day` against RANKING_TARGETS: targets met, then share within 15 min,
   * then the 766 rate. Figures come from the day's visit records, or, for a closed day
   * (`closed`), from the centre's latest daily summary when there is one.
   */
  async ranking(day: string, closed: boolean): Promise<RankingRow[]> {
    const t = RANKING_TARGETS;
    const rows = await this.#db.query<{
      centre_id: string;
      source: 'records' | 'summary' | 'none';
      revision: number | null;
      visits: number;
      served: number;
      wait_counted: number;
      within_share: number | null;
      rate766: number | null;
      meets_wait: boolean;
      meets_satisfaction: boolean;
      rank: number | null;
    }>(
      `WITH r AS (
         SELECT centre_id,
           count(*)::int AS visits,
           count(*) FILTER (WHERE outcome = 'served')::int AS served,
           count(*) FILTER (WHERE leg = 0 AND wait_seconds IS NOT NULL AND wait_seconds <= $2)::int AS within,
           count(*) FILTER (WHERE leg = 0 AND (wait_seconds > $2
             OR (wait_seconds IS NULL AND (ended_at - queued_at) / 1000.0 > $2)))::int AS over,
           count(*) FILTER (WHERE outcome = 'served' AND rating_not_satisfied)::int AS not_satisfied
         FROM visit_records WHERE day = $1 GROUP BY centre_id
       ), figures AS (
         SELECT c.id AS centre_id,
           CASE WHEN $3 AND s.centre_id IS NOT NULL THEN 'summary'
                WHEN r.centre_id IS NOT NULL THEN 'records' ELSE 'none' END AS source,
           CASE WHEN $3 THEN s.revision END AS revision,
           CASE WHEN $3 AND s.centre_id IS NOT NULL THEN s.visits ELSE coalesce(r.visits, 0) END AS visits,
           CASE WHEN $3 AND s.centre_id IS NOT NULL THEN s.served ELSE coalesce(r.served, 0) END AS served,
           CASE WHEN $3 AND s.centre_id IS NOT NULL
                THEN (s.raw->'total'->'wait'->>'withinTarget')::int + (s.raw->'total'->'wait'->>'overTarget')::int
                ELSE coalesce(r.within + r.over, 0) END AS wait_counted,
           CASE WHEN $3 AND s.centre_id IS NOT NULL THEN s.within_target_share
                WHEN r.within + r.over > 0 THEN r.within::float8 / (r.within + r.over) END AS within_share,
           CASE WHEN $3 AND s.centre_id IS NOT NULL THEN s.rate766
                WHEN r.served > 0 THEN (r.served - r.not_satisfied)::float8 / r.served END AS rate766
         FROM centres c
         LEFT JOIN r ON r.centre_id = c.id
         LEFT JOIN daily_summaries s ON s.centre_id = c.id AND s.day = $1
       ), judged AS (
         SELECT *, coalesce(within_share >= $4, false) AS meets_wait,
                   coalesce(rate766 >= $5, false) AS meets_satisfaction
         FROM figures
       )
       SELECT centre_id, source, revision, visits, served, wait_counted, within_share, rate766,
              meets_wait, meets_satisfaction,
              CASE WHEN visits > 0 THEN rank() OVER (
                ORDER BY (visits > 0) DESC, (meets_wait::int + meets_satisfaction::int) DESC,
                         within_share DESC NULLS LAST, rate766 DESC NULLS LAST) END::int AS rank
       FROM judged
       ORDER BY rank NULLS LAST, centre_id`,
      [day, t.waitMinutes * 60, closed, t.waitShare, t.satisfaction],
    );
    return rows.map((r) => ({
      rank: r.rank,
      centreId: r.centre_id,
      source: r.source,
      revision: r.revision,
      visits: r.visits,
      served: r.served,
      waitCounted: r.wait_counted,
      withinTargetShare: r.within_share,
      rate766: r.rate766,
      meetsWait: r.meets_wait,
      meetsSatisfaction: r.meets_satisfaction,
    }));
  }

  /** A centre's visit records of a day, in the centre's own order (seq), `limit` after `afterSeq`. */
  async visits(centreId: string, day: string, afterSeq = 0, limit = 1000): Promise<VisitRecord[]> {
    const rows = await this.#db.query<{ raw: VisitRecord }>(
      `SELECT raw FROM visit_records WHERE centre_id = $1 AND day = $2 AND seq > $3
       ORDER BY seq LIMIT $4`,
      [centreId, day, afterSeq, limit],
    );
    return rows.map((r) => r.raw);
  }

  async dailySummary(centreId: string, day: string): Promise<DailySummary | null> {
    const rows = await this.#db.query<{ raw: DailySummary }>(
      'SELECT raw FROM daily_summaries WHERE centre_id = $1 AND day = $2',
      [centreId, day],
    );
    return rows[0]?.raw ?? null;
  }

  async liveSnapshot(centreId: string): Promise<LiveSnapshot | null> {
    const rows = await this.#db.query<{ raw: LiveSnapshot }>(
      'SELECT raw FROM live_snapshots WHERE centre_id = $1',
      [centreId],
    );
    return rows[0]?.raw ?? null;
  }

  async deadLetters(limit = 100): Promise<DeadLetter[]> {
    const rows = await this.#db.query<{
      id: number;
      received_at: number;
      last_received_at: number;
      times: number;
      topic: string;
      reason: string;
      bytes: number;
      head: Uint8Array;
    }>(
      `SELECT id::float8 AS id, ${ms('received_at')} AS received_at,
              ${ms('last_received_at')} AS last_received_at, times, topic, reason,
              octet_length(payload) AS bytes, substring(payload FROM 1 FOR 4096) AS head
       FROM dead_letters ORDER BY last_received_at DESC, id DESC LIMIT $1`,
      [limit],
    );
    const text = new TextDecoder('utf-8', { fatal: false });
    return rows.map((r) => ({
      id: r.id,
      receivedAt: r.received_at,
      lastReceivedAt: r.last_received_at,
      times: r.times,
      topic: r.topic,
      reason: r.reason,
      bytes: r.bytes,
      payload: text.decode(r.head),
    }));
  }

  async counts(): Promise<{ centres: number; visitRecords: number; deadLetters: number }> {
    const [row] = await this.#db.query<{ centres: number; visits: number; dead: number }>(
      `SELECT (SELECT count(*) FROM centres)::int AS centres,
              (SELECT count(*) FROM visit_records)::int AS visits,
              (SELECT count(*) FROM dead_letters)::int AS dead`,
    );
    return { centres: row?.centres ?? 0, visitRecords: row?.visits ?? 0, deadLetters: row?.dead ?? 0 };
  }
}

/** Inserts the record (and notes its centre) unless its id is stored; true when inserted. */
async function insertVisit(db: Queryable, r: VisitRecord, meta: MessageMeta): Promise<boolean> {
  const rows = await db.query<{ inserted: number }>(
    `WITH centre AS (
       INSERT INTO centres (id, province_id, last_seen_at) VALUES ($2, $3, to_timestamp($31 / 1000.0))
       ON CONFLICT (id) DO UPDATE SET province_id = excluded.province_id,
         last_seen_at = greatest(centres.last_seen_at, excluded.last_seen_at)
     ), ins AS (
     INSERT INTO visit_records (id, centre_id, province_id, seq, day, ticket_id, leg, service_id,
       priority_class_id, appointment, source, issued_at, queued_at, called_at, started_at, ended_at,
       wait_seconds, service_seconds, counter_id, staff, recalls, skips, rating_level,
       rating_scale_size, rating_not_satisfied, outcome766, transfer_from, transfer_to, outcome, raw,
       received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
       $21, $22, $23, $24, $25, $26, $27, $28, $29, $30::jsonb, to_timestamp($31 / 1000.0))
     ON CONFLICT (id) DO NOTHING
     RETURNING id
     )
     SELECT count(*)::int AS inserted FROM ins`,
    [
      r.id,
      r.centreId,
      r.provinceId,
      r.seq,
      r.day,
      r.ticketId,
      r.leg,
      r.serviceId,
      r.priorityClassId,
      r.appointment,
      r.source,
      r.issuedAt,
      r.queuedAt,
      r.calledAt,
      r.startedAt,
      r.endedAt,
      r.waitSeconds,
      r.serviceSeconds,
      r.counterId,
      r.staff,
      r.recalls,
      r.skips,
      r.rating?.level ?? null,
      r.rating?.scaleSize ?? null,
      r.rating?.notSatisfied ?? null,
      r.outcome766,
      r.transfer.fromServiceId,
      r.transfer.toServiceId,
      r.outcome,
      JSON.stringify(r),
      meta.now,
    ],
  );
  return rows[0]?.inserted === 1;
}

/** A record whose id is stored: a duplicate if equal, else a dead letter. */
async function repeatedVisit(
  tx: Queryable,
  r: VisitRecord,
  payload: Uint8Array,
  meta: MessageMeta,
): Promise<StoreOutcome> {
  await tx.query(
    'UPDATE centres SET last_seen_at = greatest(last_seen_at, to_timestamp($2 / 1000.0)) WHERE id = $1',
    [r.centreId, meta.now],
  );
  const [same] = await tx.query<{ same: boolean }>(
    'SELECT raw = $2::jsonb AS same FROM visit_records WHERE id = $1',
    [r.id, JSON.stringify(r)],
  );
  if (same?.same) return 'duplicate';
  await insertDeadLetter(
    tx,
    meta.topic,
    `visit ${r.id} already stored with other content`,
    payload,
    meta.now,
  );
  return 'dead-letter';
}

async function saveLive(tx: Queryable, s: LiveSnapshot, meta: MessageMeta): Promise<StoreOutcome> {
  const waiting = s.services.reduce((n, x) => n + x.waiting, 0);
  const longest = s.services.reduce((n, x) => Math.max(n, x.longestWaitSeconds), 0);
  // News of the centre as of when it arrived, unless the snapshot is older than that by more than a
  // clock can be off: one queued at the broker while the receiver was away. Retained on subscribe:
  // as fresh as the snapshot itself.
  const freshAt = meta.retained ? Math.min(s.at, meta.now) : Math.min(meta.now, s.at + CLOCK_SKEW_MS);
  const rows = await tx.query(
    `INSERT INTO live_snapshots (centre_id, at, seq, day, waiting, longest_wait_seconds,
       within_target_share, rate766, backlog_records, backlog_oldest_ended_at, raw, fresh_at, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb, to_timestamp($12 / 1000.0),
       to_timestamp($13 / 1000.0))
     ON CONFLICT (centre_id) DO UPDATE SET at = excluded.at, seq = excluded.seq, day = excluded.day,
       waiting = excluded.waiting, longest_wait_seconds = excluded.longest_wait_seconds,
       within_target_share = excluded.within_target_share, rate766 = excluded.rate766,
       backlog_records = excluded.backlog_records,
       backlog_oldest_ended_at = excluded.backlog_oldest_ended_at, raw = excluded.raw,
       fresh_at = excluded.fresh_at, received_at = excluded.received_at
     WHERE live_snapshots.at < excluded.at
     RETURNING centre_id`,
    [
      s.centreId,
      s.at,
      s.seq,
      s.day,
      waiting,
      longest,
      s.withinTarget.share,
      s.satisfaction.rate766,
      s.backlog.records,
      s.backlog.oldestEndedAt,
      JSON.stringify(s),
      freshAt,
      meta.now,
    ],
  );
  return rows.length ? 'stored' : 'older';
}

async function saveDaily(tx: Queryable, d: DailySummary, meta: MessageMeta): Promise<StoreOutcome> {
  const rows = await tx.query(
    `INSERT INTO daily_summaries (centre_id, day, revision, at, last_seq, target_minutes, visits, tickets,
       served, within_target_share, rate766, raw, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::jsonb, to_timestamp($13 / 1000.0))
     ON CONFLICT (centre_id, day) DO UPDATE SET revision = excluded.revision, at = excluded.at,
       last_seq = excluded.last_seq, target_minutes = excluded.target_minutes, visits = excluded.visits,
       tickets = excluded.tickets, served = excluded.served,
       within_target_share = excluded.within_target_share, rate766 = excluded.rate766,
       raw = excluded.raw, received_at = excluded.received_at
     WHERE daily_summaries.revision < excluded.revision
     RETURNING centre_id`,
    [
      d.centreId,
      d.day,
      d.revision,
      d.at,
      d.lastSeq,
      d.targetMinutes,
      d.total.visits,
      d.total.tickets,
      d.total.served,
      d.total.wait.withinTargetShare,
      d.total.satisfaction.rate766,
      JSON.stringify(d),
      meta.now,
    ],
  );
  if (rows.length) return 'stored';
  const [current] = await tx.query<{ revision: number }>(
    'SELECT revision FROM daily_summaries WHERE centre_id = $1 AND day = $2',
    [d.centreId, d.day],
  );
  return current?.revision === d.revision ? 'duplicate' : 'older';
}

async function insertDeadLetter(
  tx: Queryable,
  topic: string,
  reason: string,
  payload: Uint8Array,
  now: number,
): Promise<void> {
  const digest = createHash('sha256').update(topic).update('\0').update(payload).digest('hex');
  await tx.query(
    `INSERT INTO dead_letters (topic, reason, payload, digest, received_at, last_received_at)
     VALUES ($1, $2, $3, $4, to_timestamp($5 / 1000.0), to_timestamp($5 / 1000.0))
     ON CONFLICT (digest) DO UPDATE SET times = dead_letters.times + 1,
       last_received_at = excluded.last_received_at, reason = excluded.reason`,
    [topic, reason, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), digest, now],
  );
}
