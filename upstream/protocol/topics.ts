/**
 * The upstream topic tree, version 1 (docs/upstream.md): every message a centre sends to its
 * province lives under `<prefix>/v1/<provinceId>/<centreId>/<kind>`. The province subscribes to
 * `<prefix>/v1/<provinceId>/+/#`.
 */
export const UPSTREAM_VERSION = 1;

/** `status` birth/death (retained), `visit` records (QoS 1, in order), `live` snapshots (retained), `daily/<day>` summaries (retained). */
export const UPSTREAM_KINDS = ['status', 'visit', 'live', 'daily'] as const;
export type UpstreamKind = (typeof UPSTREAM_KINDS)[number];

export const DEFAULT_TOPIC_PREFIX = 'qms-province';

export function centreUpstreamRoot(prefix: string, provinceId: string, centreId: string): string {
  return `${prefix}/v${UPSTREAM_VERSION}/${provinceId}/${centreId}`;
}

export function upstreamTopic(
  prefix: string,
  provinceId: string,
  centreId: string,
  kind: UpstreamKind,
  day?: string,
): string {
  const root = centreUpstreamRoot(prefix, provinceId, centreId);
  return kind === 'daily' ? `${root}/daily/${day ?? ''}` : `${root}/${kind}`;
}

/** What the province subscribes to: every centre of the province, every kind, every version. */
export function provinceFilter(prefix: string, provinceId: string): string {
  return `${prefix}/+/${provinceId}/+/#`;
}

/** `<prefix>/v<n>/<province>/<centre>/<kind>[/<day>]` → its parts, or null for any other topic. */
export function parseUpstreamTopic(
  prefix: string,
  topic: string,
): { version: number; provinceId: string; centreId: string; kind: string; day?: string } | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const parts = topic.slice(prefix.length + 1).split('/');
  if (parts.length < 4 || parts.length > 5) return null;
  const [v, provinceId, centreId, kind, day] = parts as [string, string, string, string, string?];
  const version = /^v([1-9][0-9]{0,3})$/.exec(v);
  if (!version || !provinceId || !centreId || !kind) return null;
  if ((kind === 'daily') !== (day !== undefined)) return null;
  return { version: Number(version[1]), provinceId, centreId, kind, ...(day !== undefined ? { day } : {}) };
}
