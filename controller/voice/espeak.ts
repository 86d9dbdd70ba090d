/**
 * Speech from eSpeak NG (the npm package `espeak-ng`, compiled to WASM), in a worker thread so the
 * controller's event loop keeps serving devices and pages while a clip is made. The worker starts
 * on the first request and ends after a short idle time: a controller whose hall display never
 * asks for its voice spends nothing on it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Synthesizer {
  /** Names the engine and its version: part of each clip's cache key. */
  readonly engine: string;
  /** WAV bytes of `text` said by `voice` at `speed` words per minute. */
  synthesize(text: string, voice: string, speed: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./espeak-worker.mjs', import.meta.url);
/** A clip takes ~0.2 s; this only catches a worker that hangs. */
const CLIP_TIMEOUT_MS = 30_000;
const IDLE_MS = 15_000;

type Reply = { ready: true } | { id: number; wav: Uint8Array } | { id: number; error: string };

export function espeakVersion(): string {
  const require = createRequire(import.meta.url);
  return `espeak-ng-wasm@${(require('espeak-ng/package.json') as { version: string }).version}`;
}

export class EspeakSynthesizer implements Synthesizer {
  readonly engine = espeakVersion();
  #worker: Worker | null = null;
  #nextId = 1;
  /** The request in the worker now (one at a time, so each is timed on its own). */
  #current: { id: number; resolve: (wav: Uint8Array) => void; reject: (e: Error) => void } | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #idle: NodeJS.Timeout | null = null;

  synthesize(text: string, voice: string, speed: number): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#run(text, voice, speed));
    this.#queue = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#idle) clearTimeout(this.#idle);
    await this.#stop(new Error('speech synthesizer closed'));
  }

  #run(text: string, voice: string, speed: number): Promise<Uint8Array> {
    if (this.#idle) clearTimeout(this.#idle);
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.#stop(new Error(`espeak-ng took longer than ${CLIP_TIMEOUT_MS} ms`));
      }, CLIP_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        this.#current = null;
        this.#scheduleIdleStop();
      };
      this.#current = {
        id,
        resolve: (wav) => {
          done();
          resolve(wav);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      worker.postMessage({ id, text, voice, speed });
    });
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL);
    // Never what keeps the process alive: the HTTP server does that while the controller runs.
    worker.unref();
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply || reply.id !== this.#current?.id) return;
      if ('error' in reply) this.#current.reject(new Error(reply.error));
      else this.#current.resolve(reply.wav);
    });
    const lost = (error: Error) => {
      if (this.#worker !== worker) return; // already replaced or stopped on purpose
      this.#worker = null;
      this.#current?.reject(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`speech worker exited (${code})`)));
    this.#worker = worker;
    return worker;
  }

  async #stop(reason: Error): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    this.#current?.reject(reason);
    await worker?.terminate();
  }

  #scheduleIdleStop(): void {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (!this.#current) void this.#stop(new Error('idle'));
    }, IDLE_MS);
    this.#idle.unref();
  }
}
