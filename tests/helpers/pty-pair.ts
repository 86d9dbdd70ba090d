/**
 * A real pseudo-terminal pair made by socat: the controller opens one end as if it were a
 * USB-serial adapter, a simulator the other. Stopping socat is pulling the cable out; starting it
 * again on the same names is plugging it back in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export class PtyPair {
  readonly host: string;
  readonly device: string;
  #socat: ChildProcess | null = null;

  constructor(dir: string, name: string) {
    this.host = join(dir, `${name}-host`);
    this.device = join(dir, `${name}-device`);
  }

  async plug(): Promise<void> {
    const socat = spawn('socat', [`pty,raw,echo=0,link=${this.host}`, `pty,raw,echo=0,link=${this.device}`], {
      stdio: 'ignore',
    });
    this.#socat = socat;
    const deadline = Date.now() + 5000;
    while (!(existsSync(this.host) && existsSync(this.device))) {
      if (Date.now() > deadline || socat.exitCode !== null)
        throw new Error('socat did not create the pty pair');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async unplug(): Promise<void> {
    const socat = this.#socat;
    this.#socat = null;
    if (!socat || socat.exitCode !== null) return;
    const gone = new Promise((resolve) => socat.once('exit', resolve));
    socat.kill('SIGTERM');
    await gone;
    const deadline = Date.now() + 2000;
    while ((existsSync(this.host) || existsSync(this.device)) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}
