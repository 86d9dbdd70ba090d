/**
 * One incoming message, end to end: classified (intake.ts), then stored or kept as a dead letter.
 * Resolves once that is durable, so the caller may acknowledge it; rejects only on a fault that may
 * pass (the database unreachable), so the caller retries. A message the database itself refuses
 * (a data error: text PostgreSQL cannot hold, such as U+0000) is a dead letter, not a retry loop
 * that would hold up every message behind it.
 */
import { classify } from './intake.ts';
import type { ReceiverStore, StoreOutcome } from './store.ts';

export interface IngestContext {
  store: ReceiverStore;
  topicPrefix: string;
  provinceId: string;
}

export type IngestResult = { outcome: StoreOutcome; id: string } | { outcome: 'dead-letter'; reason: string };

export async function ingest(
  ctx: IngestContext,
  topic: string,
  payload: Uint8Array,
  retained: boolean,
  now: number,
): Promise<IngestResult> {
  const intake = classify(ctx.topicPrefix, ctx.provinceId, topic, payload);
  if (!intake.ok) {
    await ctx.store.deadLetter(topic, intake.reason, payload, now);
    return { outcome: 'dead-letter', reason: intake.reason };
  }
  try {
    return {
      outcome: await ctx.store.save(intake.message, payload, { topic, retained, now }),
      id: intake.id,
    };
  } catch (error) {
    if (!isDataError(error)) throw error;
    const reason = `refused by the database: ${(error as Error).message}`;
    await ctx.store.deadLetter(topic, reason, payload, now);
    return { outcome: 'dead-letter', reason };
  }
}

/** SQLSTATE class 22 (data exception) or 23 (integrity constraint): the same message would fail again. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}
