import { describe, expect, it } from 'vitest';
import { digitWords, labelWords, NUMBER_WORDS, numberWords } from '../../controller/voice/number-words.ts';

const read = (n: number) => numberWords(n).join(' ');

describe('reading numbers in Vietnamese', () => {
  it.each([
    [0, 'không'],
    [5, 'năm'],
    [10, 'mười'],
    [11, 'mười một'],
    [14, 'mười bốn'],
    [15, 'mười lăm'],
    [20, 'hai mươi'],
    [21, 'hai mươi mốt'],
    [24, 'hai mươi tư'],
    [25, 'hai mươi lăm'],
    [99, 'chín mươi chín'],
    [100, 'một trăm'],
    [101, 'một trăm linh một'],
    [105, 'một trăm linh năm'],
    [110, 'một trăm mười'],
    [115, 'một trăm mười lăm'],
    [121, 'một trăm hai mươi mốt'],
    [1000, 'một nghìn'],
    [1004, 'một nghìn không trăm linh bốn'],
    [1010, 'một nghìn không trăm mười'],
    [1023, 'một nghìn không trăm hai mươi ba'],
    [1100, 'một nghìn một trăm'],
    [2024, 'hai nghìn không trăm hai mươi tư'],
    [15_001, 'mười lăm nghìn không trăm linh một'],
    [99_999, 'chín mươi chín nghìn chín trăm chín mươi chín'],
    [1_000_001, 'một triệu không trăm linh một'],
    [1_200_001, 'một triệu hai trăm nghìn không trăm linh một'],
  ])('%i → %s', (n, words) => {
    expect(read(n)).toBe(words);
  });

  it('reads numbers beyond the millions digit by digit, and refuses what is not a whole number', () => {
    expect(read(1_234_567_890)).toBe('một hai ba bốn năm sáu bảy tám chín không');
    expect(() => numberWords(-1)).toThrow(RangeError);
    expect(() => numberWords(1.5)).toThrow(RangeError);
  });

  it('never says a word outside NUMBER_WORDS (each word is one clip)', () => {
    const said = new Set<string>();
    for (let n = 0; n <= 100_000; n += n < 2_000 ? 1 : 7) for (const w of numberWords(n)) said.add(w);
    for (const w of numberWords(9_999_999)) said.add(w);
    expect([...said].sort()).toEqual([...NUMBER_WORDS].sort());
  });
});

describe('reading ticket labels', () => {
  it.each([
    ['1023', 'một nghìn không trăm hai mươi ba'],
    ['0007', 'không không không bảy'],
    ['0', 'không'],
    ['A015', 'a không một năm'],
    ['A15', 'a mười lăm'],
    ['BC21', 'bê xê hai mươi mốt'],
    ['w105', 'vê kép một trăm linh năm'],
  ])('%s → %s', (label, words) => {
    expect(labelWords(label).join(' ')).toBe(words);
  });

  it('spells digits one by one', () => {
    expect(digitWords('0904')).toEqual(['không', 'chín', 'không', 'bốn']);
  });
});
