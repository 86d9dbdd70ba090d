import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Controller } from '../../controller/controller.ts';
import { silentLogger } from '../../controller/logger.ts';
import { settingsWith } from '../../controller/settings.ts';
import { NUMBER_WORDS } from '../../controller/voice/number-words.ts';
import { PHRASES } from '../../controller/voice/phrases.ts';
import { parseWav } from '../../controller/voice/wav.ts';
import { startInProcess } from '../helpers/controller-in-process.ts';
import { tempDataDir } from '../helpers/controller-process.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const data = tempDataDir('hall-voice-');
afterAll(() => data.remove());

async function start(): Promise<{ url: string; stop: () => Promise<void> }> {
  const controller = new Controller(
    settingsWith({ httpPort: 0, mqttPort: 0, host: '127.0.0.1', dataDir: data.dir, logLevel: 'silent' }),
    silentLogger,
  );
  const started = await controller.start();
  return { url: `http://127.0.0.1:${started.httpPort}`, stop: () => controller.stop() };
}

interface Manifest {
  voice: string;
  engine: string;
  clips: Record<string, string>;
}

async function fetchAll(url: string, manifest: Manifest): Promise<Map<string, Buffer>> {
  const clips = new Map<string, Buffer>();
  for (const [text, path] of Object.entries(manifest.clips)) {
    const res = await fetch(`${url}${path}`);
    expect(res.status, text).toBe(200);
    clips.set(text, Buffer.from(await res.arrayBuffer()));
  }
  return clips;
}

const voiceDir = join(data.dir, 'voice');
const files = () =>
  Object.fromEntries(
    readdirSync(voiceDir).map((f) => {
      const s = statSync(join(voiceDir, f));
      return [f, `${s.ino}:${s.mtimeMs}:${s.size}`];
    }),
  );

// The two starts share one data folder: the second must find the clips the first made.
describe.runIf(requireProgram('espeak-ng', 'espeak-ng'))('hall voice clips', { timeout: 120_000 }, () => {
  let manifest: Manifest;
  let first: Map<string, Buffer>;
  let made: Record<string, string>;

  it('makes nothing until a hall asks, then lists every clip the demo centre needs', async () => {
    const ctl = await start();
    try {
      expect(existsSync(voiceDir)).toBe(false);
      const res = await fetch(`${ctl.url}/voice/manifest.json`);
      expect(res.status).toBe(200);
      manifest = (await res.json()) as Manifest;
      expect(manifest).toMatchObject({ voice: 'vi', engine: expect.stringMatching(/^espeak-ng@\d/) });
      const texts = Object.keys(manifest.clips);
      // Two zones in the demo centre: the zones are named, so "tại" and both zones' spoken names are there.
      expect(texts).toEqual(
        expect.arrayContaining([
          PHRASES.invite,
          PHRASES.toCounter,
          PHRASES.at,
          'khu A, tầng một',
          'khu B, tầng một',
          ...NUMBER_WORDS,
        ]),
      );
      expect(texts).toHaveLength(3 + NUMBER_WORDS.length + 2);
      for (const path of Object.values(manifest.clips)) expect(path).toMatch(/^\/voice\/[0-9a-f]{32}\.wav$/);

      first = await fetchAll(ctl.url, manifest);
      made = files();
      expect(Object.keys(made)).toHaveLength(texts.length);
    } finally {
      await ctl.stop();
    }
  });

  it('serves a clip as a valid WAV of speech, cached for good', async () => {
    const ctl = await start();
    try {
      const res = await fetch(`${ctl.url}${manifest.clips[PHRASES.invite]}`);
      expect(res.headers.get('content-type')).toMatch(/^audio\/wav/);
      expect(res.headers.get('cache-control')).toMatch(/immutable/);
      const wav = parseWav(new Uint8Array(await res.arrayBuffer()));
      expect(wav).toMatchObject({ sampleRate: 22050, channels: 1 });
      const seconds = wav.samples.length / wav.sampleRate;
      expect(seconds).toBeGreaterThan(0.8); // seven syllables
      expect(seconds).toBeLessThan(4);
      expect(Math.max(...wav.samples.map(Math.abs))).toBeGreaterThan(4000);
      // Trimmed: the clip starts and ends close to its speech.
      const loud = (i: number) => Math.abs(wav.samples[i] as number) > 256;
      const lastLoud = wav.samples.findLastIndex((_, i) => loud(i));
      expect(wav.samples.length - lastLoud).toBeLessThan(0.06 * wav.sampleRate);
    } finally {
      await ctl.stop();
    }
  });

  it('finds its clips again after a restart on the same data folder, without making them again', async () => {
    const ctl = await start();
    try {
      const again = (await (await fetch(`${ctl.url}/voice/manifest.json`)).json()) as Manifest;
      expect(again.clips).toEqual(manifest.clips);
      const second = await fetchAll(ctl.url, again);
      for (const [text, wav] of first) expect(second.get(text)?.equals(wav), text).toBe(true);
      // Same files, untouched: not one was synthesized and written again.
      expect(files()).toEqual(made);
    } finally {
      await ctl.stop();
    }
  });

  it('answers 404 for any clip not on the allow-list', async () => {
    const ctl = await start();
    try {
      for (const path of [
        '/voice/0123456789abcdef0123456789abcdef.wav',
        '/voice/not-a-clip.wav',
        '/voice/..%2Fcentre.json',
        `${manifest.clips[PHRASES.invite]?.slice(0, -4)}.mp3`,
      ]) {
        const res = await fetch(`${ctl.url}${path}`);
        expect(res.status, path).toBe(404);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('notFound');
      }
    } finally {
      await ctl.stop();
    }
  });
});

describe('hall voice without its program', () => {
  it('lists no clips and says why, so the hall calls with its chime; a clip is 503 with the fix', async () => {
    const centre = await startInProcess(undefined, { espeakProgram: '/nonexistent/espeak-ng' });
    try {
      const res = await fetch(`${centre.url}/voice/manifest.json`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        engine: null,
        clips: {},
        unavailable: expect.stringMatching(/apt-get install espeak-ng/),
      });
      const clip = await fetch(`${centre.url}/voice/0123456789abcdef0123456789abcdef.wav`);
      expect(clip.status).toBe(503);
      expect(((await clip.json()) as { error: { message: string } }).error.message).toMatch(/espeak-ng/);
    } finally {
      await centre.stop();
    }
  });
});
