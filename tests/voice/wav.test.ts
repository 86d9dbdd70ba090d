import { describe, expect, it } from 'vitest';
import { encodeWav, parseWav, trimSilence, WavError } from '../../controller/voice/wav.ts';

const pcm = (samples: number[], sampleRate = 1000) => ({
  sampleRate,
  channels: 1,
  samples: Int16Array.from(samples),
});

describe('WAV clips', () => {
  it('writes and reads back 16-bit PCM', () => {
    const bytes = encodeWav(pcm([0, 1000, -1000, 32767, -32768], 22050));
    expect(bytes.length).toBe(44 + 10);
    const back = parseWav(bytes);
    expect(back.sampleRate).toBe(22050);
    expect([...back.samples]).toEqual([0, 1000, -1000, 32767, -32768]);
  });

  it('reads what a writer left with a bogus data size, and refuses what is not PCM WAV', () => {
    const bytes = encodeWav(pcm([5, 6, 7]));
    new DataView(bytes.buffer).setUint32(40, 0x7fffffff, true);
    expect([...parseWav(bytes).samples]).toEqual([5, 6, 7]);
    expect(() => parseWav(new TextEncoder().encode('not a wave file at all'))).toThrow(WavError);
  });

  it('cuts silence down to a short margin on each side', () => {
    // 1 kHz: 1 sample per ms. 50 ms silence, 20 ms sound, 300 ms silence.
    const samples = [...Array(50).fill(0), ...Array(20).fill(5000), ...Array(300).fill(3)];
    const trimmed = trimSilence(pcm(samples), { leadMs: 10, tailMs: 40 });
    expect(trimmed.samples.length).toBe(10 + 20 + 40);
    expect(trimmed.samples[10]).toBe(5000);
    expect(trimSilence(pcm([0, 0, 0])).samples.length).toBe(0);
  });
});
