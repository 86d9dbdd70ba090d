/**
 * 4. The journal alone: 10,000 appends of one event each (a ticketIssued, as the engine makes it), with 1,
 * 16 and 256 appends in flight. Each append resolves once its event is fdatasynced; appends queued while a
 * write+fsync is in flight share the next one (group commit), so the fsync count shows the batching.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import { QueueEngine } from '../controller/core/engine.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { Journal } from '../controller/journal/journal.ts';
import { silentLogger } from '../controller/logger.ts';
import {
  budget,
  issueMix,
  must,
  OPENING,
  SECOND,
  seededRandom,
  staffAllCounters,
  tempDir,
} from './centre.ts';
import type { Row } from './table.ts';

const APPENDS = 10_000;
const CONCURRENCY = [1, 16, 256];
const WARM_UP = 100;
const TIME_LIMIT_MS = 10_000;

/** A ticketIssued event as the engine writes it, to be copied with fresh seqs. */
function sampleEvent(config: CentreConfig): QueueEvent {
  const engine = QueueEngine.empty(config, OPENING);
  staffAllCounters(engine, OPENING);
  const outcome = must(engine, issueMix(config, seededRandom(4))(), OPENING + SECOND);
  const issued = outcome.events.find((e) => e.type === 'ticketIssued');
  if (!issued) throw new Error('bench: no ticketIssued event');
  return issued;
}

async function appendAll(
  journal: Journal<QueueEvent>,
  template: QueueEvent,
  count: number,
  inFlight: number,
  samples: number[] | null,
  limitMs: number,
): Promise<number> {
  const limit = budget(limitMs);
  let started = 0;
  const worker = async () => {
    while (started < count && !limit.over()) {
      started++;
      // Seqs are checked when append() is called, so each is taken just before the call.
      const event = { ...template, seq: journal.lastSeq + 1 };
      const t0 = performance.now();
      await journal.append([event]);
      samples?.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return started;
}

async function runAt(template: QueueEvent, inFlight: number): Promise<Row> {
  const { dir, remove } = tempDir('hall-bench-journal-');
  const journal = new Journal<QueueEvent>({ dir, logger: silentLogger });
  try {
    await journal.open();
    await appendAll(journal, template, WARM_UP, Math.min(inFlight, WARM_UP), null, TIME_LIMIT_MS);
    const before = journal.stats;
    const samples: number[] = [];
    const t0 = performance.now();
    const appended = await appendAll(journal, template, APPENDS, inFlight, samples, TIME_LIMIT_MS);
    const totalMs = performance.now() - t0;
    const fsyncs = journal.stats.fsyncs - before.fsyncs;
    const stopped = appended < APPENDS ? `; stopped at the ${TIME_LIMIT_MS / 1000} s limit` : '';
    return {
      name: `journal: append 1 event, ${inFlight} in flight`,
      ops: appended,
      totalMs,
      samples,
      note: `${fsyncs.toLocaleString('en-US')} fsyncs (${(appended / fsyncs).toFixed(1)} events each)${stopped}`,
    };
  } finally {
    await journal.close();
    remove();
  }
}

export async function benchJournalAppend(config: CentreConfig): Promise<Row[]> {
  const template = sampleEvent(config);
  const rows: Row[] = [];
  for (const inFlight of CONCURRENCY) rows.push(await runAt(template, inFlight));
  return rows;
}
