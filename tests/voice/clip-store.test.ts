import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../controller/logger.ts';
import { ClipStore } from '../../controller/voice/clip-store.ts';
import type { Synthesizer } from '../../controller/voice/espeak.ts';
import { encodeWav } from '../../controller/voice/wav.ts';

/** A synthesizer whose "speech" is a tone as long as the text: enough to make and store clips. */
function toneSynth(engine: string): Synthesizer {
  return {
    engine: async () => engine,
    unavailable: async () => null,
    synthesize: async (text) =>
      encodeWav({
        sampleRate: 8000,
        channels: 1,
        samples: Int16Array.from({ length: text.length * 80 }, () => 8000),
      }),
    close: async () => {},
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('voice clip retention', () => {
  it('removes the clips no text in force needs (renamed zone, older engine) and crash leftovers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clips-'));
    dirs.push(dir);
    const old = new ClipStore({
      dir,
      synth: toneSynth('espeak-ng 1.51'),
      engine: 'espeak-ng 1.51',
      logger: silentLogger,
    });
    await old.clip('Mời công dân có số thứ tự');
    await old.clip('tại Khu A');
    writeFileSync(join(dir, 'abc.wav.999999.tmp'), 'half');
    expect(readdirSync(dir).length).toBe(3);

    const store = new ClipStore({
      dir,
      synth: toneSynth('espeak-ng 1.52'),
      engine: 'espeak-ng 1.52',
      logger: silentLogger,
    });
    const texts = ['Mời công dân có số thứ tự', 'tại Khu B'];
    for (const t of texts) await store.clip(t);
    const result = await store.prune(new Set(texts.map((t) => store.keyOf(t))));
    expect(result.removed).toBe(3); // two clips of the old engine, one temporary file
    expect(readdirSync(dir).sort()).toEqual(texts.map((t) => `${store.keyOf(t)}.wav`).sort());
    // What is kept is still served, from memory or disk.
    expect((await store.clip('tại Khu B')).length).toBeGreaterThan(44);
  });
});
