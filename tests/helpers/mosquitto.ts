/**
 * A real Mosquitto broker for tests (Debian `mosquitto`), on a free port of 127.0.0.1 in a temp
 * folder: anonymous, or with a password file made by `mosquitto_passwd`. It can be stopped and
 * started again on the same port (a link outage), keeping its persistent sessions on disk.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { requireProgram } from './system-tools.ts';

/** True when Mosquitto is installed (under CI=true a missing one fails the run). */
export function haveMosquitto(): boolean {
  return requireProgram('mosquitto', 'mosquitto') && requireProgram('mosquitto_passwd', 'mosquitto');
}

export interface MosquittoOptions {
  /** user → password; none: anonymous clients are allowed. */
  users?: Record<string, string>;
  /** A second listener with TLS (PEM files, readable by the broker's user). */
  tls?: { certFile: string; keyFile: string };
}

export class Mosquitto {
  readonly dir: string;
  port = 0;
  /** The TLS listener's port (with `tls`). */
  tlsPort = 0;
  #child: ChildProcess | null = null;
  #log = '';

  constructor(readonly options: MosquittoOptions = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'mosquitto-'));
    // The broker drops root privileges to its own user: let it read and write its folder.
    chmodSync(this.dir, 0o777);
  }

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  /** What the broker printed (for failure messages). */
  get log(): string {
    return this.#log;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    if (this.options.tls && !this.tlsPort) this.tlsPort = await freePort();
    const users = this.options.users;
    const lines = [
      `listener ${this.port} 127.0.0.1`,
      `allow_anonymous ${users ? 'false' : 'true'}`,
      'persistence true',
      `persistence_location ${this.dir}/`,
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'max_queued_messages 100000',
      'max_inflight_messages 0',
    ];
    if (users) {
      const file = join(this.dir, 'passwords');
      writeFileSync(file, '');
      for (const [user, password] of Object.entries(users)) {
        const made = spawnSync('mosquitto_passwd', ['-b', file, user, password], { encoding: 'utf8' });
        if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
      }
      chmodSync(file, 0o644);
      lines.push(`password_file ${file}`);
    }
    const tls = this.options.tls;
    if (tls) {
      for (const file of [tls.certFile, tls.keyFile]) chmodSync(file, 0o644);
      lines.push(`listener ${this.tlsPort} 127.0.0.1`, `certfile ${tls.certFile}`, `keyfile ${tls.keyFile}`);
    }
    const conf = join(this.dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => {
      this.#log += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    while (!(await accepts(this.port)) || (this.tlsPort && !(await accepts(this.tlsPort)))) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}):\n${this.#log}`);
      if (Date.now() > deadline) throw new Error(`mosquitto did not start on ${this.port}:\n${this.#log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops the broker (SIGTERM: it saves its sessions) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const broker = new Mosquitto(options);
  await broker.start();
  return broker;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
