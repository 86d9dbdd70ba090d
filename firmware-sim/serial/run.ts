/**
 * `npm run sim:serial`: the centre's serial devices, simulated on real pseudo-terminal pairs
 * (socat): a thermal ticket printer (what it prints appears here, with the QR payload), an RS-485
 * bus of counter displays, and a serial scanner you type codes into (one per line).
 * It writes a copy of the centre configuration pointing at the pseudo-terminals and prints the
 * command that starts the controller on it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { SerialPort } from 'serialport';
import { DEMO_CENTRE_FILE } from '../../controller/centre/load.ts';
import { DisplayBusSim } from './display-bus-sim.ts';
import { EscPosPrinterSim } from './escpos-printer-sim.ts';

const dir = resolve(process.env.SIM_DIR ?? 'data-serial-sim');
mkdirSync(dir, { recursive: true });
const socats: ChildProcess[] = [];

async function pair(name: string): Promise<{ host: string; device: string }> {
  const host = join(dir, `${name}-host`);
  const device = join(dir, `${name}-device`);
  const socat = spawn('socat', [`pty,raw,echo=0,link=${host}`, `pty,raw,echo=0,link=${device}`], {
    stdio: 'ignore',
  });
  socat.on('error', () => {
    console.error('socat is missing: apt-get install -y socat');
    process.exit(1);
  });
  socats.push(socat);
  for (let i = 0; i < 250 && !(existsSync(host) && existsSync(device)); i++)
    await new Promise((r) => setTimeout(r, 20));
  return { host, device };
}

function open(path: string, baudRate: number): Promise<SerialPort> {
  return new Promise((done, fail) => {
    const port = new SerialPort({ path, baudRate }, (error) => (error ? fail(error) : done(port)));
  });
}

const [printerPair, busPair, scannerPair] = [
  await pair('printer'),
  await pair('rs485'),
  await pair('scanner'),
];

const config = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
for (const device of config.devices) {
  // The demo centre has its serial devices as not installed: here they are, on pseudo-terminals.
  if (device.transport === 'serial') device.installed = true;
  if (device.transport === 'serial' && device.type === 'dispenser') device.serial.path = printerPair.host;
  if (device.transport === 'serial' && device.type === 'scanner') device.serial.path = scannerPair.host;
}
for (const bus of config.serialBuses) bus.port.path = busPair.host;
const configFile = join(dir, 'centre-serial.json');
writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);

const printerPort = await open(printerPair.device, 19_200);
const printer = new EscPosPrinterSim({ paper: 50, answer: (bytes) => printerPort.write(bytes) });
printerPort.on('data', (chunk: Buffer) => printer.write(chunk));
printer.on('ticket', (ticket) => {
  console.log(
    `\n── printed (${printer.paper} sheets left) ──\n${ticket.lines.join('\n')}\n[QR] ${ticket.qr}\n──`,
  );
});

const addresses = config.devices
  .filter((d: { busId?: string }) => d.busId)
  .map((d: { address: number }) => d.address);
const bus = new DisplayBusSim(addresses);
bus.attach(await open(busPair.device, 9600));
bus.on('shown', (address: number, shown: { mode: string; label: string }) => {
  console.log(`display ${address}: ${shown.mode} ${shown.label}`);
});

const scanner = await open(scannerPair.device, 9600);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim()) scanner.write(`${line.trim()}\r`);
});

console.log(`Serial devices simulated on pseudo-terminals in ${dir}.
Start the controller on them (another terminal):
  npm start -- --config ${configFile} --data-dir data-serial --import-config
Then print on the serial printer:
  curl -X POST localhost:8080/api/tickets -H "authorization: Bearer $(npm run -s kiosk-token -- kiosk-c --data-dir data-serial)" -H 'content-type: application/json' -d '{"serviceId":"cu-tru","source":"kiosk","printAt":"kiosk-c"}'
Type a code here and press Enter to scan it (e.g. QMS-APPT:<booking id>). Ctrl+C to stop.`);

const stop = () => {
  for (const s of socats) s.kill();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
