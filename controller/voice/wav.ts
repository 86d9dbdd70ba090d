/**
 * 16-bit PCM WAV files: read, trim and write. eSpeak NG ends every clip with about 0.35 s of
 * silence; the hall page joins word clips into a sentence, so the silence is cut down to a short,
 * even margin and the page decides the pauses.
 */

export interface Pcm16 {
  sampleRate: number;
  channels: number;
  samples: Int16Array;
}

export class WavError extends Error {}

function tag(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(...bytes.subarray(at, at + 4));
}

export function parseWav(bytes: Uint8Array): Pcm16 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || tag(bytes, 0) !== 'RIFF' || tag(bytes, 8) !== 'WAVE') {
    throw new WavError('not a RIFF/WAVE file');
  }
  let format: { channels: number; sampleRate: number } | null = null;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (view.getUint16(body, true) !== 1 || view.getUint16(body + 14, true) !== 16) {
        throw new WavError('not 16-bit PCM');
      }
      format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
    } else if (id === 'data') {
      if (!format) throw new WavError('data before fmt');
      // A writer that could not seek back leaves a bogus size: take what is there.
      const end = Math.min(bytes.length, body + size);
      const count = Math.floor((end - body) / 2);
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i++) samples[i] = view.getInt16(body + i * 2, true);
      return { ...format, samples };
    }
    at = body + size + (size % 2);
  }
  throw new WavError('no data chunk');
}

export function encodeWav(pcm: Pcm16): Uint8Array {
  const dataBytes = pcm.samples.length * 2;
  const bytes = new Uint8Array(44 + dataBytes);
  const view = new DataView(bytes.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, pcm.channels, true);
  view.setUint32(24, pcm.sampleRate, true);
  view.setUint32(28, pcm.sampleRate * pcm.channels * 2, true);
  view.setUint16(32, pcm.channels * 2, true);
  view.setUint16(34, 16, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < pcm.samples.length; i++) view.setInt16(44 + i * 2, pcm.samples[i] as number, true);
  return bytes;
}

export interface TrimOptions {
  /** Samples quieter than this (of 32767) count as silence. */
  threshold?: number;
  leadMs?: number;
  tailMs?: number;
}

/** Cuts leading and trailing silence, keeping a short margin so words do not start or end abruptly. */
export function trimSilence(
  pcm: Pcm16,
  { threshold = 256, leadMs = 10, tailMs = 40 }: TrimOptions = {},
): Pcm16 {
  const { samples, channels, sampleRate } = pcm;
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i] as number) > threshold) {
      if (first < 0) first = i;
      last = i;
    }
  }
  if (first < 0) return { ...pcm, samples: new Int16Array(0) };
  const frame = (ms: number) => Math.round((ms / 1000) * sampleRate) * channels;
  const start = Math.max(0, first - (first % channels) - frame(leadMs));
  const end = Math.min(samples.length, last - (last % channels) + channels + frame(tailMs));
  return { ...pcm, samples: samples.slice(start, end) };
}
