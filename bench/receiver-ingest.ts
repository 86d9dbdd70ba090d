/**
 * The province receiver draining a backlog: N visit records queued at a real Mosquitto broker for
 * the receiver's persistent session while it is down, then the receiver started; measured from
 * its start until every record is in the database. On a real PostgreSQL server and on embedded
 * PGlite. `npx tsx bench/receiver-ingest.ts [N]` (default 5,000). Needs `mosquitto` and PostgreSQL
 * server binaries (Debian `mosquitto`, `postgresql`); uses 127.0.0.1 and temp folders only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { startMosquitto } from '../tests/helpers/mosquitto.ts';
import { startPostgres } from '../tests/helpers/postgres.ts';
import { visit } from '../tests/upstream-receiver/fixtures.ts';
import { upstreamTopic } from '../upstream/protocol/topics.ts';
import { startReceiver } from '../upstream/receiver/receiver.ts';
import { formatTable, type Row } from './table.ts';

const N = Number(process.argv[2] ?? 5_000);
const DAY = '2026-12-05';

async function drain(label: string, database: { databaseUrl: string } | { dataDir: string }): Promise<Row> {
  const broker = await startMosquitto();
  try {
    const options = {
      brokerUrl: broker.url,
      httpPort: 0,
      host: '127.0.0.1',
      clientId: 'bench-receiver',
      ...database,
    };
    // Create the session, then leave: what follows queues at the broker.
    const first = await startReceiver(options);
    await first.subscriber.subscribed();
    await first.stop();
    const centre = await mqtt.connectAsync(broker.url, { clientId: 'bench-centre' });
    const topic = upstreamTopic('qms-province', 'quang-nam', 'tt-bench', 'visit');
    const sends: Promise<unknown>[] = [];
    for (let seq = 1; seq <= N; seq++) {
      sends.push(
        centre.publishAsync(topic, JSON.stringify(visit('tt-bench', seq, DAY, {}, seq % 30)), { qos: 1 }),
      );
    }
    await Promise.all(sends);
    await centre.endAsync();
    const t0 = performance.now();
    const receiver = await startReceiver(options);
    while ((await receiver.store.counts()).visitRecords < N) await new Promise((r) => setTimeout(r, 50));
    const totalMs = performance.now() - t0;
    const stored = (await receiver.store.visits('tt-bench', DAY, 0, N)).length;
    await receiver.stop();
    return {
      name: `receiver: drain ${N.toLocaleString('en-US')} queued records → ${label}`,
      ops: N,
      totalMs,
      note: `${stored} stored once; includes receiver start and migrations check`,
    };
  } finally {
    await broker.remove();
  }
}

const rows: Row[] = [];
const postgres = await startPostgres();
try {
  rows.push(await drain('PostgreSQL', { databaseUrl: postgres.url }));
} finally {
  await postgres.stop();
}
const dir = mkdtempSync(join(tmpdir(), 'bench-pglite-'));
try {
  rows.push(await drain('PGlite', { dataDir: dir }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(formatTable(rows));
