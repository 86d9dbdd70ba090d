/**
 * Every refusal the API answers carries a Vietnamese text for people (issue 12, item 6): each error
 * code the HTTP layer throws, and each reason the engine gives, has its own text in the one table
 * devices use too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_ERROR_TEXTS, peopleText, refusalText } from '../../devices/texts.ts';

const HTTP_DIR = join(process.cwd(), 'controller', 'http');

describe('texts for people of API errors', () => {
  it('has a text for every error code thrown under controller/http/', () => {
    const codes = new Set<string>();
    for (const file of readdirSync(HTTP_DIR).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(HTTP_DIR, file), 'utf8');
      for (const m of source.matchAll(/new HttpError\(\s*\d{3},\s*'([A-Za-z]+)'/g)) codes.add(m[1] as string);
    }
    expect(codes.size).toBeGreaterThan(8);
    // A code of its own, or a device refusal (printerUnavailable): never the general fallback.
    const missing = [...codes].filter((c) => c !== 'internal' && peopleText(c) === refusalText('internal'));
    expect(missing).toEqual([]);
  });

  it('prefers the reason, then the code, and is never empty', () => {
    expect(peopleText('conflict', 'counterTaken')).toBe('Quầy đang có cán bộ khác đăng nhập');
    expect(peopleText('conflict', 'noCurrentTicket')).toBe(refusalText('noCurrentTicket'));
    expect(peopleText('printerUnavailable')).toBe(refusalText('printerUnavailable'));
    expect(peopleText('forbidden')).toBe(API_ERROR_TEXTS.forbidden);
    expect(peopleText('somethingNew')).toBe(refusalText('internal'));
    for (const text of Object.values(API_ERROR_TEXTS)) expect(text).toMatch(/[ăâđêôơưáàảãạíóúý]/i);
  });
});
