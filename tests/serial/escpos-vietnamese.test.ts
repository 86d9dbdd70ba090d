import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeWindows1258,
  encodeVietnamese,
  stripVietnameseAccents,
  toWindows1258Form,
} from '../../devices/serial/escpos/vietnamese.ts';

const QUESTION_MARK = 0x3f;
const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
const TONES = [
  { name: 'ngang', mark: '' },
  { name: 'huyền', mark: '\u0300' },
  { name: 'sắc', mark: '\u0301' },
  { name: 'hỏi', mark: '\u0309' },
  { name: 'ngã', mark: '\u0303' },
  { name: 'nặng', mark: '\u0323' },
];

/** Every Vietnamese letter with a diacritic or tone: 12 vowels × 6 tones × 2 cases, đ and Đ. */
const LETTERS = [
  ...VOWELS.flatMap((vowel) =>
    TONES.flatMap(({ name, mark }) => {
      const lower = (vowel + mark).normalize('NFC');
      return [
        { letter: lower, tone: name },
        { letter: lower.toUpperCase(), tone: name },
      ];
    }),
  ),
  { letter: 'đ', tone: 'ngang' },
  { letter: 'Đ', tone: 'ngang' },
];

const codePoint = (letter: string) =>
  [...letter].map((c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase()}`).join(' ');

describe('encodeVietnamese (wpc1258): every letter', () => {
  it('covers 146 distinct letters, each one code point in NFC', () => {
    expect(new Set(LETTERS.map((l) => l.letter)).size).toBe(146);
    for (const { letter } of LETTERS) expect([...letter]).toHaveLength(1);
  });

  it.each(LETTERS)('$letter ($tone) round-trips without a "?"', ({ letter }) => {
    const bytes = encodeVietnamese(letter, 'wpc1258');
    expect(bytes.includes(QUESTION_MARK), `${letter} (${codePoint(letter)}) → ${bytes.toString('hex')}`).toBe(
      false,
    );
    expect(decodeWindows1258(bytes)).toBe(letter);
    expect(encodeVietnamese(letter.normalize('NFD'), 'wpc1258')).toEqual(bytes);
  });

  it('writes a toned letter as its base letter then the tone mark', () => {
    expect([...encodeVietnamese('ế', 'wpc1258')]).toEqual([0xea, 0xec]); // ê + acute
    expect([...encodeVietnamese('ệ', 'wpc1258')]).toEqual([0xea, 0xf2]); // ê + dot below
    expect([...encodeVietnamese('Ự', 'wpc1258')]).toEqual([0xdd, 0xf2]); // Ư + dot below
    expect([...encodeVietnamese('ẵ', 'wpc1258')]).toEqual([0xe3, 0xde]); // ă + tilde
    expect([...encodeVietnamese('ở', 'wpc1258')]).toEqual([0xf5, 0xd2]); // ơ + hook above
    expect([...encodeVietnamese('đĐ', 'wpc1258')]).toEqual([0xf0, 0xd0]);
    // One form for all tones: à too, though Windows-1258 has it precomposed (E0).
    expect([...encodeVietnamese('à', 'wpc1258')]).toEqual([0x61, 0xcc]);
  });

  it('toWindows1258Form keeps â ê ô ă ơ ư precomposed and the tone combining', () => {
    expect(toWindows1258Form('ế')).toBe('ê\u0301');
    expect(toWindows1258Form('e\u0323\u0302')).toBe('ê\u0323');
    expect(toWindows1258Form('Ường')).toBe('Ươ\u0300ng');
    expect(toWindows1258Form('ặ')).toBe('ă\u0323');
    expect(toWindows1258Form('à')).toBe('a\u0300');
    expect(toWindows1258Form('Phường')).toBe(toWindows1258Form('Phường'.normalize('NFD')));
  });

  it('a naive encode of the same text does write "?" (what this guards against)', () => {
    expect([...iconv.encode('e\u0302\u0301', 'windows1258')]).toEqual([0x65, 0x3f, 0xec]);
    expect(iconv.encode('Lao động'.normalize('NFD'), 'windows1258').includes(QUESTION_MARK)).toBe(true);
    expect(iconv.encode('Lao động'.normalize('NFC'), 'windows1258').includes(QUESTION_MARK)).toBe(true);
    const failing = LETTERS.filter(({ letter }) =>
      iconv.encode(letter.normalize('NFD'), 'windows1258').includes(QUESTION_MARK),
    );
    expect(failing.length).toBeGreaterThan(40); // every letter with ^, ˘ or a horn
  });
});

describe('encodeVietnamese (wpc1258): text', () => {
  const SENTENCES = [
    'Lao động – Thương binh và Xã hội',
    'Tư pháp – Hộ tịch',
    'Trung tâm Phục vụ hành chính công tỉnh Quảng Nam',
    'Ưu tiên: Người cao tuổi, phụ nữ mang thai',
    'Số người đang chờ trước: 12',
    'Thời gian chờ dự kiến: đang cập nhật',
    'NGUYỄN THỊ HỒNG NHUNG – ĐẶNG VĂN ỨNG',
    'Xin cảm ơn quý khách! “Một cửa” — 100 €',
  ];

  it.each(SENTENCES)('%s round-trips, NFC and NFD alike', (sentence) => {
    const bytes = encodeVietnamese(sentence, 'wpc1258');
    expect(bytes.includes(QUESTION_MARK)).toBe(false);
    expect(decodeWindows1258(bytes)).toBe(sentence.normalize('NFC'));
    expect(encodeVietnamese(sentence.normalize('NFD'), 'wpc1258')).toEqual(bytes);
  });

  it('keeps other Latin letters Windows-1258 has (ü ç ñ)', () => {
    expect(decodeWindows1258(encodeVietnamese('Müller, François, Muñoz', 'wpc1258'))).toBe(
      'Müller, François, Muñoz',
    );
  });

  it('prints what Windows-1258 lacks as its ASCII form, or "?"', () => {
    expect(encodeVietnamese('Ōsaka', 'wpc1258').toString('latin1')).toBe('Osaka');
    expect(encodeVietnamese('q\u0302', 'wpc1258').toString('latin1')).toBe('q');
    expect(encodeVietnamese('→ 😀', 'wpc1258').toString('latin1')).toBe('? ?');
  });

  it('turns control characters into spaces, so text cannot send a command', () => {
    const bytes = encodeVietnamese('A\u001b@B\u001dV\nC\u0085', 'wpc1258');
    expect([...bytes].filter((b) => b < 0x20)).toEqual([]);
    expect(bytes.toString('latin1')).toBe('A @B V C ');
  });
});

describe('encodeVietnamese (ascii)', () => {
  it('strips the accents and maps the en dash to "-"', () => {
    expect(encodeVietnamese('Tư pháp – Hộ tịch', 'ascii').toString('latin1')).toBe('Tu phap - Ho tich');
    expect(encodeVietnamese('Lao động – Thương binh và Xã hội', 'ascii').toString('latin1')).toBe(
      'Lao dong - Thuong binh va Xa hoi',
    );
  });

  it.each(LETTERS)('$letter becomes one plain ASCII letter', ({ letter }) => {
    const bytes = encodeVietnamese(letter, 'ascii');
    expect(bytes).toHaveLength(1);
    expect(bytes.toString('latin1')).toMatch(/^[aeiouydAEIOUYD]$/);
    expect(bytes.toString('latin1').toLowerCase()).toBe(
      stripVietnameseAccents(letter).toLowerCase().replace('đ', 'd'),
    );
  });

  it('maps typographic punctuation and writes "?" for anything else', () => {
    expect(encodeVietnamese('“Một cửa” — số 1… ’', 'ascii').toString('latin1')).toBe(
      '"Mot cua" - so 1... \'',
    );
    expect(encodeVietnamese('100 € → 😀', 'ascii').toString('latin1')).toBe('100 ? ? ?');
    expect([...encodeVietnamese('Đặng Thị Ưu', 'ascii')].every((b) => b < 0x80)).toBe(true);
  });

  it('stripVietnameseAccents handles NFC and NFD alike', () => {
    expect(stripVietnameseAccents('Đặng Thị Ưu')).toBe('Dang Thi Uu');
    expect(stripVietnameseAccents('Đặng Thị Ưu'.normalize('NFD'))).toBe('Dang Thi Uu');
  });
});
