import { describe, expect, it } from 'vitest';
import { LETTER_NAMES, NUMBER_WORDS } from '../../controller/voice/number-words.ts';
import {
  announcementScript,
  clipTexts,
  PHRASES,
  zonePhrase,
  zoneToName,
} from '../../controller/voice/phrases.ts';

const zones = [
  { id: 'a', name: 'Tầng 1 – Khu A', announceAs: 'tầng một, khu A' },
  { id: 'b', name: 'Tầng 2 – Khu B' },
];

describe('announcement phrases', () => {
  it('says the number and the counter, each as its own clips', () => {
    expect(announcementScript({ label: '1023', counterNumber: 5, zone: null })).toEqual({
      text: 'Mời công dân có số thứ tự 1023 đến quầy số 5',
      parts: [
        ['Mời công dân có số thứ tự'],
        ['một', 'nghìn', 'không', 'trăm', 'hai', 'mươi', 'ba'],
        ['đến quầy số'],
        ['năm'],
      ],
    });
  });

  it('names the zone (as announced) where the centre has several, and shows its name', () => {
    const zone = zoneToName(zones, 'a');
    expect(zone?.id).toBe('a');
    const script = announcementScript({ label: 'A21', counterNumber: 12, zone });
    expect(script.text).toBe('Mời công dân có số thứ tự A21 đến quầy số 12 tại Tầng 1 – Khu A');
    expect(script.parts.at(-1)).toEqual(['tại', 'tầng một, khu A']);
    expect(script.parts[1]).toEqual(['a', 'hai', 'mươi', 'mốt']);
    expect(zoneToName([zones[0] as (typeof zones)[0]], 'a')).toBeNull();
    expect(zoneToName(zones, null)).toBeNull();
    expect(zoneToName(zones, 'nowhere')).toBeNull();
    expect(zonePhrase(zones[1] as (typeof zones)[1])).toBe('Tầng 2 – Khu B');
  });

  it('leaves out the counter when it is not known', () => {
    expect(announcementScript({ label: '0007', counterNumber: null, zone: null }).text).toBe(
      'Mời công dân có số thứ tự 0007',
    );
  });

  it('allows exactly the phrases, number words, prefix letters and zone phrases, nothing else', () => {
    const texts = clipTexts({ zones, services: [{ prefix: 'A' }, { prefix: '2' }, { prefix: 'BA' }] });
    expect(new Set(texts).size).toBe(texts.length);
    expect(texts).toEqual(
      expect.arrayContaining([
        PHRASES.invite,
        PHRASES.toCounter,
        PHRASES.at,
        'tầng một, khu A',
        'Tầng 2 – Khu B',
        ...NUMBER_WORDS,
      ]),
    );
    const letters = texts.filter((t) => Object.values(LETTER_NAMES).includes(t));
    expect(letters.sort()).toEqual(['a', 'bê']);
    expect(texts).toHaveLength(3 + 2 + NUMBER_WORDS.length + 2);
    const oneZone = clipTexts({ zones: [zones[0] as (typeof zones)[0]], services: [{ prefix: '1' }] });
    expect(oneZone).not.toContain(PHRASES.at);
    expect(oneZone).toHaveLength(2 + NUMBER_WORDS.length);
  });

  it('has a clip for every word of any announcement it can build', () => {
    const allowed = new Set(clipTexts({ zones, services: [{ prefix: 'A' }, { prefix: '9' }] }));
    for (const label of ['A001', 'A999', '90000', '95', '912345', 'A00015']) {
      for (const counterNumber of [1, 4, 15, 21, 105, 999]) {
        const { parts } = announcementScript({ label, counterNumber, zone: zoneToName(zones, 'b') });
        for (const clip of parts.flat()) expect(allowed).toContain(clip);
      }
    }
  });
});
