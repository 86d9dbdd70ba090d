/** A link to the province that the test drives: it connects, drops, and acknowledges when told. */
import type { LinkStatus, UpstreamTransport, Will } from '../../controller/upstream/mqtt-transport.ts';

export interface Sent {
  topic: string;
  payload: string;
  retain: boolean;
  ack: () => void;
  fail: () => void;
  settled: boolean;
}

export class FakeTransport implements UpstreamTransport {
  status: LinkStatus = { state: 'connecting', problem: null, problemKind: null, since: 0 };
  will: Will | null = null;
  farewell: Will | null = null;
  readonly sent: Sent[] = [];
  /** Acknowledge every publish at once (a fast, healthy broker). */
  autoAck = false;
  #hooks: { onConnect: () => void; onDown: () => void } | null = null;

  start(will: Will, hooks: { onConnect: () => void; onDown: () => void }): void {
    this.will = will;
    this.#hooks = hooks;
  }

  connect(): void {
    this.status = { state: 'connected', problem: null, problemKind: null, since: 0 };
    this.#hooks?.onConnect();
  }

  drop(): void {
    this.status = { state: 'down', problem: 'test', problemKind: 'lost', since: 0 };
    this.#hooks?.onDown();
  }

  publish(topic: string, payload: string, retain: boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const entry: Sent = {
        topic,
        payload,
        retain,
        settled: false,
        ack: () => {
          entry.settled = true;
          resolve();
        },
        fail: () => {
          entry.settled = true;
          reject(new Error('failed'));
        },
      };
      this.sent.push(entry);
      if (this.autoAck) queueMicrotask(entry.ack);
    });
  }

  async stop(farewell?: Will): Promise<void> {
    this.farewell = farewell ?? null;
  }

  /** Sent on `kind` topics (…/visit, …/live, …/daily/<day>, …/status), parsed. */
  of(kind: string): { payload: Record<string, unknown>; entry: Sent }[] {
    return this.sent
      .filter((s) => s.topic.split('/').slice(4).join('/').startsWith(kind))
      .map((entry) => ({ payload: JSON.parse(entry.payload) as Record<string, unknown>, entry }));
  }
}
