/**
 * The hall display's Vietnamese voice clips. GET /voice/manifest.json lists every clip the hall
 * may play (text → URL) and starts making the missing ones; GET /voice/<key>.wav serves one. Only
 * texts of the allow-list (controller/voice/phrases.ts) are ever synthesized: a key that is not
 * one of them is a 404, whatever it is.
 */
import { join } from 'node:path';
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { CentreConfig } from '../centre/schema.ts';
import type { Logger } from '../logger.ts';
import { ClipStore, VOICE } from '../voice/clip-store.ts';
import { EspeakProgram } from '../voice/espeak.ts';
import { clipTexts } from '../voice/phrases.ts';
import { HttpError } from './errors.ts';

export interface VoiceRouterOptions {
  config: () => CentreConfig;
  dataDir: string;
  /** The espeak-ng program (setting ESPEAK_NG). */
  program: string;
  logger: Logger;
}

const clipParams = z.strictObject({ file: z.string().regex(/^[0-9a-f]{32}\.wav$/) });

/** The routes, and `close` to stop the synthesizer's worker when the controller stops. */
export function createVoiceRouter(options: VoiceRouterOptions): {
  router: Router;
  close: () => Promise<void>;
} {
  const router = express.Router();
  const synth = new EspeakProgram(options.program);
  const dir = join(options.dataDir, 'voice');
  // Made once the engine is known (its version is part of every clip's key).
  let store: ClipStore | null = null;
  let lastReason: string | null = null;
  /** The clip store, or why there is no voice (the program is missing: looked for again later). */
  const clipStore = async (): Promise<ClipStore | { unavailable: string }> => {
    if (store) return store;
    const engine = await synth.engine();
    if (!engine) {
      const unavailable = (await synth.unavailable()) ?? 'the voice program cannot run';
      // Said once, not at every hall's retry.
      if (unavailable !== lastReason) options.logger.warn({ reason: unavailable }, 'the hall voice is off');
      lastReason = unavailable;
      return { unavailable };
    }
    store ??= new ClipStore({ dir, synth, engine, logger: options.logger });
    return store;
  };
  // The allow-list of the configuration in force, key → text.
  const allowed = new WeakMap<CentreConfig, Map<string, string>>();
  const allowList = (store: ClipStore): Map<string, string> => {
    const config = options.config();
    let texts = allowed.get(config);
    if (!texts) {
      texts = new Map(clipTexts(config).map((text) => [store.keyOf(text), text]));
      allowed.set(config, texts);
      // Retention: a configuration in force makes the clips of any earlier one unneeded.
      store
        .prune(new Set(texts.keys()))
        .catch((error: unknown) => options.logger.warn({ err: error }, 'could not prune voice clips'));
    }
    return texts;
  };

  router.get('/voice/manifest.json', async (_req, res) => {
    const found = await clipStore();
    res.set('cache-control', 'no-cache');
    if (!(found instanceof ClipStore)) {
      // The hall then calls with its chime alone, and asks again later.
      res.json({ voice: VOICE.voice, engine: null, unavailable: found.unavailable, clips: {} });
      return;
    }
    const texts = allowList(found);
    found.prepare([...texts.values()]);
    res.json({
      voice: VOICE.voice,
      engine: found.engine,
      clips: Object.fromEntries([...texts].map(([key, text]) => [text, `/voice/${key}.wav`])),
    });
  });

  router.get('/voice/:file', async (req: Request<{ file: string }>, res) => {
    const params = clipParams.safeParse(req.params);
    const found = await clipStore();
    if (!(found instanceof ClipStore)) throw new HttpError(503, 'unavailable', found.unavailable);
    const text = params.success ? allowList(found).get(params.data.file.slice(0, -4)) : undefined;
    if (text === undefined) throw new HttpError(404, 'notFound', `no such voice clip: ${req.params.file}`);
    let wav: Uint8Array;
    try {
      wav = await found.clip(text);
    } catch (error) {
      options.logger.error({ err: error, text }, 'could not make a voice clip');
      throw new HttpError(503, 'unavailable', 'the voice clip could not be made; see the controller log');
    }
    // Named by a hash of everything that makes it: it never changes.
    res.set('cache-control', 'public, max-age=31536000, immutable');
    res.type('audio/wav').send(Buffer.from(wav.buffer, wav.byteOffset, wav.byteLength));
  });

  return { router, close: () => synth.close() };
}
