/**
 * The controller as a real child process (what `npm start` runs), on ephemeral ports and a temp
 * data folder. Ports are read back from the "controller ready" log line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KioskCredentials } from '../../controller/security/kiosk-credentials.ts';

const ROOT = resolve(import.meta.dirname, '../..');

export interface RunningController {
  child: ChildProcess;
  httpPort: number;
  mqttPort: number;
  url: string;
  dataDir: string;
  /** Everything the process printed so far. */
  output: () => string;
  exited: Promise<number | null>;
}

export function tempDataDir(prefix = 'hall-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function spawnController(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'controller/main.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      LOG_PRETTY: '0',
      LOG_LEVEL: 'info',
      HTTP_PORT: '0',
      MQTT_PORT: '0',
      BIND_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function startController(
  dataDir: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<RunningController> {
  const child = spawnController(['--data-dir', dataDir, ...args], env);
  let out = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`controller did not get ready:\n${out}`)), 20_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n')) {
        if (!line.includes('"controller ready"')) continue;
        const ready = JSON.parse(line) as { httpPort: number; mqttPort: number };
        clearTimeout(timer);
        resolveReady({
          child,
          httpPort: ready.httpPort,
          mqttPort: ready.mqttPort,
          url: `http://127.0.0.1:${ready.httpPort}`,
          dataDir,
          output: () => out,
          exited,
        });
        return;
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`controller exited with ${code} before it was ready:\n${out}`));
    });
  });
}

/** Runs the controller until it exits by itself (start-up failures); returns code and output. */
export function runUntilExit(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const child = spawnController(args, env);
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((done) =>
    child.once('exit', (code) => {
      clearTimeout(killer);
      done({ code, output });
    }),
  );
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary response JSON with expect()
export type ResponseJson = any;

/** Who calls: a session cookie from signIn(), or a kiosk's credential from kioskToken(). */
export type Caller = string | { bearer: string };

function callerHeaders(caller: Caller | undefined): Record<string, string> {
  if (!caller) return {};
  return typeof caller === 'string' ? { cookie: caller } : { authorization: `Bearer ${caller.bearer}` };
}

/** A registered kiosk's credential for a dispenser, as `npm run kiosk-token` makes it (a running controller picks it up). */
export async function kioskToken(dataDir: string, dispenserId = 'kiosk-a'): Promise<{ bearer: string }> {
  const kiosks = new KioskCredentials(dataDir);
  await kiosks.load();
  return { bearer: (await kiosks.issue(dispenserId, 'test')).token };
}

/** `cookie`: a session cookie from signIn(), or a kiosk (tests of the real access policy). */
export async function postJson(
  url: string,
  body: unknown,
  cookie?: Caller,
  method = 'POST',
): Promise<{ status: number; json: ResponseJson }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...callerHeaders(cookie) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

export async function getJson(url: string, cookie?: Caller): Promise<{ status: number; json: ResponseJson }> {
  const res = await fetch(url, { headers: callerHeaders(cookie) });
  return { status: res.status, json: await res.json() };
}

/** Signs in (POST /api/session) and returns the session cookie to send with later requests. */
export async function signIn(
  baseUrl: string,
  body: { username: string; password: string; counterId?: string },
): Promise<string> {
  const res = await fetch(`${baseUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error('sign-in answered without a session cookie');
  return cookie;
}
