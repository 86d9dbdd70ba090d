/**
 * Issue 13, item 9: the licence check over the production dependency tree (`npm run licences`, in
 * `npm test`). Copyleft fails unless allowed by name, with the same licence, and a reason.
 */
import { describe, expect, it } from 'vitest';
import {
  ALLOWED,
  declaredLicence,
  permissive,
  productionTree,
  refused,
} from '../../scripts/check-licences.ts';

const pkg = (name: string, license: string | null) => ({ name, version: '1.0.0', license });

describe('the licence check', () => {
  it('reads SPDX expressions: OR needs one permissive side, AND needs both', () => {
    expect(permissive('MIT')).toBe(true);
    expect(permissive('(MIT OR GPL-3.0-or-later)')).toBe(true);
    expect(permissive('(MIT AND Zlib)')).toBe(true);
    expect(permissive('MIT AND GPL-3.0-only')).toBe(false);
    expect(permissive('GPL-3.0-or-later')).toBe(false);
    expect(permissive('AGPL-3.0')).toBe(false);
    expect(permissive('LGPL-2.1 OR (MPL-2.0 AND MIT)')).toBe(false);
  });

  it('fails copyleft or undeclared licences unless allowed by name, with the same licence and a reason', () => {
    const allow = {
      'voice-lib': { license: 'GPL-3.0-or-later', reason: 'documented in security.md' },
      'no-reason': { license: 'GPL-2.0', reason: ' ' },
    };
    const tree = [
      pkg('ok', 'MIT'),
      pkg('voice-lib', 'GPL-3.0-or-later'),
      pkg('sneaky', 'AGPL-3.0-only'),
      pkg('no-reason', 'GPL-2.0'),
      pkg('unknown', null),
    ];
    expect(refused(tree, allow).map((p) => p.name)).toEqual(['sneaky', 'no-reason', 'unknown']);
    // A new version under another licence is a new decision.
    expect(refused([pkg('voice-lib', 'AGPL-3.0-only')], allow)).toHaveLength(1);
    // Prototype names find nothing.
    expect(refused([pkg('constructor', 'GPL-3.0')], allow)).toHaveLength(1);
  });

  it('reads the licence from license, {type} or the old licenses array', () => {
    expect(declaredLicence({ license: 'ISC' })).toBe('ISC');
    expect(declaredLicence({ license: { type: 'MIT' } })).toBe('MIT');
    expect(declaredLicence({ licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe(
      '(MIT OR Apache-2.0)',
    );
    expect(declaredLicence({})).toBeNull();
  });

  it("passes on this project's production tree, where every exception has its reason", () => {
    const tree = productionTree(process.cwd());
    expect(tree.length).toBeGreaterThan(100);
    expect(refused(tree)).toEqual([]);
    // The hall voice is Debian's espeak-ng program, run as a separate process: no GPL code in the tree.
    expect(tree.find((p) => p.name === 'espeak-ng')).toBeUndefined();
    // GPL only where a permissive choice is offered beside it (jszip: MIT OR GPL-3.0-or-later).
    expect(tree.filter((p) => /GPL/.test(p.license ?? '') && !/ OR /.test(p.license ?? ''))).toEqual([]);
    expect(Object.values(ALLOWED).filter((a) => /GPL/.test(a.license ?? ''))).toEqual([]);
    for (const [name, entry] of Object.entries(ALLOWED)) {
      expect(entry.reason.length, name).toBeGreaterThan(40);
    }
  });
});
