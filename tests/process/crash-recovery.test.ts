/**
 * Power cut in the middle of a busy morning: SIGKILL during a burst of ticket requests, then a
 * restart. Every acknowledged ticket must be there, none twice, and numbering must go on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  getJson,
  kioskToken,
  postJson,
  type RunningController,
  startController,
  tempDataDir,
} from '../helpers/controller-process.ts';

const SERVICES = ['dat-dai', 'tu-phap-ho-tich', 'tra-ket-qua', 'thue'];
const TOTAL_REQUESTS = 1500;
const KILL_AFTER_ACKS = 500;
const IN_FLIGHT = 40;

interface Acked {
  requestId: string;
  id: string;
  label: string;
  serviceId: string;
  number: number;
}

describe('crash recovery', () => {
  let running: RunningController | undefined;
  const data = tempDataDir('hall-crash-');
  afterEach(() => {
    running?.child.kill('SIGKILL');
    data.remove();
  });

  it('keeps every acknowledged ticket, duplicates none, and continues numbering after SIGKILL mid-burst', async () => {
    const kiosk = await kioskToken(data.dir);
    running = await startController(data.dir);
    const first = running;
    const acked: Acked[] = [];
    let sent = 0;
    let failed = 0;
    let killed = false;

    const worker = async () => {
      while (sent < TOTAL_REQUESTS) {
        const i = sent++;
        const serviceId = SERVICES[i % SERVICES.length] as string;
        try {
          const res = await postJson(
            `${first.url}/api/tickets`,
            {
              serviceId,
              source: 'kiosk',
              requestId: `burst-${i}`,
            },
            kiosk,
          );
          if (res.status !== 201) throw new Error(`status ${res.status}`);
          const t = res.json.ticket;
          acked.push({
            requestId: `burst-${i}`,
            id: t.id,
            label: t.label,
            serviceId: t.serviceId,
            number: Number(t.label.slice(1)),
          });
          if (!killed && acked.length >= KILL_AFTER_ACKS) {
            killed = true;
            first.child.kill('SIGKILL');
          }
        } catch {
          failed++;
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    expect(await first.exited).toBe(null); // killed by signal, not a clean exit
    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(killed).toBe(true);
    expect(failed).toBeGreaterThan(0); // requests really were cut off mid-flight

    running = await startController(data.dir);
    const queue = (await getJson(`${running.url}/api/queue`)).json;
    const byId = new Map<string, { label: string; serviceId: string }>(
      queue.tickets.map((t: Acked) => [t.id, t]),
    );

    for (const a of acked) {
      expect(byId.get(a.id), `acknowledged ticket ${a.id} lost`).toMatchObject({
        label: a.label,
        serviceId: a.serviceId,
      });
    }
    console.info(
      `crash test: ${sent} requests sent, ${acked.length} acknowledged before SIGKILL, ${failed} cut off, ${queue.tickets.length} tickets on disk after restart`,
    );
    const labels = queue.tickets.map((t: Acked) => t.label);
    expect(new Set(labels).size).toBe(labels.length);
    // Numbers in each service run 1..n without holes: nothing issued twice, nothing skipped.
    for (const serviceId of SERVICES) {
      const numbers = queue.tickets
        .filter((t: Acked) => t.serviceId === serviceId)
        .map((t: Acked) => Number(t.label.slice(1)))
        .sort((x: number, y: number) => x - y);
      expect(numbers).toEqual(numbers.map((_: number, k: number) => k + 1));
    }

    // A retried request whose ticket was durable before the crash gets that ticket back, not a new one.
    const sample = acked[acked.length - 1] as Acked;
    const retry = await postJson(
      `${running.url}/api/tickets`,
      {
        serviceId: sample.serviceId,
        source: 'kiosk',
        requestId: sample.requestId,
      },
      kiosk,
    );
    expect(retry.status).toBe(200);
    expect(retry.json.ticket.id).toBe(sample.id);

    for (const serviceId of SERVICES) {
      const next = await postJson(`${running.url}/api/tickets`, { serviceId, source: 'kiosk' }, kiosk);
      expect(next.status).toBe(201);
      const maxAcked = Math.max(...acked.filter((a) => a.serviceId === serviceId).map((a) => a.number));
      expect(Number(next.json.ticket.label.slice(1))).toBeGreaterThan(maxAcked);
    }
  }, 120_000);
});
