/**
 * What an incoming upstream message is, decided from its topic and bytes alone (pure, no I/O):
 * a valid message of protocol v1 to store, or the reason it goes to the dead-letter table.
 * Nothing is dropped: every message ends as one or the other.
 */
import {
  MAX_UPSTREAM_BYTES,
  messageId,
  UPSTREAM_SCHEMA_VERSION,
  UPSTREAM_SCHEMAS,
  type UpstreamMessage,
} from '../protocol/messages.ts';
import { parseUpstreamTopic } from '../protocol/topics.ts';

export type Intake =
  | { ok: true; message: UpstreamMessage; id: string }
  | { ok: false; reason: string; centreId: string | null };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function classify(prefix: string, provinceId: string, topic: string, payload: Uint8Array): Intake {
  const parts = parseUpstreamTopic(prefix, topic);
  if (!parts) return dead(`topic is not in the upstream tree ${prefix}/v<n>/<province>/<centre>/<kind>`);
  const centreId = parts.centreId;
  const fail = (reason: string): Intake => ({ ok: false, reason, centreId });
  if (parts.provinceId !== provinceId)
    return fail(`topic of province ${parts.provinceId}, not ${provinceId}`);
  if (parts.version !== UPSTREAM_SCHEMA_VERSION) return fail(`unsupported version ${parts.version}`);
  if (!Object.hasOwn(UPSTREAM_SCHEMAS, parts.kind)) return fail(`unknown message kind ${parts.kind}`);
  if (payload.byteLength > MAX_UPSTREAM_BYTES) {
    return fail(`message of ${payload.byteLength} bytes, more than ${MAX_UPSTREAM_BYTES}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(utf8.decode(payload));
  } catch (error) {
    return fail(`not UTF-8 JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return fail('not a JSON object');
  const v = (data as { v?: unknown }).v;
  if (typeof v === 'number' && v !== UPSTREAM_SCHEMA_VERSION) return fail(`unsupported version ${v}`);
  const schema = UPSTREAM_SCHEMAS[parts.kind as keyof typeof UPSTREAM_SCHEMAS];
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
    return fail(`invalid ${parts.kind} message: ${issues.join('; ')}`);
  }
  const message = parsed.data as UpstreamMessage;
  if (message.centreId !== centreId) return fail(`centreId ${message.centreId} on the topic of ${centreId}`);
  if (message.provinceId !== provinceId)
    return fail(`provinceId ${message.provinceId} on the topic of ${provinceId}`);
  if (message.kind === 'daily' && message.day !== parts.day) {
    return fail(`daily summary of ${message.day} on the topic of ${parts.day}`);
  }
  return { ok: true, message, id: messageId(message) };
}

function dead(reason: string): Intake {
  return { ok: false, reason, centreId: null };
}
