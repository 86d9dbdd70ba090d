/**
 * What the device benchmarks (fleet, dispensers) share: a controller in its own process, the release
 * build as `npm start` runs it (scripts/soak/controller-runner.ts), on a centre of the benchmark's
 * making in a temp folder, its MQTT devices provisioned and a manager signed in; simulated devices
 * connected as real MQTT clients; the controller's memory and metrics.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../controller/accounts/account-store.ts';
import { CentreStore } from '../controller/centre/centre-store.ts';
import { provisionDevices, readDeviceSecrets } from '../controller/centre/provision.ts';
import type { CentreConfig } from '../controller/centre/schema.ts';
import { silentLogger } from '../controller/logger.ts';
import type { SimDevice } from '../firmware-sim/sim-device.ts';
import { freePort } from '../scripts/free-port.ts';
import { ControllerRunner } from '../scripts/soak/controller-runner.ts';

const MANAGER = { username: 'bench-manager', password: 'bench-manager-password' };

export interface BenchController {
  runner: ControllerRunner;
  dataDir: string;
  mqttUrl: string;
  /** Each provisioned MQTT device's secret, by device id. */
  secrets: Record<string, string>;
  /** A POST to `/api<path>` as the signed-in manager; throws on a status ≥ 300. */
  api: (path: string, body: unknown) => Promise<unknown>;
  /** A GET of `/api<path>` as the signed-in manager; throws on a status ≥ 300. */
  get: (path: string) => Promise<unknown>;
  /** `/metrics` as text (this machine may read it without signing in). */
  metrics: () => Promise<string>;
  /** The controller's resident memory now, in MB. */
  residentMb: () => number;
  /** The end of the controller's log (to show why a run failed). */
  logTail: (lines?: number) => string;
  /** Stops the controller (SIGTERM, a clean stop) and removes the temp folder. */
  stop: () => Promise<void>;
}

/**
 * Starts a controller on `config`, its MQTT devices provisioned. `cpuProfDir`: the controller writes
 * a .cpuprofile there when it stops.
 */
/**
 * A data folder for a benchmark's controller: the centre's file beside it, the bench's manager
 * account, and a secret for every MQTT device (returned, for the simulated devices).
 */
export async function prepareDataDir(root: string, dataDir: string, config: CentreConfig) {
  const configFile = join(root, 'centre.json');
  writeFileSync(configFile, JSON.stringify(config));
  mkdirSync(dataDir, { recursive: true });
  const accounts = await AccountStore.open(dataDir);
  await accounts.put({ ...MANAGER, name: 'Bench', role: 'manager' });
  const store = await CentreStore.open({
    dataDir,
    seedFile: configFile,
    importConfig: false,
    logger: silentLogger,
  });
  await provisionDevices(store, dataDir);
  return { configFile, secrets: await readDeviceSecrets(dataDir) };
}

export async function startBenchController(
  config: CentreConfig,
  options: { prefix: string; cpuProfDir?: string },
): Promise<BenchController> {
  const root = mkdtempSync(join(tmpdir(), options.prefix));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'controller.log');
  const { configFile, secrets } = await prepareDataDir(root, dataDir, config);
  const mqttPort = await freePort();
  const runner = new ControllerRunner({
    dataDir,
    httpPort: await freePort(),
    mqttPort,
    clockFile: join(root, 'no-clock-shift'),
    logFile,
    configFile,
    nodeArgs: options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : [],
  });
  const logTail = (lines = 40) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };
  const stop = async () => {
    await runner.stop();
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await runner.start();
    const cookie = await signIn(runner.url);
    const call = (path: string, init: RequestInit) =>
      fetch(`${runner.url}/api${path}`, { ...init, headers: { ...init.headers, cookie } }).then(async (r) => {
        if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
        return r.json() as Promise<unknown>;
      });
    const api = (path: string, body: unknown) =>
      call(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    return {
      runner,
      dataDir,
      mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
      secrets,
      api,
      get: (path) => call(path, { method: 'GET' }),
      metrics: () => fetch(`${runner.url}/metrics`).then((r) => r.text()),
      residentMb: () => residentMb(runner.pid),
      logTail,
      stop,
    };
  } catch (error) {
    process.stderr.write(`\nthe controller did not start; its log ends:\n${logTail()}\n`);
    await stop();
    throw error;
  }
}

/**
 * Connects the devices, 20 at a time. On a loaded machine a device may miss its 5 s CONNACK: it
 * tries again (up to 3 times), as a real one would. Resolves with the number of retries.
 */
export async function connectDevices(devices: readonly SimDevice[]): Promise<number> {
  let retries = 0;
  const connect = async (d: SimDevice) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await d.start();
      } catch (error) {
        if (attempt === 3) throw error;
        retries++;
        await d.stop().catch(() => undefined);
      }
    }
  };
  for (let i = 0; i < devices.length; i += 20) await Promise.all(devices.slice(i, i + 20).map(connect));
  return retries;
}

/** The value of a counter or a histogram's `_count`/`_sum` line in a /metrics text (0 when absent). */
export function metricValue(text: string, name: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** Progress on stderr, between the benchmark's label and its time. */
export function progress(text: string): void {
  process.stderr.write(` [${text}]`);
}

/** Signs the bench's manager in: the session cookie. */
export async function signIn(url: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(MANAGER),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status >= 300 || !cookie) throw new Error(`bench manager cannot sign in: ${res.status}`);
  return cookie;
}

function residentMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
  return Math.round(kb / 1024);
}
