/**
 * Loading the centre configuration: read the file, parse the JSON, validate against the schema, and
 * turn every problem into one line that names the setting and says what is wrong with it, so the
 * person editing the file at the centre can fix it without reading code.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { type CentreConfig, centreConfigSchema } from './schema.ts';

/** The demo centre shipped with the project (Quảng Nam provincial centre). */
export const DEMO_CENTRE_FILE = fileURLToPath(new URL('../../config/demo-centre.json', import.meta.url));

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** Where the configuration came from: a file path, or whatever the caller named it. */
  readonly source: string;
  /** One line per problem, e.g. `services[2].prefix: must be 1-2 characters of A-Z or 0-9`. */
  readonly problems: string[];

  constructor(source: string, problems: string[], heading = `Centre configuration ${source} is invalid:`) {
    super(`${heading}\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.source = source;
    this.problems = problems;
  }
}

/** Validates an already-parsed configuration; throws a ConfigError listing every problem found. */
export function parseCentreConfig(raw: unknown, source: string): CentreConfig {
  const result = centreConfigSchema.safeParse(raw, { error: describeIssue });
  if (result.success) return result.data;
  const problems: string[] = [];
  for (const issue of result.error.issues) {
    for (const line of formatIssue(issue)) if (!problems.includes(line)) problems.push(line);
  }
  throw new ConfigError(source, problems);
}

/** Reads, parses and validates a configuration file. Every failure is a ConfigError. */
export async function loadCentreConfigFile(file: string): Promise<CentreConfig> {
  const path = resolve(file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(path, [`file not found: ${path}`], 'Centre configuration file not found:');
    }
    const reason = code === 'EISDIR' ? 'it is a directory, not a file' : (err as Error).message;
    throw new ConfigError(
      path,
      [`cannot be read: ${reason}`],
      `Centre configuration ${path} cannot be read:`,
    );
  }
  // Notepad and some Windows editors save UTF-8 with a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      path,
      [describeJsonError(text, (err as Error).message)],
      `Centre configuration ${path} is not valid JSON:`,
    );
  }
  return parseCentreConfig(raw, path);
}

// ---------------------------------------------------------------------------------------------
// JSON syntax errors

function describeJsonError(text: string, parserMessage: string): string {
  // JSON.parse does not always say where (Node 20 gives no position for a stray token such as a
  // comment or a single quote), so find the spot with a scanner of our own.
  const found = findJsonSyntaxError(text);
  if (!found) return `JSON syntax error: ${parserMessage.slice(0, 200)}`;
  const { line, column } = lineAndColumn(text, found.at);
  const source = (text.split('\n')[line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const shown = source.length > 100 ? `${source.slice(0, 100)}…` : source;
  const caret = column <= 101 ? `\n      ${' '.repeat(column - 1)}^` : '';
  return `line ${line}, column ${column}: ${found.reason}\n      ${shown}${caret}`;
}

class JsonSyntaxStop {
  constructor(
    readonly at: number,
    readonly reason: string,
  ) {}
}

/** Where the first JSON syntax error is, and what it is; undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): { at: number; reason: string } | undefined {
  let i = 0;
  const stop = (reason: string, at = i) => new JsonSyntaxStop(at, reason);
  const found = (): string => {
    const c = text[i];
    if (c === undefined) return 'the end of the file';
    if (c === '/') return 'a comment (JSON does not allow comments)';
    if (c === "'") return 'a single quote (JSON strings use double quotes)';
    return c === '"' ? `'"'` : JSON.stringify(c);
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const c = text[i];
      if (c === undefined) throw stop('string is not closed (missing ")');
      if (c === '"') break;
      if (c === '\n' || c === '\r') throw stop('line break inside a string (missing closing ")');
      if (c < ' ') throw stop('control character inside a string');
      if (c === '\\') {
        const e = text[i + 1] ?? '';
        if (e === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
          throw stop('bad \\u escape (needs 4 hex digits)');
        if (e === '' || !'"\\/bfnrtu'.includes(e)) throw stop(`bad escape "\\${e}" in string`);
        i += e === 'u' ? 5 : 1;
      }
      i++;
    }
    i++; // closing quote
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') container('}', true);
    else if (c === '[') container(']', false);
    else if (c === '"') string();
    else {
      const token = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
        text.slice(i, i + 400),
      );
      if (!token) throw stop(`expected a value, found ${found()}`);
      i += token[0].length;
    }
  };
  const container = (close: '}' | ']', isObject: boolean): void => {
    i++; // opening bracket
    space();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      space();
      if (isObject) {
        if (text[i] !== '"') throw stop(`expected a "quoted" setting name, found ${found()}`);
        string();
        space();
        if (text[i] !== ':') throw stop(`expected ":" after the setting name, found ${found()}`);
        i++;
      }
      value();
      space();
      if (text[i] === close) {
        i++;
        return;
      }
      if (text[i] !== ',') {
        const missingComma = '"{['.includes(text[i] ?? '_') ? ' (is a "," missing before it?)' : '';
        throw stop(`expected "," or "${close}", found ${found()}${missingComma}`);
      }
      const comma = i;
      i++;
      space();
      if (text[i] === close)
        throw stop(`comma before "${close}" (JSON does not allow a trailing comma)`, comma);
    }
  };
  try {
    if (text.trim() === '') throw stop('the file is empty');
    value();
    space();
    if (i < text.length) throw stop(`unexpected ${found()} after the end of the configuration`);
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxStop) return { at: err.at, reason: err.reason };
    throw err;
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lastBreak = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: position - lastBreak };
}

// ---------------------------------------------------------------------------------------------
// Schema problems

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

/**
 * The message for an issue the schema gave no message of its own (schema messages win: zod only
 * asks this per-parse map when the schema is silent).
 */
function describeIssue(issue: RawIssue): string | undefined {
  const input = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(input)}`;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const what = allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`;
      return input === undefined
        ? `is required (must be ${what})`
        : `must be ${what}, got ${describeValue(input)}`;
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string')
        return min <= 1 ? 'must not be empty' : `must be at least ${min} characters long`;
      if (issue.origin === 'array') return min <= 1 ? 'must not be empty' : `must list at least ${min} items`;
      return `must be ${issue.inclusive ? 'at least' : 'greater than'} ${min}, got ${describeValue(input)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters long`;
      if (issue.origin === 'array') return `must list at most ${max} items`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}, got ${describeValue(input)}`;
    }
    case 'invalid_format':
      return issue.format === 'regex' && issue.pattern
        ? `must match ${issue.pattern}`
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}, got ${describeValue(input)}`;
    case 'invalid_union':
      return `does not match any allowed form, got ${describeValue(input)}`;
    case 'custom':
      return 'is invalid';
    default:
      return undefined;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list ([...])',
  object: 'an object ({...})',
  null: 'null',
};

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

function formatIssue(issue: Issue): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    return issue.keys.map((key) => {
      const hint = suggest(key, known);
      return `${formatPath([...issue.path, key])}: unknown setting ${JSON.stringify(key)}${hint}`;
    });
  }
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

/** `['services', 2, 'prefix']` → `services[2].prefix`; the root is `(top level)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(top level)';
}

/** The keys the schema allows at `path`, found by walking the schema (for "did you mean" hints). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let node: SchemaNode | undefined = centreConfigSchema as unknown as SchemaNode;
  for (const part of path) {
    node = unwrap(node);
    if (!node) return [];
    const def: SchemaDef = node._zod.def;
    if (def.type === 'object' && typeof part === 'string') node = def.shape?.[part];
    else if (def.type === 'array' && typeof part === 'number') node = def.element;
    else return [];
  }
  const def = unwrap(node)?._zod.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

interface SchemaDef {
  type: string;
  shape?: Record<string, SchemaNode>;
  element?: SchemaNode;
  innerType?: SchemaNode;
  in?: SchemaNode;
}
interface SchemaNode {
  _zod: { def: SchemaDef };
}

function unwrap(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let i = 0; current && i < 10; i++) {
    const def: SchemaDef = current._zod.def;
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
  return current;
}

function suggest(key: string, known: string[]): string {
  if (known.length === 0) return '';
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)))
    return ` (did you mean "${best}"?)`;
  return ` (allowed: ${known.join(', ')})`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = value;
    }
  }
  return at(a.length, b.length);
}
