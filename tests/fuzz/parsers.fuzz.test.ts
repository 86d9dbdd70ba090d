/**
 * Fuzzing the parsers at the controller's edges with fast-check: whatever bytes or JSON come in,
 * each either parses or refuses with its own, named error — never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEMO_CENTRE_FILE,
  loadCentreConfigFile,
  parseCentreConfig,
} from '../../controller/centre/load.ts';
import { formatRecord, JournalCorruptError, parseSegment } from '../../controller/journal/segment-reader.ts';
import * as messages from '../../devices/protocol/messages.ts';
import { parseCccdQr } from '../../devices/scan/cccd.ts';
import { classifyScan } from '../../devices/scan/classify.ts';
import { upstreamMessageSchema } from '../../upstream/protocol/messages.ts';
import { fuzzRuns, report } from './fuzz-runs.ts';

/** Replaces one value somewhere inside a JSON value by another (a "mutation" of a valid input). */
function mutate(value: unknown, path: number[], replacement: unknown): unknown {
  if (path.length === 0 || value === null || typeof value !== 'object') return replacement;
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return replacement;
  const [step, ...rest] = path;
  const [key, child] = entries[(step as number) % entries.length] as readonly [string | number, unknown];
  if (Array.isArray(value)) return value.map((v, i) => (i === key ? mutate(child, rest, replacement) : v));
  return { ...(value as Record<string, unknown>), [key]: mutate(child, rest, replacement) };
}

describe('fuzz: parsers at the edges', () => {
  it('the centre configuration loader: a config or a ConfigError, for mutated and arbitrary input', async () => {
    const demo = JSON.parse(JSON.stringify(await loadCentreConfigFile(DEMO_CENTRE_FILE)));
    const runs = fuzzRuns(15_000);
    let refused = 0;
    fc.assert(
      fc.property(
        fc.oneof(
          fc
            .record({ path: fc.array(fc.nat(40), { maxLength: 6 }), value: fc.jsonValue({ maxDepth: 2 }) })
            .map(({ path, value }) => mutate(demo, path, value)),
          fc.jsonValue({ maxDepth: 3 }),
        ),
        (raw) => {
          try {
            parseCentreConfig(raw, 'fuzz.json');
          } catch (error) {
            if (!(error instanceof ConfigError)) throw error;
            expect(error.problems.length).toBeGreaterThan(0);
            refused++;
          }
        },
      ),
      { numRuns: runs },
    );
    expect(refused).toBeGreaterThan(0);
    report('centre configuration loader', runs);
  });

  it('the journal reader: events, a repaired torn tail, or a JournalCorruptError naming the file', () => {
    const valid = Buffer.from(
      [1, 2, 3]
        .map((seq) => formatRecord({ seq, at: seq * 1000, type: 'counterOpened', counterId: 'c1' }))
        .join(''),
    );
    const runs = fuzzRuns(30_000);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
          fc
            .record({
              at: fc.nat(valid.length - 1),
              byte: fc.integer({ min: 0, max: 255 }),
              cut: fc.nat(valid.length),
            })
            .map(({ at, byte, cut }) => {
              const b = Buffer.from(valid);
              b[at] = byte;
              return b.subarray(0, Math.max(cut, at + 1));
            }),
        ),
        fc.boolean(),
        (bytes, isLast) => {
          try {
            const parsed = parseSegment<{ seq: number }>(bytes, 'journal-000000000001.jsonl', isLast);
            for (const e of parsed.events) expect(Number.isInteger(e.seq)).toBe(true);
          } catch (error) {
            if (!(error instanceof JournalCorruptError)) throw error;
            expect(error.message).toContain('journal-000000000001.jsonl');
          }
        },
      ),
      { numRuns: runs },
    );
    report('journal segment reader', runs);
  });

  it('every device message schema and the scanned-code parsers: a verdict, never an exception', () => {
    const schemas = [
      messages.birthSchema,
      messages.availabilitySchema,
      messages.deviceEventSchema,
      messages.deviceStateSchema,
      messages.commandReplySchema,
      upstreamMessageSchema,
    ];
    const runs = fuzzRuns(20_000);
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.anything()),
        fc.string({ maxLength: 200 }),
        (v, text) => {
          for (const schema of schemas) schema.safeParse(v);
          const code = classifyScan(text);
          expect(typeof code.kind).toBe('string');
          const card = parseCccdQr(text);
          if (card) expect(card.idNumber).toMatch(/^\d{12}$/);
        },
      ),
      { numRuns: runs },
    );
    // Shaped like a card: 6–8 fields, any date text, must still never throw.
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 12 }), { minLength: 5, maxLength: 7 }),
        fc.stringMatching(/^\d{12}$/),
        (fields, id) => {
          const card = parseCccdQr([id, ...fields].join('|'));
          if (card?.birthDate) expect(card.birthDate.month).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: runs },
    );
    report('device message schemas, scanned codes and CCCD cards', runs * 2);
  });
});
