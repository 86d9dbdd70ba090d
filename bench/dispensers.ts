/**
 * Dispensers (issue 14): durable tickets a second from many dispensers at once over MQTT. N simulated
 * dispensers (firmware-sim, real MQTT clients with the firmware's behaviour: one event in flight,
 * resend after 3 s, every `print` command printed and answered) on the embedded broker of a
 * controller in its own process (the release build, as `npm start` runs it). Each presses a service
 * button of its zone, waits for the answer (`res` with the ticket, sent only once the ticket is
 * fsynced), and presses again. Measured at the devices: acknowledged tickets a second and the time
 * from press to answer. Afterwards every acknowledged ticket is looked up in the journal on disk; one
 * missing fails the benchmark.
 *
 * The per-device rate limit (DEVICE_LIMITS, 10 messages/s) is not raised: a ticket costs its
 * dispenser two messages (the `button` event and the `print` reply), so each dispenser presses at
 * most at 90 % of 5 tickets/s and a fleet of N cannot pass N × 4.5 tickets/s; the row notes say when
 * that, not the controller, is the bound. No counter is open (no wait forecast per ticket; that cost
 * is the engine rows').
 * Sizes: DISPENSER_SIZES=10,100,500 (the default); DISPENSER_SECONDS (default 10) of pressing after
 * a 2 s warm-up; DISPENSER_CPU_PROF=<folder> has the controller write a CPU profile there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_CENTRE_FILE } from '../controller/centre/load.ts';
import { type CentreConfig, centreConfigSchema } from '../controller/centre/schema.ts';
import type { QueueEvent } from '../controller/core/events.ts';
import { readEventsAfter } from '../controller/journal/journal-reader.ts';
import { DEVICE_LIMITS } from '../devices/limits.ts';
import type { SimDispenser } from '../firmware-sim/devices/dispenser.ts';
import { createFleet, type Fleet } from '../firmware-sim/fleet.ts';
import {
  type BenchController,
  connectDevices,
  metricValue,
  progress,
  startBenchController,
} from './controller-process.ts';
import type { Row } from './table.ts';

/** Messages a ticket costs its dispenser: the button event and the reply to the print command. */
const MESSAGES_PER_TICKET = 2;
/** A dispenser's fastest pace: 90 % of what the device rate limit lets it sustain. */
const MAX_TICKETS_PER_S = (DEVICE_LIMITS.ratePerSecond / MESSAGES_PER_TICKET) * 0.9;
const PRESS_GAP_MS = 1000 / MAX_TICKETS_PER_S;
const WARM_UP_MS = 2_000;
/** A roll per dispenser that outlasts the run (a real one holds ~500 tickets and is refilled). */
const PAPER = 1_000_000;

export async function benchDispensers(sizes = dispenserSizes()): Promise<Row[]> {
  const seconds = Number(process.env.DISPENSER_SECONDS ?? 10);
  if (!(seconds > 0)) throw new Error(`DISPENSER_SECONDS must be a number > 0`);
  const rows: Row[] = [];
  for (const size of sizes) rows.push(await dispensersOf(size, seconds * 1000));
  return rows;
}

function dispenserSizes(): number[] {
  const text = process.env.DISPENSER_SIZES ?? '10,100,500';
  const sizes = text.split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`DISPENSER_SIZES must be whole numbers ≥ 1: ${text}`);
  return sizes;
}

/** The demo centre with `size` MQTT dispensers, spread over its zones, and no other device. */
function dispenserCentre(size: number): CentreConfig {
  const demo = JSON.parse(readFileSync(DEMO_CENTRE_FILE, 'utf8'));
  const zones = (demo.zones as { id: string }[]).map((z) => z.id);
  return centreConfigSchema.parse({
    ...demo,
    devices: Array.from({ length: size }, (_, i) => ({
      id: `kiosk-${i + 1}`,
      type: 'dispenser',
      zoneId: zones[i % zones.length],
    })),
    serialBuses: [],
  });
}

async function dispensersOf(size: number, measureMs: number): Promise<Row> {
  const config = dispenserCentre(size);
  let controller: BenchController | null = null;
  let fleet: Fleet | null = null;
  try {
    controller = await startBenchController(config, {
      prefix: 'hall-bench-dispensers-',
      cpuProfDir: process.env.DISPENSER_CPU_PROF,
    });
    fleet = createFleet(config, controller.secrets, controller.mqttUrl, { paper: PAPER });
    const dispensers = fleet.dispensers as SimDispenser[];
    const connectRetries = await connectDevices(dispensers);
    // Each one presses only once its setup (the services of its zone) has come, as firmware does.
    const setupBy = performance.now() + 10_000;
    while (dispensers.some((d) => d.services.length === 0) && performance.now() < setupBy) await sleep(20);
    const noSetup = dispensers.filter((d) => d.services.length === 0).length;
    if (noSetup) throw new Error(`${noSetup} of ${size} dispensers got no setup within 10 s`);
    progress(`${size} dispensers connected`);

    const metricsBefore = await controller.metrics();
    const acked = new Map<string, string>(); // ticket id → dispenser
    const samples: number[] = [];
    const refusals = new Map<string, number>();
    let unanswered = 0;
    let inWindow = 0;
    let lastAnswerAt = 0;
    const t0 = performance.now();
    const measureFrom = t0 + WARM_UP_MS;
    const until = measureFrom + measureMs;
    const press = async (d: SimDispenser, offset: number) => {
      await sleep(offset); // spread over one gap, not all at once
      for (let n = 0; performance.now() < until; n++) {
        const pressedAt = performance.now();
        const service = d.services[n % d.services.length]?.id as string;
        const answer = await d.press(service).catch(() => null);
        const answeredAt = performance.now();
        const counted = pressedAt >= measureFrom;
        if (!answer)
          unanswered++; // no answer within the device's 10 s, resends included
        else if (answer.status === 'ok') {
          acked.set((answer.data as { ticketId: string }).ticketId, d.id);
          if (counted) {
            samples.push(answeredAt - pressedAt);
            inWindow++;
            lastAnswerAt = Math.max(lastAnswerAt, answeredAt);
          }
        } else {
          const code = answer.error?.code ?? 'error';
          refusals.set(code, (refusals.get(code) ?? 0) + 1);
        }
        await sleep(pressedAt + PRESS_GAP_MS - performance.now());
      }
    };
    await Promise.all(dispensers.map((d, i) => press(d, (i / dispensers.length) * PRESS_GAP_MS)));
    const totalMs = Math.max(lastAnswerAt, until) - measureFrom;
    progress(`${acked.size} tickets`);

    // Every print command is answered by the dispenser that got it (the sims print at once).
    const printed = () => dispensers.reduce((sum, d) => sum + d.printed.length, 0);
    const printsBy = performance.now() + 10_000;
    while (printed() < acked.size && performance.now() < printsBy) await sleep(20);
    const metricsAfter = await controller.metrics();
    const fsyncs =
      metricValue(metricsAfter, 'hall_journal_fsync_seconds_count') -
      metricValue(metricsBefore, 'hall_journal_fsync_seconds_count');
    const fsyncSeconds =
      metricValue(metricsAfter, 'hall_journal_fsync_seconds_sum') -
      metricValue(metricsBefore, 'hall_journal_fsync_seconds_sum');
    const cpuSeconds =
      metricValue(metricsAfter, 'process_cpu_seconds_total') -
      metricValue(metricsBefore, 'process_cpu_seconds_total');
    const rssMb = controller.residentMb();
    const devices = (await controller.get('/devices')) as {
      devices: { errors: Record<string, number> }[];
    };
    const deviceErrors = new Map<string, number>();
    for (const d of devices.devices)
      for (const [kind, count] of Object.entries(d.errors))
        if (count) deviceErrors.set(kind, (deviceErrors.get(kind) ?? 0) + count);

    // Durable: every acknowledged ticket is in the journal on disk, issued by the dispenser that got it.
    const journaled = new Map<string, string | undefined>(); // ticket id → by
    for await (const batch of readEventsAfter<QueueEvent>(join(controller.dataDir, 'journal'), 0))
      for (const e of batch) if (e.type === 'ticketIssued') journaled.set(e.ticket.id, e.by);
    const missing = [...acked].filter(([id, by]) => journaled.get(id) !== by);
    if (missing.length)
      throw new Error(
        `dispensers ${size}: ${missing.length} of ${acked.size} acknowledged tickets are not in the journal as issued by their dispenser (first: ${missing[0]?.join(' from ')})`,
      );
    const unacked = [...journaled.values()].filter((by) => by?.startsWith('kiosk-')).length - acked.size;

    const cap = Math.round(size * MAX_TICKETS_PER_S);
    const rate = (inWindow / totalMs) * 1000;
    const capped = rate >= cap * 0.95 ? ' (the pace, not the controller, is the bound)' : '';
    const issues = [
      printed() < acked.size ? `only ${printed()} of ${acked.size} tickets printed` : '',
      unanswered ? `${unanswered} presses unanswered in 10 s` : '',
      unacked ? `${unacked} tickets journaled whose answer never came` : '',
      [...refusals].map(([code, n]) => `${n} refused ${code}`).join(', '),
      [...deviceErrors].map(([kind, n]) => `${n} ${kind} counted against devices`).join(', '),
      connectRetries ? `${connectRetries} connections retried` : '',
    ].filter(Boolean);
    return {
      name: `dispensers ${size}: button → res (durable ticket)`,
      ops: inWindow,
      totalMs,
      samples,
      note:
        `all ${acked.size.toLocaleString('en-US')} acknowledged tickets found in the journal on disk (all waiting at the end: no counter open); ` +
        `${fsyncs.toLocaleString('en-US')} fsyncs (${(acked.size / Math.max(1, fsyncs)).toFixed(1)} tickets each, ${((fsyncSeconds * 1000) / Math.max(1, fsyncs)).toFixed(1)} ms each); ` +
        `pace ≤ ${MAX_TICKETS_PER_S} tickets/s per dispenser (device limit ${DEVICE_LIMITS.ratePerSecond} msg/s, ${MESSAGES_PER_TICKET} per ticket): fleet cap ${cap.toLocaleString('en-US')}/s${capped}; ` +
        `controller CPU ${((cpuSeconds * 1000) / Math.max(1, acked.size)).toFixed(2)} ms a ticket (user + system, warm-up included), RSS ${rssMb} MB${issues.length ? `; ${issues.join('; ')}` : ''}`,
    };
  } catch (error) {
    if (controller)
      process.stderr.write(
        `\ndispensers ${size}: failed; the controller's log ends:\n${controller.logTail()}\n`,
      );
    throw error;
  } finally {
    if (fleet) await Promise.all(fleet.devices.map((d) => d.stop().catch(() => undefined)));
    await controller?.stop();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
