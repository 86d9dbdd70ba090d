/**
 * Speech from eSpeak NG, the program (Debian's `espeak-ng` package), run as a separate process per
 * clip. Separate on purpose: eSpeak NG is GPL-3.0-or-later, and a program the controller runs is not
 * part of the controller (the npm WebAssembly build, linked into the process, was; docs/security.md
 * "Licences"). A process also keeps the synthesis off the controller's event loop and its memory.
 *
 * The text goes in on stdin, never as an argument, so no configured name can be read as an option.
 */
import { execFile, spawn } from 'node:child_process';

export interface Synthesizer {
  /**
   * Names the engine and its version (part of each clip's cache key), or null when it cannot run
   * (`unavailable` then says why and what to install). Finding out runs the program once.
   */
  engine(): Promise<string | null>;
  /** Why the engine cannot run (with what to do), or null when it can. */
  unavailable(): Promise<string | null>;
  /** WAV bytes of `text` said by `voice` at `speed` words per minute. */
  synthesize(text: string, voice: string, speed: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A clip takes ~0.1 s; this only catches a program that hangs. */
const CLIP_TIMEOUT_MS = 30_000;
/** One clip per core at most (a mini PC has 2–4): the hall asks for a whole manifest at once. */
const PARALLEL = 2;
/** A missing program is looked for again after this long (installed while the controller runs). */
const RECHECK_MS = 60_000;
const MAX_CLIP_BYTES = 8 * 1024 * 1024;

type Probe = { engine: string } | { missing: string; at: number };

export class EspeakProgram implements Synthesizer {
  readonly #program: string;
  readonly #now: () => number;
  #probe: Promise<Probe> | null = null;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #children = new Set<ReturnType<typeof spawn>>();
  #closed = false;

  /** `program`: the espeak-ng executable (a name on PATH or a path; setting ESPEAK_NG). */
  constructor(program = 'espeak-ng', now: () => number = () => performance.now()) {
    this.#program = program;
    this.#now = now;
  }

  async engine(): Promise<string | null> {
    const probe = await this.#probed();
    return 'engine' in probe ? probe.engine : null;
  }

  async unavailable(): Promise<string | null> {
    const probe = await this.#probed();
    return 'missing' in probe ? probe.missing : null;
  }

  async synthesize(text: string, voice: string, speed: number): Promise<Uint8Array> {
    const reason = await this.unavailable();
    if (reason) throw new Error(reason);
    await this.#slot();
    try {
      return await this.#run(text, voice, speed);
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const child of this.#children) child.kill('SIGKILL');
  }

  async #probed(): Promise<Probe> {
    const probe = this.#probe;
    if (probe) {
      const found = await probe;
      if (!('missing' in found) || this.#now() - found.at < RECHECK_MS) return found;
      if (this.#probe === probe) this.#probe = null;
    }
    this.#probe ??= this.#look();
    return this.#probe;
  }

  #look(): Promise<Probe> {
    return new Promise<Probe>((resolve) => {
      execFile(this.#program, ['--version'], { timeout: 5_000 }, (error, stdout) => {
        // "eSpeak NG text-to-speech: 1.51  Data at: …"
        const version = /text-to-speech:\s*(\S+)/.exec(stdout)?.[1];
        if (!error && version) resolve({ engine: `espeak-ng@${version}` });
        else
          resolve({
            missing: `the voice program ${this.#program} cannot run (${error?.message.split('\n')[0] ?? 'no version printed'}): install it with "sudo apt-get install espeak-ng", or set ESPEAK_NG to its path`,
            at: this.#now(),
          });
      });
    });
  }

  #slot(): Promise<void> {
    if (this.#running < PARALLEL) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.#waiting.push(() => {
        this.#running++;
        resolve();
      }),
    );
  }

  #run(text: string, voice: string, speed: number): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new Error('speech synthesizer closed'));
    return new Promise((resolve, reject) => {
      // -b 1: the input is UTF-8 (Vietnamese diacritics); --stdout: the WAV on stdout.
      const child = spawn(this.#program, ['-v', voice, '-s', String(speed), '-b', '1', '--stdout'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: CLIP_TIMEOUT_MS,
        killSignal: 'SIGKILL',
      });
      this.#children.add(child);
      const out: Buffer[] = [];
      let bytes = 0;
      let errors = '';
      child.stdout.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_CLIP_BYTES) child.kill('SIGKILL');
        else out.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (errors.length < 2_000) errors += chunk.toString('utf8');
      });
      child.on('error', (error) => {
        this.#children.delete(child);
        reject(new Error(`espeak-ng could not be run: ${error.message}`));
      });
      child.on('close', (code, signal) => {
        this.#children.delete(child);
        if (code === 0 && bytes > 0 && bytes <= MAX_CLIP_BYTES) resolve(new Uint8Array(Buffer.concat(out)));
        else {
          const why = signal
            ? `was stopped (${signal}${bytes > MAX_CLIP_BYTES ? ', clip too long' : ', too slow'})`
            : `exited with ${code}`;
          reject(new Error(`espeak-ng ${why}: ${errors.trim() || 'no message'}`));
        }
      });
      // A closed stdin (the program died first) must not become an unhandled error.
      child.stdin.on('error', () => {});
      child.stdin.end(text, 'utf8');
    });
  }
}
