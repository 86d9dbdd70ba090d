/**
 * Shared by the upstream tests against a real broker: a data folder whose centre reports upstream,
 * visits driven over the HTTP API (with CCCD scans at the kiosk, dossier codes, "not satisfied"
 * follow-ups closed with a note), a plain mqtt.js subscriber standing in for the province, and the
 * records the journal says should have arrived.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import type { CentreConfigInput } from '../../controller/centre/schema.ts';
import type { QueueEvent } from '../../controller/core/events.ts';
import { CitizenKeys } from '../../controller/device-service/citizen-keys.ts';
import { readEventsAfter } from '../../controller/journal/journal-reader.ts';
import { deriveVisitRecords } from '../../controller/visits/visit-ledger.ts';
import { SAMPLE_CCCD } from '../../firmware-sim/devices/scanner.ts';
import type { VisitRecord } from '../../upstream/protocol/messages.ts';
import { provinceFilter } from '../../upstream/protocol/topics.ts';

export const PROVINCE = 'quang-nam';
export const DOSSIER = 'HS-000.45.20.H48-261205-0042';
export const NOTE = 'Công dân phản ánh cán bộ tiếp nhận chậm, đã xin lỗi và hướng dẫn lại';

export function demoConfig(): CentreConfigInput & { staff: { id: string; name: string }[] } {
  return JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
}

/**
 * Seeds `dataDir` with the demo centre plus an `upstream` block (the live configuration the
 * controller keeps there), so the demo accounts still apply.
 */
export function seedUpstreamCentre(dataDir: string, upstream: Record<string, unknown>): void {
  mkdirSync(dataDir, { recursive: true });
  const config = { ...demoConfig(), upstream: { provinceId: PROVINCE, ...upstream } };
  writeFileSync(
    join(dataDir, 'centre.json'),
    JSON.stringify({ config, importedFrom: DEMO_CENTRE_FILE, importedAt: new Date().toISOString() }),
  );
}

export interface Received {
  topic: string;
  payload: Buffer;
  retain: boolean;
}

/** The province: a persistent-session subscriber to every centre of the province, QoS 1. */
export async function provinceSubscriber(
  url: string,
  options: { username?: string; password?: string } = {},
) {
  const received: Received[] = [];
  const client: MqttClient = mqtt.connect(url, {
    clientId: `province-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
    clean: false,
    protocolVersion: 5,
    properties: { sessionExpiryInterval: 3600 },
    reconnectPeriod: 300,
    ...options,
  });
  client.on('message', (topic, payload, packet) => received.push({ topic, payload, retain: packet.retain }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(provinceFilter('qms-province', PROVINCE), { qos: 1 });
  const visits = () =>
    received
      .filter((m) => m.topic.endsWith('/visit'))
      .map((m) => JSON.parse(m.payload.toString('utf8')) as VisitRecord);
  return { client, received, visits, close: () => client.endAsync() };
}

/** Every visit record the controller's journal yields (the re-derivation the province must equal). */
export async function recordsFromJournal(dataDir: string): Promise<VisitRecord[]> {
  const events: QueueEvent[] = [];
  for await (const chunk of readEventsAfter<QueueEvent>(join(dataDir, 'journal'), 0)) events.push(...chunk);
  const keys = await CitizenKeys.open(dataDir);
  const config = JSON.parse(readFileSync(join(dataDir, 'centre.json'), 'utf8')).config;
  return deriveVisitRecords(
    {
      centreId: config.centre.id,
      provinceId: PROVINCE,
      pseudonym: (id) => keys.staffPseudonym(id),
      config: () => config,
    },
    events,
  );
}

/** Each id once, in the order first received. */
export function firstOfEach(records: VisitRecord[]): VisitRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    if (seen.has(r.id)) return false;
    seen.add(r.id);
    return true;
  });
}

import type { ResponseJson } from '../helpers/controller-process.ts';

type Post = (path: string, body: unknown) => Promise<{ status: number; json: ResponseJson }>;

export const CARDS = [SAMPLE_CCCD.elderly, SAMPLE_CCCD.adult, SAMPLE_CCCD.young];

/**
 * One citizen's visit at counter 1 (staff already signed in there): ID card scanned at the kiosk,
 * ticket, call, dossier linked, finished, rated (the worst level every third visit, whose follow-up
 * is closed with a note). Every served visit is rated, so its record is final at once.
 */
export async function oneVisit(post: Post, i: number, tag: string, manager: Post = post): Promise<void> {
  const ok = (what: string, r: { status: number; json: ResponseJson }) => {
    if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
    return r;
  };
  ok(
    'scan',
    await post('/kiosks/kiosk-a/scan', { code: CARDS[i % CARDS.length], requestId: `${tag}-scan-${i}` }),
  );
  const taken = ok(
    'ticket',
    await post('/kiosks/kiosk-a/tickets', { serviceId: 'dat-dai', requestId: `${tag}-tap-${i}` }),
  ).json.ticket as { id: string; link: string };
  ok('next', await post('/counters/quay-1/next', {}));
  ok('link', await post('/counters/quay-1/link', { dossierCode: DOSSIER }));
  ok('finish', await post('/counters/quay-1/finish', {}));
  const worst = i % 3 === 2;
  // The citizen rates from their ticket page, through the link printed in its QR code.
  const key = new URL(taken.link).pathname.split('/')[3];
  ok('rate', await post(`/tickets/${encodeURIComponent(taken.id)}/rating`, { key, level: worst ? 4 : 1 }));
  if (!worst) return;
  const followUps = ok('dashboard', await manager('/dashboard', undefined)).json.followUps as {
    id: string;
    status: string;
  }[];
  for (const f of followUps.filter((x) => x.status === 'open'))
    ok('close follow-up', await manager(`/follow-ups/${f.id}/close`, { note: NOTE }));
}

/** A POST (or GET when body is undefined) to the API, with an optional session cookie. */
export function apiClient(baseUrl: string, cookie?: string): Post {
  return async (path, body) => {
    const res = await fetch(`${baseUrl}/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json().catch(() => null) };
  };
}

export async function until(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
