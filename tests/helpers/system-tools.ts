/**
 * Tests that need a program from Debian (mosquitto clients, socat, chromium). Under CI=true a
 * missing program fails the run (`.ci/run` installs them); elsewhere the tests are skipped with a
 * note saying what to install.
 */
import { spawnSync } from 'node:child_process';

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** True when the tests may run; throws under CI when the program is missing. */
export function requireProgram(name: string, debianPackage: string): boolean {
  if (hasProgram(name)) return true;
  const message = `${name} is missing: apt-get install -y ${debianPackage}`;
  if (process.env.CI === 'true') throw new Error(`${message} (.ci/run installs it)`);
  console.warn(`skipping tests that need ${message}`);
  return false;
}
