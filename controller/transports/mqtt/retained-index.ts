/**
 * aedes' in-memory persistence, with its retained messages also indexed by exact topic.
 *
 * On every SUBSCRIBE aedes asks the persistence for the retained messages matching the new
 * subscriptions, and the in-memory one tests every retained topic against each pattern. The
 * centre retains a display state per counter display and per hall, so with 1,000 devices each
 * subscribing to its own topics that was O(devices²) when the fleet connects (13 s of the
 * controller's CPU in the fleet benchmark, in the way of everything else), and the same after every
 * restart or network cut. Devices subscribe to exact topics (docs/protocol.md), which a Map answers
 * directly; a pattern with a wildcard (the field monitor's `#`) still goes through aedes' own scan.
 */
import { Readable } from 'node:stream';
import aedesPersistence, { type AedesPersistence } from 'aedes-persistence';

/** The package is CommonJS (module.exports = the factory); its types declare it as a default export. */
const memory = aedesPersistence as unknown as () => AedesPersistence;

/** What a retained PUBLISH is here: the two fields read (aedes' packet type is a union of all kinds). */
interface Packet {
  topic: string;
  payload: Buffer | string;
}

const hasWildcard = (pattern: string) => pattern.includes('+') || pattern.includes('#');

export function indexedMemoryPersistence(): AedesPersistence {
  const persistence = memory();
  const byTopic = new Map<string, Packet>();
  const store = persistence.storeRetained.bind(persistence);
  const scan = persistence.createRetainedStreamCombi.bind(persistence);
  const scanOne = persistence.createRetainedStream.bind(persistence);
  // Kept as aedes' own store keeps them (an empty payload clears the topic), beside it.
  persistence.storeRetained = ((packet: Packet, cb?: (error: Error | null) => void) => {
    if (packet.payload.length === 0) byTopic.delete(packet.topic);
    else byTopic.set(packet.topic, { ...packet });
    return (store as (p: Packet, cb?: unknown) => unknown)(packet, cb);
  }) as unknown as AedesPersistence['storeRetained'];
  persistence.createRetainedStreamCombi = (patterns: string[]) => {
    if (patterns.some(hasWildcard)) return scan(patterns);
    return Readable.from(patterns.map((t) => byTopic.get(t)).filter((p) => p !== undefined));
  };
  persistence.createRetainedStream = (pattern: string) =>
    hasWildcard(pattern)
      ? scanOne(pattern)
      : Readable.from(byTopic.has(pattern) ? [byTopic.get(pattern)] : []);
  return persistence;
}
