/**
 * How the hall's voice reads a ticket number in Vietnamese, as a list of words (each one a voice
 * clip). Pure: shared by the controller (which clips to make) and the hall page (which to play).
 *
 * 1023 → "một nghìn không trăm hai mươi ba", 15 → "mười lăm", 21 → "hai mươi mốt",
 * 105 → "một trăm linh năm", 24 → "hai mươi tư". Letters of a prefix are spelled one by one, and a
 * run of digits starting with 0 ("0007") is read digit by digit, as people read such numbers.
 */

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

/** Every word numberWords() and labelWords() may say for digits. */
export const NUMBER_WORDS: readonly string[] = [
  ...DIGITS,
  'mười',
  'mươi',
  'mốt',
  'tư',
  'lăm',
  'linh',
  'trăm',
  'nghìn',
  'triệu',
];

/** Vietnamese names of the Latin letters, as read out at a counter. */
export const LETTER_NAMES: Readonly<Record<string, string>> = {
  A: 'a',
  B: 'bê',
  C: 'xê',
  D: 'dê',
  E: 'e',
  F: 'ép',
  G: 'giê',
  H: 'hát',
  I: 'i',
  J: 'gi',
  K: 'ca',
  L: 'e lờ',
  M: 'em mờ',
  N: 'en nờ',
  O: 'o',
  P: 'pê',
  Q: 'quy',
  R: 'e rờ',
  S: 'ét',
  T: 'tê',
  U: 'u',
  V: 'vê',
  W: 'vê kép',
  X: 'ích',
  Y: 'i dài',
  Z: 'dét',
};

/** Above this, a number is read digit by digit (no label is that long; "tỷ" is never needed). */
const MAX_NATURAL = 999_999_999;

function digit(d: number): string {
  return DIGITS[d] as string;
}

/**
 * A group of three digits. `full`: a higher group was said before it, so its hundreds are said
 * even when zero ("một nghìn không trăm …") and a lone unit takes "linh" ("… không trăm linh bốn").
 */
function group(n: number, full: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor(n / 10) % 10;
  const units = n % 10;
  const words: string[] = [];
  const saysHundreds = hundreds > 0 || full;
  if (saysHundreds) words.push(digit(hundreds), 'trăm');
  if (tens === 0) {
    if (units > 0) words.push(...(saysHundreds ? ['linh', digit(units)] : [digit(units)]));
  } else if (tens === 1) {
    words.push('mười');
    if (units > 0) words.push(units === 5 ? 'lăm' : digit(units));
  } else {
    words.push(digit(tens), 'mươi');
    if (units === 1) words.push('mốt');
    else if (units === 4) words.push('tư');
    else if (units === 5) words.push('lăm');
    else if (units > 0) words.push(digit(units));
  }
  return words;
}

/** A whole number read the natural way (0 … 999 999 999); larger ones digit by digit. */
export function numberWords(n: number): string[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot read ${n} as a number`);
  if (n === 0) return ['không'];
  if (n > MAX_NATURAL) return digitWords(String(n));
  const groups: [number, string | null][] = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor(n / 1_000) % 1_000, 'nghìn'],
    [n % 1_000, null],
  ];
  const words: string[] = [];
  for (const [value, scale] of groups) {
    // A zero group in the middle is left out: 1 000 001 is "một triệu không trăm linh một".
    if (value === 0) continue;
    words.push(...group(value, words.length > 0));
    if (scale) words.push(scale);
  }
  return words;
}

/** "0007" → "không không không bảy". */
export function digitWords(digits: string): string[] {
  return [...digits].map((d) => digit(Number(d)));
}

/**
 * A ticket label (prefix + number, e.g. "1023", "A015", "0007") as words: letters spelled, a
 * digit run starting with 0 read digit by digit, any other digit run read as a number.
 */
export function labelWords(label: string): string[] {
  const words: string[] = [];
  for (const [token] of label.toUpperCase().matchAll(/[A-Z]|[0-9]+/g)) {
    if (/[A-Z]/.test(token)) words.push(LETTER_NAMES[token] as string);
    else if (token.length > 1 && token.startsWith('0')) words.push(...digitWords(token));
    else words.push(...numberWords(Number(token)));
  }
  return words;
}
