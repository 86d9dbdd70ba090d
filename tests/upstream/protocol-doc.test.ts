/**
 * docs/upstream.md and upstream/protocol/schemas/*.json are generated from the upstream protocol
 * module: they must be up to date, their examples must pass their schemas (zod and JSON Schema
 * alike), and every field of every message must be in the doc.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DOC_FILE,
  examples,
  jsonSchemaFile,
  renderUpstreamDoc,
  SCHEMA_DIR,
  schemaFileName,
} from '../../scripts/render-upstream-doc.ts';
import { messageId, UPSTREAM_SCHEMAS, upstreamMessageSchema } from '../../upstream/protocol/messages.ts';
import { parseUpstreamTopic, UPSTREAM_KINDS, upstreamTopic } from '../../upstream/protocol/topics.ts';

const doc = renderUpstreamDoc();

describe('docs/upstream.md and the JSON Schema files', () => {
  it('are what scripts/render-upstream-doc.ts generates', () => {
    expect(readFileSync(DOC_FILE, 'utf8'), 'docs/upstream.md is out of date: run npm run docs:upstream').toBe(
      doc,
    );
    for (const kind of UPSTREAM_KINDS)
      expect(
        readFileSync(join(SCHEMA_DIR, schemaFileName(kind)), 'utf8'),
        `${schemaFileName(kind)} is out of date: run npm run docs:upstream`,
      ).toBe(jsonSchemaFile(kind));
  });

  it('are generated the same way every time', () => {
    expect(renderUpstreamDoc()).toBe(doc);
  });

  it('list every field of every message', () => {
    for (const kind of UPSTREAM_KINDS) {
      const section = doc.slice(doc.indexOf(`### \`${kind}\``));
      const json = z.toJSONSchema(UPSTREAM_SCHEMAS[kind], { io: 'input' }) as {
        properties: Record<string, unknown>;
      };
      for (const field of Object.keys(json.properties))
        expect(section, `${kind}.${field}`).toContain(`| \`${field}\` |`);
    }
  });

  it('state the delivery guarantees and the versioning rules', () => {
    expect(doc).toContain('## Delivery guarantees');
    expect(doc).toMatch(/order of `seq`/);
    expect(doc).toMatch(/At least once on the wire, once at the receiver/);
    expect(doc).toMatch(/\*\*parks\*\* a message of a version it does not know/);
  });
});

describe('the examples', () => {
  it('cover every kind, pass their schema, and sit on the topic of their kind', () => {
    const all = examples();
    expect(new Set(all.map((e) => e.kind))).toEqual(new Set(UPSTREAM_KINDS));
    for (const e of all) {
      const parsed = UPSTREAM_SCHEMAS[e.kind].safeParse(e.payload);
      expect(parsed.error?.issues ?? [], e.title).toEqual([]);
      expect(upstreamMessageSchema.parse(e.payload).kind).toBe(e.kind);
      const topic = upstreamTopic('qms-province', e.payload.provinceId, e.payload.centreId, e.kind, e.day);
      expect(parseUpstreamTopic('qms-province', topic)).toMatchObject({ kind: e.kind, version: 1 });
      expect(doc).toContain(JSON.stringify(e.payload, null, 2));
      expect(messageId(e.payload)).toMatch(new RegExp(`^${e.payload.centreId}/`));
    }
  });

  it('pass the exported JSON Schema too (checked by a minimal validator of the keywords it uses)', () => {
    for (const e of examples()) {
      const schema = JSON.parse(readFileSync(join(SCHEMA_DIR, schemaFileName(e.kind)), 'utf8'));
      expect(validate(schema, e.payload), e.title).toEqual([]);
      // and a message with a field the version does not have is refused
      expect(validate(schema, { ...e.payload, extra: 1 }).length, e.title).toBeGreaterThan(0);
      expect(validate(schema, { ...e.payload, v: 2 }).length, e.title).toBeGreaterThan(0);
    }
  });
});

type Node = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Node[];
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: boolean;
  items?: Node;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

/** The JSON Schema keywords zod emits for these messages, checked independently of zod. */
function validate(node: Node, value: unknown, path = '$'): string[] {
  if (node.anyOf) {
    return node.anyOf.some((n) => validate(n, value, path).length === 0)
      ? []
      : [`${path}: no variant matches`];
  }
  if ('const' in node && value !== node.const) return [`${path}: not ${JSON.stringify(node.const)}`];
  if (node.enum && !node.enum.includes(value)) return [`${path}: not one of ${node.enum.join(', ')}`];
  const types = Array.isArray(node.type) ? node.type : node.type ? [node.type] : [];
  const typeOf = (v: unknown) =>
    v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;
  if (
    types.length &&
    !types.some((t) => t === typeOf(value) || (t === 'number' && typeOf(value) === 'integer'))
  )
    return [`${path}: expected ${types.join('|')}, got ${typeOf(value)}`];
  const out: string[] = [];
  if (typeof value === 'number') {
    if (node.minimum !== undefined && value < node.minimum) out.push(`${path}: < ${node.minimum}`);
    if (node.maximum !== undefined && value > node.maximum) out.push(`${path}: > ${node.maximum}`);
  }
  if (typeof value === 'string') {
    if (node.minLength !== undefined && value.length < node.minLength) out.push(`${path}: too short`);
    if (node.maxLength !== undefined && value.length > node.maxLength) out.push(`${path}: too long`);
    if (node.pattern && !new RegExp(node.pattern).test(value)) out.push(`${path}: pattern`);
  }
  if (Array.isArray(value) && node.items)
    for (const [i, v] of value.entries()) out.push(...validate(node.items, v, `${path}[${i}]`));
  if (value && typeof value === 'object' && !Array.isArray(value) && node.properties) {
    const obj = value as Record<string, unknown>;
    for (const key of node.required ?? []) if (!(key in obj)) out.push(`${path}.${key}: missing`);
    for (const [key, v] of Object.entries(obj)) {
      const prop = node.properties[key];
      if (prop) out.push(...validate(prop, v, `${path}.${key}`));
      else if (node.additionalProperties === false) out.push(`${path}.${key}: not allowed`);
    }
  }
  return out;
}
