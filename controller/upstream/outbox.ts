/**
 * The publisher's ordered outbox: messages that must reach the province in order (visit records,
 * then a day's summary after the day's records), each sent QoS 1 and kept until the broker
 * acknowledges it. Pure bookkeeping, no I/O, time passed in:
 *
 * - at most `maxInFlight` sent and not acknowledged, at most `ratePerSecond` sent per second;
 * - a checkpoint (the cursor to write) is released only when every item pushed before it is
 *   acknowledged: the cursor advances over a contiguous acknowledged prefix, never past a gap;
 * - an item whose send failed, or that waited too long for its acknowledgement, is sent again (the
 *   receiver keeps one copy per message id).
 */

export interface OutboxMessage {
  topic: string;
  payload: string;
  retain: boolean;
  /** A visit record's journal seq (null for a summary). */
  seq: number | null;
  /** A visit record's end (for the age of the backlog). */
  endedAt: number | null;
}

export interface OutboxItem extends OutboxMessage {
  pos: number;
  state: 'queued' | 'inFlight' | 'acked';
  sentAt: number;
  sends: number;
}

export interface OutboxOptions {
  maxInFlight: number;
  ratePerSecond: number;
}

export class Outbox<C> {
  readonly #opts: OutboxOptions;
  /** Unacknowledged items (and acknowledged ones behind a gap), in order, from `#head`. */
  #items: OutboxItem[] = [];
  #head = 0;
  #nextPos = 0;
  #inFlight = 0;
  #records = 0;
  #checkpoints: { afterPos: number; data: C }[] = [];
  #tokens: number;
  #refilledAt = Number.NEGATIVE_INFINITY;
  #ackedSeq: number;

  constructor(opts: OutboxOptions, ackedSeq = 0) {
    this.#opts = opts;
    this.#tokens = this.#burst;
    this.#ackedSeq = ackedSeq;
  }

  get #burst(): number {
    return Math.max(1, Math.min(this.#opts.ratePerSecond, this.#opts.maxInFlight));
  }

  /** Items not yet acknowledged (or behind one that is not). */
  get length(): number {
    return this.#items.length - this.#head;
  }

  /** Visit records among them. */
  get records(): number {
    return this.#records;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  /** Seq of the last visit record of the acknowledged prefix. */
  get ackedSeq(): number {
    return this.#ackedSeq;
  }

  /** The end of the oldest visit record not acknowledged, or null. */
  get oldestEndedAt(): number | null {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as OutboxItem;
      if (item.state !== 'acked' && item.endedAt !== null) return item.endedAt;
    }
    return null;
  }

  push(message: OutboxMessage): void {
    this.#items.push({ ...message, pos: this.#nextPos++, state: 'queued', sentAt: 0, sends: 0 });
    if (message.seq !== null) this.#records++;
  }

  /** `data` becomes releasable once everything pushed so far is acknowledged. */
  checkpoint(data: C): void {
    const last = this.#checkpoints.at(-1);
    if (last && last.afterPos === this.#nextPos) last.data = data;
    else this.#checkpoints.push({ afterPos: this.#nextPos, data });
  }

  /** The items to send now, marked in flight: the oldest queued ones, within the in-flight and rate limits. */
  due(now: number): OutboxItem[] {
    this.#refill(now);
    const out: OutboxItem[] = [];
    for (let i = this.#head; i < this.#items.length; i++) {
      if (this.#inFlight >= this.#opts.maxInFlight || this.#tokens < 1) break;
      const item = this.#items[i] as OutboxItem;
      if (item.state !== 'queued') continue;
      item.state = 'inFlight';
      item.sentAt = now;
      item.sends++;
      this.#inFlight++;
      this.#tokens--;
      out.push(item);
    }
    return out;
  }

  /** When the next token comes, if sending is held back by the rate alone. */
  nextTokenIn(now: number): number {
    this.#refill(now);
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) * 1000) / this.#opts.ratePerSecond);
  }

  /**
   * The broker acknowledged `item`. Returns the newest checkpoint now released (everything pushed
   * before it acknowledged), or null.
   */
  ack(item: OutboxItem): C | null {
    if (item.state === 'acked') return null;
    if (item.state === 'inFlight') this.#inFlight--;
    item.state = 'acked';
    while (this.#head < this.#items.length && (this.#items[this.#head] as OutboxItem).state === 'acked') {
      const done = this.#items[this.#head++] as OutboxItem;
      if (done.seq !== null) {
        this.#records--;
        this.#ackedSeq = Math.max(this.#ackedSeq, done.seq);
      }
    }
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return this.settle();
  }

  /** The newest checkpoint whose items are all acknowledged (released once), or null. */
  settle(): C | null {
    let released: C | null = null;
    const firstUnacked = this.#items[this.#head]?.pos ?? this.#nextPos;
    while (this.#checkpoints.length && (this.#checkpoints[0]?.afterPos ?? 0) <= firstUnacked)
      released = (this.#checkpoints.shift() as { data: C }).data;
    return released;
  }

  /** The send failed (link lost before it went out): send it again. */
  fail(item: OutboxItem): void {
    if (item.state !== 'inFlight') return;
    item.state = 'queued';
    this.#inFlight--;
  }

  /** Counts the wait for every in-flight item from `now` (the link is back and resends them). */
  touchInFlight(now: number): void {
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as OutboxItem;
      if (item.state === 'inFlight') item.sentAt = now;
    }
  }

  /** In-flight items sent before `now - ms`: sent again (their acknowledgement may never come). */
  expire(now: number, ms: number): number {
    let n = 0;
    for (let i = this.#head; i < this.#items.length; i++) {
      const item = this.#items[i] as OutboxItem;
      if (item.state === 'inFlight' && now - item.sentAt > ms) {
        this.fail(item);
        n++;
      }
    }
    return n;
  }

  #refill(now: number): void {
    if (this.#refilledAt === Number.NEGATIVE_INFINITY) this.#refilledAt = now;
    const gained = ((now - this.#refilledAt) * this.#opts.ratePerSecond) / 1000;
    this.#tokens = Math.min(this.#burst, this.#tokens + gained);
    this.#refilledAt = now;
  }
}
