/**
 * Plays announcements with WebAudio: the chime, then the voice clips made by the controller
 * (GET /voice/manifest.json), joined back to back. Every clip is fetched and decoded when the
 * page loads, so a call is heard at once and the TV needs nothing from the internet.
 */
import { CHIME_SPEECH_OFFSET_S, scheduleChime } from './chime.ts';

export type ClipsStatus = 'loading' | 'ready' | 'failed';

export interface PlayerStatus {
  clips: ClipsStatus;
  /** The browser holds the sound until someone touches the screen (no autoplay flag). */
  blocked: boolean;
}

interface Manifest {
  clips: Record<string, string>;
  /** Set when the controller has no voice program: the chime alone, and ask again later. */
  unavailable?: string;
}

/** Pause between the words of one phrase (each clip keeps ~50 ms of its own margins). */
const WORD_GAP_S = 0;
const PHRASE_GAP_S = 0.2;
/** Without sound at all, an announcement still stays on screen this long. */
const SILENT_MS = 4_000;
const RETRY_MS = 30_000;
const PARALLEL_FETCHES = 6;

export class ClipPlayer {
  readonly #context: AudioContext | null;
  readonly #out: GainNode | null;
  readonly #buffers = new Map<string, AudioBuffer>();
  readonly #listeners = new Set<(status: PlayerStatus) => void>();
  #clips: ClipsStatus = 'loading';

  constructor() {
    let context: AudioContext | null = null;
    try {
      context = new AudioContext({ latencyHint: 'playback' });
    } catch {
      // No WebAudio: announcements are shown, not heard.
    }
    this.#context = context;
    this.#out = context ? context.createGain() : null;
    if (context && this.#out) {
      this.#out.connect(context.destination);
      context.addEventListener('statechange', () => this.#emit());
    }
  }

  get status(): PlayerStatus {
    return {
      clips: this.#context ? this.#clips : 'failed',
      blocked: this.#context?.state === 'suspended',
    };
  }

  subscribe(listener: (status: PlayerStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A touch on the "turn the sound on" button. */
  async resume(): Promise<void> {
    await this.#context?.resume();
    this.#emit();
  }

  /** Fetches and decodes every clip; what fails is tried again later, the rest is used meanwhile. */
  async load(): Promise<void> {
    const context = this.#context;
    if (!context) return;
    let complete = false;
    try {
      const res = await fetch('/voice/manifest.json');
      if (!res.ok) throw new Error(`voice manifest: HTTP ${res.status}`);
      const { clips, unavailable } = (await res.json()) as Manifest;
      if (unavailable) throw new Error(`no voice on the controller: ${unavailable}`);
      const todo = Object.entries(clips).filter(([text]) => !this.#buffers.has(text));
      let failures = 0;
      const worker = async () => {
        for (let next = todo.shift(); next; next = todo.shift()) {
          const [text, url] = next;
          try {
            const clip = await fetch(url);
            if (!clip.ok) throw new Error(`HTTP ${clip.status}`);
            this.#buffers.set(text, await context.decodeAudioData(await clip.arrayBuffer()));
          } catch (error) {
            failures++;
            console.warn(`voice clip "${text}" could not be loaded`, error);
          }
        }
      };
      await Promise.all(Array.from({ length: PARALLEL_FETCHES }, worker));
      complete = failures === 0;
    } catch (error) {
      console.warn('voice clips could not be loaded', error);
    }
    this.#clips = complete ? 'ready' : 'failed';
    this.#emit();
    if (!complete) setTimeout(() => void this.load(), RETRY_MS);
  }

  /** Says one announcement: chime, then each clip; resolves when the last one has been heard. */
  async play(parts: readonly (readonly string[])[]): Promise<void> {
    const context = this.#context;
    const out = this.#out;
    if (!context || !out || context.state !== 'running') return sleep(SILENT_MS);
    const start = context.currentTime + 0.05;
    scheduleChime(context, out, start);
    let t = start + CHIME_SPEECH_OFFSET_S;
    for (const phrase of parts) {
      for (const text of phrase) {
        const buffer = this.#buffers.get(text);
        if (!buffer) continue; // a clip that failed to load: the rest is still said
        const source = context.createBufferSource();
        source.buffer = buffer;
        source.connect(out);
        source.start(t);
        t += buffer.duration + WORD_GAP_S;
      }
      t += PHRASE_GAP_S;
    }
    await untilAudioTime(context, t);
  }

  #emit(): void {
    const status = this.status;
    for (const listener of this.#listeners) listener(status);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Waits until the audio clock reaches `end`. The wall clock bounds it too, so a context that
 * stops mid-way (the device went to sleep) never holds the queue for good.
 */
async function untilAudioTime(context: AudioContext, end: number): Promise<void> {
  const deadline = Date.now() + (end - context.currentTime) * 1000 + 3_000;
  while (context.currentTime < end && Date.now() < deadline) {
    await sleep(Math.max(20, (end - context.currentTime) * 1000));
  }
}
