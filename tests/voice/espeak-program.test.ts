import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EspeakProgram } from '../../controller/voice/espeak.ts';
import { parseWav } from '../../controller/voice/wav.ts';
import { requireProgram } from '../helpers/system-tools.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'espeak-'));
  dirs.push(dir);
  return dir;
}

describe('the voice program (Debian espeak-ng, run as its own process)', () => {
  it('says why it is off when the program is missing, and finds it once installed', async () => {
    const dir = tempDir();
    const program = join(dir, 'espeak-ng');
    let now = 0;
    const synth = new EspeakProgram(program, () => now);
    expect(await synth.engine()).toBeNull();
    expect(await synth.unavailable()).toMatch(/cannot run .*apt-get install espeak-ng.*ESPEAK_NG/);
    await expect(synth.synthesize('Mời công dân', 'vi', 150)).rejects.toThrow(/apt-get install espeak-ng/);

    // A stand-in program that prints a version and a one-sample WAV (no espeak-ng needed here).
    writeFileSync(
      program,
      '#!/bin/sh\nif [ "$1" = --version ]; then echo "eSpeak NG text-to-speech: 9.99  Data at: /x"; exit 0; fi\ncat >/dev/null; printf "RIFF"\n',
    );
    chmodSync(program, 0o755);
    // Not looked for again at once (a hall retries every 30 s: no process per request)…
    now = 59_000;
    expect(await synth.engine()).toBeNull();
    // …but after a minute.
    now = 60_000;
    expect(await synth.engine()).toBe('espeak-ng@9.99');
    expect(await synth.unavailable()).toBeNull();
  });

  it('reports a program that fails with its message, and never takes the text as an option', async () => {
    const dir = tempDir();
    const program = join(dir, 'espeak-ng');
    const args = join(dir, 'args');
    writeFileSync(
      program,
      `#!/bin/sh\nif [ "$1" = --version ]; then echo "eSpeak NG text-to-speech: 1.0"; exit 0; fi\necho "$@" > ${args}\ncat >/dev/null\necho "voice does not exist" >&2\nexit 1\n`,
    );
    chmodSync(program, 0o755);
    const synth = new EspeakProgram(program);
    await expect(synth.synthesize('--help', 'vi', 150)).rejects.toThrow(
      /exited with 1: voice does not exist/,
    );
    expect(readFileSync(args, 'utf8').trim()).toBe('-v vi -s 150 -b 1 --stdout');
  });

  it.runIf(requireProgram('espeak-ng', 'espeak-ng'))('makes Vietnamese speech from UTF-8 text', async () => {
    const dir = tempDir();
    // By path too (ESPEAK_NG may name one).
    symlinkSync(
      execFileSync('sh', ['-c', 'command -v espeak-ng'], { encoding: 'utf8' }).trim(),
      join(dir, 'voice'),
    );
    const synth = new EspeakProgram(join(dir, 'voice'));
    expect(await synth.engine()).toMatch(/^espeak-ng@\d+\.\d+/);
    const [a, b] = await Promise.all([
      synth.synthesize('Mời công dân có số thứ tự', 'vi', 150),
      synth.synthesize('đến quầy số', 'vi', 150),
    ]);
    for (const wav of [a, b]) {
      const pcm = parseWav(wav as Uint8Array);
      expect(pcm.sampleRate).toBe(22050);
      expect(pcm.samples.length / pcm.sampleRate).toBeGreaterThan(0.5);
      expect(Math.max(...pcm.samples.map(Math.abs))).toBeGreaterThan(4000);
    }
    await synth.close();
  });
});
