/**
 * Exactly-once handling of device events under MQTT QoS 1 (at least once): each event names
 * itself by (boot id, seq). A repeat is recognised and answered with the first answer; a late
 * event (lower seq, not seen) is accepted but counted as out of order.
 */
import { DEVICE_LIMITS } from '../../devices/limits.ts';

const WINDOW = DEVICE_LIMITS.dedupeWindow;
const REMEMBERED_ANSWERS = DEVICE_LIMITS.rememberedAnswers;

export type Delivery = 'new' | 'outOfOrder' | 'duplicate';

interface Stream {
  boot: string;
  highest: number;
  seen: Set<number>;
  answers: Map<number, unknown>;
}

export class EventDedupe {
  readonly #streams = new Map<string, Stream>();

  classify(deviceId: string, boot: string, seq: number): Delivery {
    let stream = this.#streams.get(deviceId);
    if (!stream || stream.boot !== boot) {
      // A new boot starts a new stream; the previous boot's events cannot come again.
      stream = { boot, highest: -1, seen: new Set(), answers: new Map() };
      this.#streams.set(deviceId, stream);
    }
    if (stream.seen.has(seq) || seq <= stream.highest - WINDOW) return 'duplicate';
    stream.seen.add(seq);
    const late = seq < stream.highest;
    stream.highest = Math.max(stream.highest, seq);
    if (stream.seen.size > WINDOW) {
      for (const s of stream.seen) if (s <= stream.highest - WINDOW) stream.seen.delete(s);
    }
    return late ? 'outOfOrder' : 'new';
  }

  /** Remember the answer given to an event, to repeat it if the event comes again. */
  remember(deviceId: string, seq: number, answer: unknown): void {
    const stream = this.#streams.get(deviceId);
    if (!stream) return;
    stream.answers.set(seq, answer);
    if (stream.answers.size > REMEMBERED_ANSWERS) {
      const oldest = stream.answers.keys().next().value as number;
      stream.answers.delete(oldest);
    }
  }

  answerTo(deviceId: string, seq: number): unknown {
    return this.#streams.get(deviceId)?.answers.get(seq);
  }
}
