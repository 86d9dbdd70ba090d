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
import { EspeakSynthesizer } from '../voice/espeak.ts';
import { clipTexts } from '../voice/phrases.ts';
import { HttpError } from './errors.ts';

export interface VoiceRouterOptions {
  config: () => CentreConfig;
  dataDir: string;
  logger: Logger;
}

const clipParams = z.strictObject({ file: z.string().regex(/^[0-9a-f]{32}\.wav$/) });

/** The routes, and `close` to stop the synthesizer's worker when the controller stops. */
export function createVoiceRouter(options: VoiceRouterOptions): {
  router: Router;
  close: () => Promise<void>;
} {
  const router = express.Router();
  const synth = new EspeakSynthesizer();
  const store = new ClipStore({ dir: join(options.dataDir, 'voice'), synth, logger: options.logger });
  // The allow-list of the configuration in force, key → text.
  const allowed = new WeakMap<CentreConfig, Map<string, string>>();
  const allowList = (): Map<string, string> => {
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

  router.get('/voice/manifest.json', (_req, res) => {
    const texts = allowList();
    store.prepare([...texts.values()]);
    res.set('cache-control', 'no-cache');
    res.json({
      voice: VOICE.voice,
      engine: synth.engine,
      clips: Object.fromEntries([...texts].map(([key, text]) => [text, `/voice/${key}.wav`])),
    });
  });

  router.get('/voice/:file', async (req: Request<{ file: string }>, res) => {
    const params = clipParams.safeParse(req.params);
    const text = params.success ? allowList().get(params.data.file.slice(0, -4)) : undefined;
    if (text === undefined) throw new HttpError(404, 'notFound', `no such voice clip: ${req.params.file}`);
    let wav: Uint8Array;
    try {
      wav = await store.clip(text);
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
