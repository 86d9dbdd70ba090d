/**
 * The publisher's durable cursor, `DATA_DIR/upstream-cursor.json`: how far the province's broker
 * has acknowledged (PUBACK), and the visit ledger's checkpoint at that point, so a restart resumes
 * from the journal instead of from a copy of the records. Written atomically (tmp + fsync + rename +
 * directory fsync, as the configuration store does). Also the daily summaries' revisions.
 */
import { z } from 'zod';
import { FsyncJsonFile } from '../store/fsync-file-adapter.ts';
import type { VisitLedgerState } from '../visits/visit-ledger.ts';

export const CURSOR_FILE = 'upstream-cursor.json';

/** A ledger checkpoint as stored: checked for shape only (the ledger owns its content). */
const ledgerStateSchema = z.looseObject({
  version: z.literal(1),
  seq: z.number().int().min(0),
  day: z.string(),
  open: z.record(z.string(), z.unknown()),
  pending: z.array(z.unknown()),
});

export const cursorSchema = z.strictObject({
  version: z.literal(1),
  /** The centre and province the cursor was written for: another one starts from scratch. */
  centreId: z.string(),
  provinceId: z.string(),
  /** Seq of the last visit record acknowledged by the broker (0: none yet). */
  ackedSeq: z.number().int().min(0),
  /** When the cursor was written. */
  at: z.number().int().min(0),
  /** The ledger after every event up to `ledger.seq` folded in and every record it gave acknowledged. */
  ledger: ledgerStateSchema,
  /**
   * The ledger at the start of the earliest day whose summary is not yet acknowledged: the records of
   * that day taken before `ledger` are re-derived from here to compute its summary.
   */
  summaryFrom: ledgerStateSchema,
  /** Daily summaries sent: revision and a digest of their figures (a change makes a new revision). */
  daily: z.record(z.string(), z.strictObject({ revision: z.number().int().min(1), digest: z.string() })),
});

export interface Cursor {
  version: 1;
  centreId: string;
  provinceId: string;
  ackedSeq: number;
  at: number;
  ledger: VisitLedgerState;
  summaryFrom: VisitLedgerState;
  daily: Record<string, { revision: number; digest: string }>;
}

export type CursorLoad =
  | { kind: 'found'; cursor: Cursor }
  | { kind: 'missing' }
  | { kind: 'corrupt'; reason: string }
  | { kind: 'otherCentre'; reason: string };

/** Keeps this many days of summary revisions (older days are not re-sent). */
const DAILY_KEPT = 400;

export class CursorFile {
  readonly #file: FsyncJsonFile<Cursor>;

  constructor(file: string) {
    this.#file = new FsyncJsonFile<Cursor>(file);
  }

  async load(centreId: string, provinceId: string): Promise<CursorLoad> {
    let raw: unknown;
    try {
      raw = await this.#file.read();
    } catch (error) {
      return { kind: 'corrupt', reason: (error as Error).message };
    }
    if (raw === null) return { kind: 'missing' };
    const parsed = cursorSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { kind: 'corrupt', reason: `${issue?.path.join('.') || '(top level)'}: ${issue?.message}` };
    }
    const cursor = parsed.data as unknown as Cursor;
    if (cursor.ledger.seq < cursor.summaryFrom.seq)
      return { kind: 'corrupt', reason: 'summaryFrom is after the ledger checkpoint' };
    if (cursor.centreId !== centreId || cursor.provinceId !== provinceId)
      return {
        kind: 'otherCentre',
        reason: `written for ${cursor.provinceId}/${cursor.centreId}, now ${provinceId}/${centreId}`,
      };
    return { kind: 'found', cursor };
  }

  /** Resolves once the cursor is durable; calls are written in order, the last one wins. */
  save(cursor: Cursor): Promise<void> {
    const days = Object.keys(cursor.daily).sort();
    if (days.length > DAILY_KEPT)
      for (const day of days.slice(0, days.length - DAILY_KEPT)) delete cursor.daily[day];
    return this.#file.write(cursor);
  }
}
