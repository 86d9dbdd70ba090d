/**
 * Vietnamese text for ESC/POS printers: Windows-1258 (WPC1258) bytes, or plain ASCII for printers
 * without a Vietnamese code page.
 *
 * Windows-1258 holds â ê ô ă ơ ư đ (and capitals) as single bytes but has no byte for a toned letter
 * such as ế: the five tone marks are separate combining characters written after the letter
 * (ế = ê + U+0301 = EA EC). Neither NFC ("ế" is one code point, absent from the table) nor NFD
 * ("e" + U+0302 + U+0301, and U+0302 is absent) encodes correctly; iconv-lite silently writes '?'
 * for what it cannot map. `toWindows1258Form` produces the one form that maps completely.
 */
import iconv from 'iconv-lite';

export type TextEncodingMode = 'wpc1258' | 'ascii';

/** The five Vietnamese tone marks, each a combining character in Windows-1258. */
const TONE_MARKS = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);

/** Every character Windows-1258 can hold (the 251 defined bytes, decoded one by one). */
const CP1258_REPERTOIRE: ReadonlySet<string> = new Set(
  [...iconv.decode(Buffer.from(Array.from({ length: 256 }, (_, i) => i)), 'windows1258')].filter(
    (c) => c !== '\uFFFD',
  ),
);

/** Typographic punctuation an ASCII-only printer would print as '?'. */
const ASCII_PUNCTUATION: Readonly<Record<string, string>> = {
  '\u2013': '-', // en dash
  '\u2014': '-', // em dash
  '\u2212': '-', // minus sign
  '\u2010': '-', // hyphen
  '\u2011': '-', // non-breaking hyphen
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2026': '...',
  '\u2022': '*',
  '\u00A0': ' ', // no-break space
  '\u202F': ' ', // narrow no-break space
};

/** C0 and C1 control characters and DEL: text must never carry printer commands (ESC, GS, DLE…). */
const CONTROL_CHARACTERS = /\p{Cc}/gu; // U+0000–001F, U+007F–009F

/**
 * The form of `text` that Windows-1258 encodes without loss: each letter keeps its circumflex, breve
 * or horn (and any other mark with a precomposed Windows-1258 letter, such as ü or ç) precomposed,
 * and its tone mark follows as a combining character. Tones are always written combining, even when
 * Windows-1258 has the precomposed letter (à → a + U+0300), so every toned letter has one form.
 */
export function toWindows1258Form(text: string): string {
  return text.normalize('NFD').replace(/(\P{M})(\p{M}+)/gu, (_whole, base: string, marks: string) => {
    let kept = '';
    let tones = '';
    for (const mark of marks) {
      if (TONE_MARKS.has(mark)) tones += mark;
      else kept += mark;
    }
    return (base + kept).normalize('NFC') + tones;
  });
}

/** Removes every accent and tone mark, and writes đ Đ as d D ("Tư pháp" → "Tu phap"). */
export function stripVietnameseAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** One character as printable ASCII: accents removed, dashes and quotes simplified, else '?'. */
function asciiFallback(char: string): string {
  const punctuation = ASCII_PUNCTUATION[char];
  if (punctuation !== undefined) return punctuation;
  const stripped = stripVietnameseAccents(char);
  return /^[\u0020-\u007E]*$/.test(stripped) ? stripped : '?';
}

/**
 * Encodes text for the printer. Control characters (line feeds included) become spaces: layout is
 * done with commands, and a name typed with an ESC in it cannot send one to the printer.
 *
 * - `'wpc1258'`: Windows-1258 bytes of `toWindows1258Form(text)`; a character Windows-1258 lacks is
 *   printed as its ASCII fallback (a stray combining mark is dropped), '?' when there is none.
 * - `'ascii'`: accents removed, đ → d, dashes and quotes simplified; anything else → '?'.
 */
export function encodeVietnamese(text: string, mode: TextEncodingMode): Buffer {
  const clean = text.replace(CONTROL_CHARACTERS, ' ');
  if (mode === 'ascii') {
    let out = '';
    for (const char of stripVietnameseAccents(clean)) out += char < '\u0080' ? char : asciiFallback(char);
    return Buffer.from(out, 'latin1');
  }
  let out = '';
  for (const char of toWindows1258Form(clean)) {
    if (CP1258_REPERTOIRE.has(char)) out += char;
    else if (!/^\p{M}$/u.test(char)) out += asciiFallback(char);
  }
  return iconv.encode(out, 'windows1258');
}

/** Windows-1258 bytes back to NFC text (tone marks recombined with their letters). */
export function decodeWindows1258(bytes: Uint8Array): string {
  return iconv.decode(bytes, 'windows1258').normalize('NFC');
}
