/**
 * The hall's voice clips: one WAV per allowed text, made on first demand and kept on disk in
 * DATA_DIR/voice/<key>.wav, where the key is a hash of (text, voice, speed, engine version, clip
 * format) — a restart finds them again, and a new engine or voice makes new ones.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../logger.ts';
import type { Synthesizer } from './espeak.ts';
import { encodeWav, parseWav, trimSilence } from './wav.ts';

export const VOICE = { voice: 'vi', speed: 150 } as const;
/** Changes whenever what is stored for a text changes (e.g. the trimming), so old files are not reused. */
const CLIP_FORMAT = 'trimmed-v1';

export interface ClipStoreOptions {
  dir: string;
  synth: Synthesizer;
  /** The synthesizer's engine and version (`Synthesizer.engine()`), part of every clip's key. */
  engine: string;
  logger: Logger;
}

export class ClipStore {
  readonly #dir: string;
  readonly #synth: Synthesizer;
  readonly #engine: string;
  readonly #logger: Logger;
  readonly #keys = new Map<string, string>();
  /** Clips being read or made, so two requests for one clip make it once. */
  readonly #loading = new Map<string, Promise<Uint8Array>>();
  readonly #ready = new Map<string, Uint8Array>();

  constructor({ dir, synth, engine, logger }: ClipStoreOptions) {
    this.#dir = dir;
    this.#synth = synth;
    this.#engine = engine;
    this.#logger = logger;
  }

  get engine(): string {
    return this.#engine;
  }

  keyOf(text: string): string {
    let key = this.#keys.get(text);
    if (!key) {
      const identity = JSON.stringify([CLIP_FORMAT, this.#engine, VOICE.voice, VOICE.speed, text]);
      key = createHash('sha256').update(identity).digest('hex').slice(0, 32);
      this.#keys.set(text, key);
    }
    return key;
  }

  /** The clip of `text`: from memory, from disk, or made now. */
  clip(text: string): Promise<Uint8Array> {
    const key = this.keyOf(text);
    const ready = this.#ready.get(key);
    if (ready) return Promise.resolve(ready);
    let loading = this.#loading.get(key);
    if (!loading) {
      loading = this.#load(key, text).finally(() => this.#loading.delete(key));
      this.#loading.set(key, loading);
    }
    return loading;
  }

  /** Makes every clip of `texts` not yet made, in the background (the first hall asking for them). */
  prepare(texts: readonly string[]): void {
    for (const text of texts) {
      if (this.#ready.has(this.keyOf(text))) continue;
      this.clip(text).catch((error: unknown) =>
        this.#logger.error({ err: error, text }, 'could not make a voice clip'),
      );
    }
  }

  /**
   * Retention: removes the clips no text of `keep` (the allow-list in force) needs any more — those of
   * a renamed zone, an older engine, voice or clip format — and temporary files a crash left. The
   * allow-list is bounded by the configuration, so the folder is too.
   */
  async prune(keep: ReadonlySet<string>): Promise<{ removed: number; bytes: number }> {
    const names = await readdir(this.#dir).catch(() => [] as string[]);
    let removed = 0;
    let bytes = 0;
    const ownTemp = `.${process.pid}.tmp`;
    for (const name of names) {
      const stale = name.endsWith('.wav')
        ? !keep.has(name.slice(0, -4))
        : name.endsWith('.tmp') && !name.endsWith(ownTemp);
      if (!stale) continue;
      const file = join(this.#dir, name);
      try {
        bytes += (await stat(file)).size;
        await unlink(file);
        removed++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    for (const key of this.#ready.keys()) if (!keep.has(key)) this.#ready.delete(key);
    if (removed) this.#logger.info({ removed, bytes }, 'voice clips no longer said removed');
    return { removed, bytes };
  }

  async #load(key: string, text: string): Promise<Uint8Array> {
    const file = join(this.#dir, `${key}.wav`);
    let wav: Uint8Array;
    try {
      wav = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const started = Date.now();
      wav = encodeWav(trimSilence(parseWav(await this.#synth.synthesize(text, VOICE.voice, VOICE.speed))));
      await mkdir(this.#dir, { recursive: true });
      // Written aside and renamed, so a power cut never leaves half a clip under its final name.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, wav);
      await rename(tmp, file);
      this.#logger.debug({ text, key, ms: Date.now() - started }, 'voice clip made');
    }
    this.#ready.set(key, wav);
    return wav;
  }
}
