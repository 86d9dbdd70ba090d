/**
 * The soak run's controller: the release build (`node build/controller/main.js`, as `npm start` and
 * the service unit run it) in its own process, restarted at once when it dies — as systemd's
 * Restart= would — so a SIGKILL is a real crash with a real restart on the same data folder.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONTROLLER_NODE_FLAGS, controllerEnv } from '../process-env.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunnerOptions {
  dataDir: string;
  httpPort: number;
  mqttPort: number;
  clockFile: string;
  logFile: string;
  /** The centre configuration to start from (CENTRE_CONFIG); the demo centre when absent. */
  configFile?: string;
  /** Extra Node options before the script, e.g. `--cpu-prof` for a profile (the benchmarks). */
  nodeArgs?: string[];
}

export class ControllerRunner {
  readonly #o: RunnerOptions;
  readonly #log: WriteStream;
  #child: ChildProcess | null = null;
  #stopping = false;
  starts = 0;
  crashes = 0;
  /** Real ms from each kill (or crash) to /healthz ready again. */
  readonly recoveries: number[] = [];

  constructor(options: RunnerOptions) {
    this.#o = options;
    this.#log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** The running controller's process id, if it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#o.httpPort}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        ...CONTROLLER_NODE_FLAGS,
        ...(this.#o.nodeArgs ?? []),
        '--import',
        join(ROOT, 'scripts/soak/clock-shift.mjs'),
        join(ROOT, 'build/controller/main.js'),
      ],
      {
        cwd: ROOT,
        // As npm start and the service unit run it (scripts/process-env.mjs).
        env: {
          ...controllerEnv(),
          DATA_DIR: this.#o.dataDir,
          HTTP_PORT: String(this.#o.httpPort),
          MQTT_PORT: String(this.#o.mqttPort),
          BIND_HOST: '127.0.0.1',
          PUBLIC_URL: `http://127.0.0.1:${this.#o.httpPort}`,
          LOG_LEVEL: 'warn',
          SOAK_CLOCK_FILE: this.#o.clockFile,
          ...(this.#o.configFile ? { CENTRE_CONFIG: this.#o.configFile } : {}),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.#child = child;
    this.starts++;
    child.stdout?.pipe(this.#log, { end: false });
    child.stderr?.pipe(this.#log, { end: false });
    child.on('exit', (code, signal) => {
      if (this.#child !== child) return;
      this.#child = null;
      if (this.#stopping) return;
      this.crashes++;
      this.#log.write(`\n=== soak: controller exited (${signal ?? code}); restarting ===\n`);
      const since = Date.now();
      void this.start().then(() => this.recoveries.push(Date.now() - since));
    });
    await this.waitReady();
  }

  /** Resolves once /healthz answers 200 (ready: state loaded, every listener up). */
  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const ok = await fetch(`${this.url}/healthz`)
        .then((r) => r.status === 200)
        .catch(() => false);
      if (ok) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the controller was not ready within ${timeoutMs} ms (see ${this.#o.logFile})`);
  }

  /** A power cut for the process: SIGKILL, no goodbye. The restart follows by itself. */
  kill(): void {
    this.#child?.kill('SIGKILL');
  }

  /** Stops for good: SIGTERM, and waits for the exit. */
  async stop(): Promise<number | null> {
    this.#stopping = true;
    const child = this.#child;
    if (!child) return null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    this.#log.end();
    return code;
  }
}
