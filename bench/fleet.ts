/**
 * Fleet: N simulated devices (a call display, call pad and rating keypad per counter, N/3 counters)
 * as real MQTT clients on the controller's broker, the controller in its own process (the release
 * build, as `npm start` runs it), with a queue of waiting citizens and background traffic (ticket
 * presses and ratings) at a set rate. Measured at the devices: from a call pad's "next" to the
 * counter display receiving the called number, and to a hall page's socket.io event; the
 * controller's resident memory at the end. Sizes: FLEET_SIZES=100,500,1000 (default 100,500);
 * FLEET_CPU_PROF=<folder> has the controller write a CPU profile there.
 */
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import { type CentreConfig, centreConfigSchema } from '../controller/centre/schema.ts';
import type { SimCallPad, SimRatingKeypad } from '../firmware-sim/devices/counter-devices.ts';
import type { SimDispenser } from '../firmware-sim/devices/dispenser.ts';
import type { SimCallDisplay } from '../firmware-sim/devices/displays.ts';
import { createFleet, type Fleet } from '../firmware-sim/fleet.ts';
import {
  type BenchController,
  connectDevices,
  progress,
  startBenchController,
} from './controller-process.ts';
import type { Row } from './table.ts';

const CALLS = 200;
const WAITING = 2_600;
/** Background device events a second (FLEET_BACKGROUND; 0 for none, to see the calls alone). */
const BACKGROUND_PER_S = Number(process.env.FLEET_BACKGROUND ?? 100);
/** The calls stop after this long even if not all CALLS were made (an overloaded controller). */
const CALL_PHASE_MS = 90_000;

export async function benchFleet(sizes = fleetSizes()): Promise<Row[]> {
  const rows: Row[] = [];
  for (const size of sizes) rows.push(...(await fleetOf(size)));
  return rows;
}

function fleetSizes(): number[] {
  const text = process.env.FLEET_SIZES ?? '100,500';
  const sizes = text.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 3))
    throw new Error(`FLEET_SIZES must be numbers ≥ 3: ${text}`);
  return sizes;
}

/** The demo centre with `size` counter devices: its services, zones and staff skills repeated. */
export function fleetCentre(size: number): CentreConfig {
  const demo = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
  const counters = Math.max(1, Math.floor(size / 3));
  const template = demo.counters as { zoneId: string; services: string[] }[];
  const people = demo.staff as { services: string[] }[];
  const config = {
    ...demo,
    counters: Array.from({ length: counters }, (_, i) => ({
      ...template[i % template.length],
      id: `q${i + 1}`,
      number: i + 1,
      name: `Quầy ${i + 1}`,
    })),
    staff: Array.from({ length: counters }, (_, i) => ({
      id: `cb-${i + 1}`,
      name: `Cán bộ ${i + 1}`,
      services: people[i % people.length]?.services ?? [],
    })),
    devices: [
      ...Array.from({ length: counters }, (_, i) => [
        { id: `q${i + 1}-display`, type: 'callDisplay', counterId: `q${i + 1}` },
        { id: `q${i + 1}-pad`, type: 'callPad', counterId: `q${i + 1}` },
        { id: `q${i + 1}-keypad`, type: 'ratingKeypad', counterId: `q${i + 1}` },
      ]).flat(),
      ...(demo.devices as { type: string }[]).filter((d) => d.type === 'dispenser'),
    ],
    serialBuses: [],
  };
  return centreConfigSchema.parse(config);
}

async function fleetOf(size: number): Promise<Row[]> {
  const config = fleetCentre(size);
  let controller: BenchController | null = null;
  let fleet: Fleet | null = null;
  let hall: ReturnType<typeof io> | null = null;
  try {
    // FLEET_CPU_PROF=<folder>: the controller writes a .cpuprofile there when it stops.
    controller = await startBenchController(config, {
      prefix: 'hall-bench-fleet-',
      cpuProfDir: process.env.FLEET_CPU_PROF,
    });
    const { api, runner } = controller;
    // The waiting hall of a busy day: tickets spread over the services the counters serve.
    const services = config.services.map((s) => s.id);
    for (let i = 0; i < WAITING; i += 16)
      await Promise.all(
        Array.from({ length: Math.min(16, WAITING - i) }, (_, j) =>
          api('/tickets', { serviceId: services[(i + j) % services.length], source: 'kiosk' }),
        ),
      );
    progress(`${WAITING} waiting`);
    // Staff sign in after the queue is filled: with no counter open there is no forecast to make
    // for each ticket, so filling costs seconds, not minutes (issuing at 2,600 waiting is measured
    // by the engine benchmark).
    for (const [i, c] of config.counters.entries())
      await api(`/counters/${c.id}/login`, { staffId: config.staff[i]?.id, requestId: `login-${c.id}` });

    fleet = createFleet(config, controller.secrets, controller.mqttUrl, { resendAfterMs: 2_000 });
    const connectRetries = await connectDevices(fleet.devices);
    hall = io(runner.url, { transports: ['websocket'] });
    const hallCalls = new Map<string, number>();
    hall.on('queue:events', (events: { type: string; ticketId?: string }[]) => {
      const now = performance.now();
      for (const e of events) if (e.type === 'ticketCalled' && e.ticketId) hallCalls.set(e.ticketId, now);
    });
    await withTimeout(
      new Promise<void>((resolve) => hall?.once('queue:state', () => resolve())),
      10_000,
      'the hall page got no queue:state',
    );
    progress(`${fleet.devices.length} devices connected`);

    // Background: BACKGROUND_PER_S device events, one in ten a ticket press at a dispenser, the
    // rest rating presses, each kind taken round-robin over its devices so that no device passes
    // the controller's per-device limit (10 messages/s): a device sends at most 5/s, so a small
    // fleet gets a lower rate (printed in the notes). Ratings with no visit to rate are refused
    // by the engine after a full decide: still real work.
    let background = 0;
    let backgroundUnanswered = 0;
    let stop = false;
    const keypads = fleet.keypads as SimRatingKeypad[];
    const dispensers = fleet.dispensers as SimDispenser[];
    const rate = Math.min(BACKGROUND_PER_S, keypads.length * 5, dispensers.length * 5 * 10);
    const noise = (async () => {
      const gap = 1000 / rate;
      let next = performance.now();
      let presses = 0;
      let ratings = 0;
      while (!stop && rate > 0) {
        next += gap;
        await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
        const sent =
          background++ % 10 === 0
            ? dispensers[presses++ % dispensers.length]?.press(services[presses % services.length] as string)
            : keypads[ratings++ % keypads.length]?.press(1);
        // A refusal is an answer; only silence (the device gave up after 10 s) is counted.
        void sent?.catch(() => backgroundUnanswered++);
      }
    })();
    const started = performance.now();

    const toDisplay: number[] = [];
    const toHall: number[] = [];
    let emptyCalls = 0;
    let unanswered = 0;
    let notShown = 0;
    let notAtHall = 0;
    const callsUntil = performance.now() + CALL_PHASE_MS;
    let calls = 0;
    for (let i = 0; i < CALLS && performance.now() < callsUntil; i++) {
      calls++;
      const counter = config.counters[i % config.counters.length];
      if (!counter) break;
      const pad = fleet.atCounter<SimCallPad>(counter.id, 'callPad');
      const display = fleet.atCounter<SimCallDisplay>(counter.id, 'callDisplay');
      if (!pad || !display) throw new Error(`no pad or display at ${counter.id}`);
      await pad.press('finish').catch(() => undefined);
      const t0 = performance.now();
      let shownAt = 0;
      const on = (message: { blink?: boolean }) => {
        if (message.blink && !shownAt) shownAt = performance.now();
      };
      display.on('display', on);
      const answer = await pad.press('next').catch(() => null);
      if (!answer) {
        display.off('display', on);
        unanswered++; // the controller did not answer within the device's 10 s
        continue;
      }
      const data = answer.data as { ticketId?: string } | undefined;
      if (answer.status !== 'ok' || !data?.ticketId) {
        display.off('display', on);
        emptyCalls++;
        continue;
      }
      const deadline = performance.now() + 5_000;
      while (!shownAt && performance.now() < deadline) await new Promise((r) => setTimeout(r, 1));
      display.off('display', on);
      if (shownAt) toDisplay.push(shownAt - t0);
      else notShown++;
      while (!hallCalls.has(data.ticketId) && performance.now() < deadline)
        await new Promise((r) => setTimeout(r, 1));
      const atHall = hallCalls.get(data.ticketId);
      if (atHall !== undefined) toHall.push(atHall - t0);
      else notAtHall++;
      if ((i + 1) % 50 === 0) progress(`${i + 1} calls`);
    }
    const elapsed = performance.now() - started;
    stop = true;
    await noise;
    const rssMb = controller.residentMb();
    const missed = [
      emptyCalls ? `${emptyCalls} calls found nobody or were refused` : '',
      calls < CALLS ? `only ${calls} of ${CALLS} calls made in ${CALL_PHASE_MS / 1000} s` : '',
      unanswered ? `${unanswered} of ${calls} calls unanswered in 10 s` : '',
      notShown ? `${notShown} calls not on the display within 5 s` : '',
      connectRetries ? `${connectRetries} device connections retried` : '',
      backgroundUnanswered ? `${backgroundUnanswered} background events unanswered in 10 s` : '',
    ].filter(Boolean);
    const note = `${fleet.devices.length} devices, ${WAITING} waiting, background ${Math.round((background / elapsed) * 1000)}/s; controller RSS ${rssMb} MB${missed.length ? `; ${missed.join('; ')}` : ''}`;
    return [
      {
        name: `fleet ${size}: call pad next → counter display`,
        ops: toDisplay.length,
        totalMs: elapsed,
        samples: toDisplay,
        note,
      },
      {
        name: `fleet ${size}: call pad next → hall page (socket.io)`,
        ops: toHall.length,
        totalMs: elapsed,
        samples: toHall,
        note: notAtHall ? `${notAtHall} calls not on the hall page within 5 s` : undefined,
      },
    ];
  } catch (error) {
    // The controller's own log says why (it is removed with the folder below).
    if (controller)
      process.stderr.write(`\nfleet ${size}: failed; the controller's log ends:\n${controller.logTail()}\n`);
    throw error;
  } finally {
    hall?.close();
    if (fleet) await Promise.all(fleet.devices.map((d) => d.stop().catch(() => undefined)));
    await controller?.stop();
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
