#!/usr/bin/env node
/**
 * `npm run check-host`: checks a mini PC before the controller's first start and says what to fix.
 * Plain JavaScript with Node's own modules only, so it runs before anything is built and on any
 * Node version (it checks that one too). Reads the same settings as `npm start`: HTTP_PORT,
 * MQTT_PORT, MQTT_TLS_PORT, BIND_HOST, DATA_DIR, CENTRE_CONFIG (and --data-dir / --config).
 *
 *   ✔ fine   ! worth a look (the controller still starts)   ✖ must be fixed first (exit code 1)
 *
 * Run it as the user the service runs as: sudo -u hall npm run check-host
 */
import { execFileSync } from 'node:child_process';
import { constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { access, mkdir, open, rm, statfs } from 'node:fs/promises';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));
const MIN_NODE = 20;
/** Below this the controller refuses new tickets (it keeps 4 MiB and warns well before). */
const FAIL_FREE_MB = 64;
const WARN_FREE_MB = 1024;

const results = [];
const ok = (what) => results.push({ level: 'ok', what });
const warn = (what, fix) => results.push({ level: 'warn', what, fix });
const fail = (what, fix) => results.push({ level: 'fail', what, fix });

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { 'data-dir': { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean' } },
  strict: true,
});
if (values.help) {
  console.log(
    'Usage: npm run check-host -- [--data-dir DIR] [--config FILE]   (or DATA_DIR, CENTRE_CONFIG, HTTP_PORT, MQTT_PORT)',
  );
  process.exit(0);
}
const env = (name) => (process.env[name]?.trim() ? process.env[name].trim() : undefined);
const dataDir = resolve(values['data-dir'] ?? env('DATA_DIR') ?? 'data');
const host = env('BIND_HOST') ?? '0.0.0.0';
const ports = [
  ['HTTP_PORT', env('HTTP_PORT') ?? '8080'],
  ['MQTT_PORT', env('MQTT_PORT') ?? '1883'],
  ...(env('MQTT_TLS_PORT') ? [['MQTT_TLS_PORT', env('MQTT_TLS_PORT')]] : []),
];

// Node.js
const major = Number(process.versions.node.split('.')[0]);
if (major >= MIN_NODE) ok(`Node.js ${process.versions.node} (needs ${MIN_NODE} or later)`);
else
  fail(
    `Node.js ${process.versions.node} is too old (needs ${MIN_NODE} or later)`,
    'install Node.js 20 LTS or later (Debian 13 / Ubuntu 24.04 packages, or NodeSource)',
  );

// The release build
if (
  existsSync(join(root, 'build', 'controller', 'main.js')) &&
  existsSync(join(root, 'display', 'dist', 'index.html'))
)
  ok('release build present (build/controller/main.js, display/dist)');
else
  warn(
    'the release build is missing',
    `run "npm run build" in ${root} (the service runs build/controller/main.js)`,
  );

// The user
const user = userInfo();
if (user.uid === 0)
  warn(
    'running as root',
    'the service runs as user "hall": check as that user (sudo -u hall npm run check-host)',
  );
else ok(`user ${user.username}`);

// Ports
for (const [name, value] of ports) {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`${name}=${value} is not a port number`, `set ${name} to a number between 1 and 65535`);
    continue;
  }
  const problem = await tryListen(port, host);
  if (!problem) ok(`port ${port} (${name}) is free on ${host}`);
  else if (problem === 'EADDRINUSE')
    fail(
      `port ${port} (${name}) is already in use on ${host}`,
      `stop the program using it (sudo ss -ltnp 'sport = :${port}' shows which), or set ${name} to a free port`,
    );
  else if (problem === 'EACCES')
    fail(`not allowed to listen on port ${port} (${name})`, `set ${name} to a port above 1023`);
  else
    fail(
      `cannot listen on port ${port} (${name}) on ${host}: ${problem}`,
      'check BIND_HOST is an address of this machine',
    );
}

// The data folder
await checkDataDir();

// The centre's devices
const config = readCentreConfig();
if (config) {
  const serial = [
    ...(config.devices ?? [])
      .filter((d) => d.transport === 'serial' && d.serial?.path)
      .map((d) => [d.id, d.serial.path]),
    ...(config.serialBuses ?? []).map((b) => [`bus ${b.id}`, b.port?.path]),
  ];
  for (const [id, path] of serial) {
    if (!existsSync(path)) {
      fail(
        `serial device ${id}: ${path} does not exist`,
        `plug it in, or fix its path (ls -l /dev/serial/by-id/ lists the adapters: ${listDir('/dev/serial/by-id').join(', ') || 'none plugged in'})`,
      );
      continue;
    }
    try {
      await access(path, constants.R_OK | constants.W_OK);
      ok(`serial device ${id}: ${path} can be opened`);
    } catch {
      fail(
        `serial device ${id}: ${path} cannot be opened by ${user.username}`,
        `sudo usermod -aG dialout ${user.username} (then restart the service), and install deploy/70-hall-controller.rules`,
      );
    }
  }
  const hid = (config.devices ?? []).filter((d) => d.transport === 'hid');
  if (hid.length) {
    if (hasLibusb()) ok(`libusb found (for ${hid.length} USB HID devices)`);
    else
      fail(
        `libusb-1.0 is missing: the ${hid.length} USB HID devices (${hid.map((d) => d.id).join(', ')}) would stay offline`,
        'sudo apt-get install libusb-1.0-0, and add the makers to deploy/70-hall-controller.rules (docs/usb-hid.md)',
      );
  }
  if (!serial.length && !hid.length)
    ok('no serial or USB devices configured (MQTT devices need nothing on this machine)');
}

// The hall voice
const espeak = process.env.ESPEAK_NG || 'espeak-ng';
const espeakVersion = run(espeak, ['--version']);
if (espeakVersion) ok(`hall voice: ${espeakVersion.split('  ')[0]}`);
else
  warn(
    `the hall voice program ${espeak} cannot run: the hall TV would call with its chime alone`,
    'sudo apt-get install espeak-ng (or set ESPEAK_NG to its path)',
  );

// The clock
const ntp = run('timedatectl', ['show', '-p', 'NTPSynchronized', '--value']);
if (ntp === 'yes') ok('clock synchronised by NTP');
else if (ntp === 'no')
  warn(
    'the clock is not synchronised by NTP',
    'sudo apt-get install systemd-timesyncd (or chrony) and check "timedatectl"; a wrong clock starts the wrong service day (docs/deployment.md#time)',
  );
else
  warn(
    'cannot tell whether the clock is synchronised (no timedatectl)',
    'make sure NTP runs (chrony or systemd-timesyncd)',
  );

// Report
const mark = { ok: '✔', warn: '!', fail: '✖' };
for (const r of results) {
  console.log(`${mark[r.level]} ${r.what}`);
  if (r.fix) console.log(`    fix: ${r.fix}`);
}
const failed = results.filter((r) => r.level === 'fail').length;
const warned = results.filter((r) => r.level === 'warn').length;
console.log(
  failed
    ? `\n${failed} problem(s) to fix before the first start${warned ? `, ${warned} to look at` : ''}.`
    : `\nReady for the first start${warned ? ` (${warned} to look at)` : ''}.`,
);
process.exit(failed ? 1 : 0);

function tryListen(port, address) {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', (error) => done(error.code ?? error.message));
    server.listen({ port, host: address, exclusive: true }, () => server.close(() => done(null)));
  });
}

async function checkDataDir() {
  if (existsSync(dataDir) && !statSync(dataDir).isDirectory()) {
    fail(
      `DATA_DIR ${dataDir} is a file, not a folder`,
      'set DATA_DIR to a folder (the service uses /var/lib/hall-controller)',
    );
    return;
  }
  const probe = join(dataDir, `.check-host-${process.pid}`);
  try {
    await mkdir(dataDir, { recursive: true });
    const handle = await open(probe, 'w');
    await handle.writeFile('check');
    await handle.sync();
    await handle.close();
    await rm(probe);
    ok(`DATA_DIR ${dataDir} is writable (files fsynced)`);
  } catch (error) {
    await rm(probe, { force: true }).catch(() => undefined);
    fail(
      `DATA_DIR ${dataDir} is not writable by ${user.username} (${error.code ?? error.message})`,
      `sudo install -d -o ${user.username} -g ${user.username} -m 0700 ${dataDir}`,
    );
    return;
  }
  const fs = await statfs(dataDir);
  const freeMb = Math.floor((fs.bavail * fs.bsize) / 1024 / 1024);
  if (freeMb < FAIL_FREE_MB)
    fail(
      `only ${freeMb} MB free on the disk of ${dataDir}`,
      'free space or give DATA_DIR a bigger disk (a day of a busy centre journals a few MB)',
    );
  else if (freeMb < WARN_FREE_MB)
    warn(`${freeMb} MB free on the disk of ${dataDir}`, 'a year of journal and backups wants at least 1 GB');
  else ok(`${freeMb} MB free on the disk of ${dataDir}`);
  const type = run('stat', ['-f', '-c', '%T', dataDir]);
  if (type === 'tmpfs' || type === 'ramfs')
    fail(
      `DATA_DIR ${dataDir} is in memory (${type}): everything is lost at a power cut`,
      'put DATA_DIR on a disk',
    );
}

function readCentreConfig() {
  const live = join(dataDir, 'centre.json');
  const file = existsSync(live)
    ? live
    : resolve(values.config ?? env('CENTRE_CONFIG') ?? join(root, 'config', 'demo-centre.json'));
  try {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const config = file === live ? json.config : json;
    ok(`centre configuration ${file}${config?.centre?.name ? ` (${config.centre.name})` : ''}`);
    return config ?? null;
  } catch (error) {
    fail(
      `cannot read the centre configuration ${file}: ${error.message}`,
      'set CENTRE_CONFIG to the centre file (docs/configuration.md)',
    );
    return null;
  }
}

function hasLibusb() {
  const cache = run('ldconfig', ['-p']) ?? run('/sbin/ldconfig', ['-p']) ?? '';
  if (cache.includes('libusb-1.0.so.0')) return true;
  return ['/lib', '/usr/lib', '/lib64', '/usr/lib64']
    .flatMap((d) => [
      d,
      ...listDir(d)
        .filter((n) => n.endsWith('-linux-gnu'))
        .map((n) => join(d, n)),
    ])
    .some((d) => existsSync(join(d, 'libusb-1.0.so.0')));
}

function listDir(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function run(program, args) {
  try {
    return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}
