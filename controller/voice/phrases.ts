/**
 * What the hall's voice says for a call, and the allow-list of everything it may ever say: the
 * controller synthesizes only these texts (never text from a request), and the page builds each
 * announcement from them. Pure: shared by the controller and the hall page.
 */
import { LETTER_NAMES, labelWords, NUMBER_WORDS, numberWords } from './number-words.ts';

export const PHRASES = {
  invite: 'Mời công dân có số thứ tự',
  toCounter: 'đến quầy số',
  at: 'tại',
} as const;

export interface VoiceZone {
  id: string;
  name: string;
  announceAs?: string | null | undefined;
}

/** The part of a centre's configuration that decides what may be said. */
export interface VoiceCentre {
  zones: readonly VoiceZone[];
  services: readonly { prefix: string }[];
}

/** How the voice names a zone: its `announceAs`, or else its name. */
export function zonePhrase(zone: VoiceZone): string {
  return (zone.announceAs ?? zone.name).trim();
}

/** The zone worth naming in a call: only where the centre has several. */
export function zoneToName(zones: readonly VoiceZone[], zoneId: string | null): VoiceZone | null {
  if (zones.length < 2 || !zoneId) return null;
  return zones.find((z) => z.id === zoneId) ?? null;
}

/** Every text the voice may say for this centre: one clip each. */
export function clipTexts(centre: VoiceCentre): string[] {
  const letters = new Set<string>();
  for (const s of centre.services)
    for (const ch of s.prefix.toUpperCase()) if (LETTER_NAMES[ch]) letters.add(ch);
  const texts = [
    PHRASES.invite,
    PHRASES.toCounter,
    ...NUMBER_WORDS,
    ...[...letters].sort().map((ch) => LETTER_NAMES[ch] as string),
    ...(centre.zones.length > 1 ? [PHRASES.at, ...centre.zones.map(zonePhrase)] : []),
  ];
  return [...new Set(texts)];
}

export interface CallToAnnounce {
  label: string;
  counterNumber: number | null;
  /** The counter's zone, named only where the centre has several zones. */
  zone: VoiceZone | null;
}

export interface AnnouncementScript {
  /** What is said, as written (shown on the screen while it is said). */
  text: string;
  /** The clips to play: phrases, each a list of clip texts said close together. */
  parts: string[][];
}

/** "Mời công dân có số thứ tự 1023 đến quầy số 5 [tại <zone>]". */
export function announcementScript(call: CallToAnnounce): AnnouncementScript {
  const text = [PHRASES.invite, call.label];
  const parts = [[PHRASES.invite], labelWords(call.label)];
  if (call.counterNumber !== null) {
    text.push(PHRASES.toCounter, String(call.counterNumber));
    parts.push([PHRASES.toCounter], numberWords(call.counterNumber));
  }
  if (call.zone) {
    text.push(PHRASES.at, call.zone.name);
    parts.push([PHRASES.at, zonePhrase(call.zone)]);
  }
  return { text: text.join(' '), parts };
}
