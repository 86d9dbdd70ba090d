/**
 * `npm run licences` (part of `npm test`): reads the licence of every package in the production
 * dependency tree (`npm query .prod`) and fails on any that is not permissive, unless it is in
 * ALLOWED below with a written reason. A package with no licence declared fails the same way.
 *
 * SPDX expressions are read as such: `A OR B` passes when one side passes (we may choose), `A AND B`
 * only when both do. Exit code 0 when everything passes, 1 with one line per package otherwise.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Licences without copyleft: using, bundling and shipping them inside an MIT project is fine. */
export const PERMISSIVE = new Set([
  'MIT',
  'MIT/X11',
  'X11',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'Unlicense',
  'CC0-1.0',
  'BlueOak-1.0.0',
  'Zlib',
  'Python-2.0',
  'CC-BY-4.0',
]);

export interface Allowed {
  /** The licence expression as the package declares it (null: none declared). */
  license: string | null;
  reason: string;
}

/**
 * Packages allowed with a licence that is not in PERMISSIVE, by name, each with why. A new version
 * with another licence fails again (the licence is part of the entry).
 */
export const ALLOWED: Record<string, Allowed> = {
  lightningcss: {
    license: 'MPL-2.0',
    reason:
      "Used by Vite to build the screens' CSS at build time; MPL-2.0 is file-level copyleft: unmodified, its files stay under MPL and our code is unaffected.",
  },
  'lightningcss-linux-x64-gnu': {
    license: 'MPL-2.0',
    reason: 'The native binary of lightningcss (same reason).',
  },
  '@fontsource/be-vietnam-pro': {
    license: 'OFL-1.1',
    reason:
      "The screens' font (Vietnamese diacritics). The SIL Open Font License allows bundling and use with any software; only the font itself stays under OFL (not sold alone, reserved names kept).",
  },
  buffers: {
    license: null,
    reason:
      'No licence declared in its package.json (buffers@0.1.1, by substack, reached through exceljs > unzipper > binary, used for the xlsx reports). Its sibling packages binary and chainsaw from the same author are MIT/X11; no copyleft is claimed anywhere in the package. Review again if it changes.',
  },
};

export interface PackageLicence {
  name: string;
  version: string;
  license: string | null;
}

/** Whether an SPDX expression is permissive (with OR: one side; with AND: both). */
export function permissive(expression: string): boolean {
  const e = expression
    .trim()
    .replace(/^\((.*)\)$/, '$1')
    .trim();
  const or = splitTop(e, 'OR');
  if (or.length > 1) return or.some(permissive);
  const and = splitTop(e, 'AND');
  if (and.length > 1) return and.every(permissive);
  return PERMISSIVE.has(e);
}

/** Splits at a top-level operator (outside parentheses). */
function splitTop(e: string, op: 'OR' | 'AND'): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const tokens = e.split(/(\(|\)|\s+)/);
  let at = 0;
  for (const t of tokens) {
    if (t === '(') depth++;
    if (t === ')') depth--;
    if (depth === 0 && t === op) {
      parts.push(e.slice(start, at).trim());
      start = at + t.length;
    }
    at += t.length;
  }
  parts.push(e.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** The packages that fail: neither permissive nor allowed (with the same licence) with a reason. */
export function refused(packages: readonly PackageLicence[], allowed = ALLOWED): PackageLicence[] {
  return packages.filter((p) => {
    if (p.license !== null && permissive(p.license)) return false;
    const entry = Object.hasOwn(allowed, p.name) ? allowed[p.name] : undefined;
    return !(entry && entry.license === p.license && entry.reason.trim().length > 0);
  });
}

/** The licence a package.json declares: `license` (string or {type}), or the old `licenses` array. */
export function declaredLicence(pkg: { license?: unknown; licenses?: unknown }): string | null {
  if (typeof pkg.license === 'string' && pkg.license.trim()) return pkg.license.trim();
  if (
    pkg.license &&
    typeof pkg.license === 'object' &&
    typeof (pkg.license as { type?: unknown }).type === 'string'
  )
    return (pkg.license as { type: string }).type;
  if (Array.isArray(pkg.licenses) && pkg.licenses.length) {
    const types = pkg.licenses.map((l) =>
      typeof l === 'string' ? l : ((l as { type?: string }).type ?? ''),
    );
    if (types.every((t) => t)) return types.length === 1 ? (types[0] as string) : `(${types.join(' OR ')})`;
  }
  return null;
}

/** The production tree, as npm sees it (without the project itself). */
export function productionTree(cwd: string): PackageLicence[] {
  const out = execFileSync('npm', ['query', '.prod'], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const rows = JSON.parse(out) as {
    name: string;
    version: string;
    location: string;
    license?: unknown;
    licenses?: unknown;
  }[];
  const seen = new Map<string, PackageLicence>();
  for (const r of rows) {
    if (r.location === '') continue; // the project itself
    seen.set(`${r.name}@${r.version}`, { name: r.name, version: r.version, license: declaredLicence(r) });
  }
  return [...seen.values()];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tree = productionTree(root);
  const bad = refused(tree);
  if (bad.length) {
    console.error(
      `licences: ${bad.length} production dependencies need a decision (see scripts/check-licences.ts):`,
    );
    for (const p of bad) console.error(`  - ${p.name}@${p.version}: ${p.license ?? 'no licence declared'}`);
    process.exit(1);
  }
  const allowedHere = tree.filter((p) => !(p.license && permissive(p.license)));
  console.log(
    `licences: ${tree.length} production dependencies checked; ${allowedHere.length} allowed with a reason (${allowedHere.map((p) => p.name).join(', ')})`,
  );
}
