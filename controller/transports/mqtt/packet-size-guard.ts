/**
 * Oversize MQTT packets are refused as their fixed header arrives, before their body is buffered
 * (issue 13: a 100 MB publish used to be read whole, acknowledged, then dropped, and the
 * controller's memory grew by 90 MB). Device messages are small JSON: MAX_PACKET_BYTES leaves
 * ample room. `PacketSizeGuard` follows the packet boundaries in the byte stream (fixed header
 * byte, remaining length as a varint, body) without keeping any of it; `guardedConnection` puts it
 * in front of a socket: a packet that announces more than the limit closes the connection.
 */

import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export const MAX_PACKET_BYTES = 64 * 1024;

export class PacketSizeGuard {
  #state: 'header' | 'length' | 'body' = 'header';
  #length = 0;
  #multiplier = 1;
  #lengthBytes = 0;
  #remaining = 0;

  constructor(readonly maxBytes = MAX_PACKET_BYTES) {}

  /** Follows a chunk of the stream: false once a packet announces more than the limit (or a bad length). */
  feed(chunk: Uint8Array): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.#state === 'header') {
        i += 1;
        this.#state = 'length';
        this.#length = 0;
        this.#multiplier = 1;
        this.#lengthBytes = 0;
      } else if (this.#state === 'length') {
        const b = chunk[i] as number;
        i += 1;
        this.#length += (b & 0x7f) * this.#multiplier;
        this.#multiplier *= 128;
        this.#lengthBytes += 1;
        if (this.#length > this.maxBytes) return false;
        if ((b & 0x80) === 0) {
          this.#remaining = this.#length;
          this.#state = this.#remaining > 0 ? 'body' : 'header';
        } else if (this.#lengthBytes >= 4) {
          return false; // at most 4 length bytes in MQTT
        }
      } else {
        const take = Math.min(this.#remaining, chunk.length - i);
        i += take;
        this.#remaining -= take;
        if (this.#remaining === 0) this.#state = 'header';
      }
    }
    return true;
  }
}

/** The socket as the broker reads it, with the guard in front; the socket is closed on an oversize packet. */
export function guardedConnection(
  socket: Socket,
  onRefused: () => void,
  maxBytes = MAX_PACKET_BYTES,
): Duplex {
  const guard = new PacketSizeGuard(maxBytes);
  const connection = new Duplex({
    read() {
      socket.resume();
    },
    write(chunk, encoding, callback) {
      socket.write(chunk, encoding, callback);
    },
    // The broker writes a packet in pieces (header, topic, id, payload) to a corked stream: they go
    // to the socket as one write, not one syscall and TCP segment (TLS record) each (TCP_NODELAY).
    writev(chunks, callback) {
      socket.write(
        chunks.length === 1 ? chunks[0]?.chunk : Buffer.concat(chunks.map((c) => c.chunk as Buffer)),
        callback,
      );
    },
    final(callback) {
      socket.end(callback);
    },
    destroy(error, callback) {
      socket.destroy();
      callback(error);
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (!guard.feed(chunk)) {
      onRefused();
      socket.destroy();
      connection.destroy();
      return;
    }
    if (!connection.push(chunk)) socket.pause();
  });
  socket.on('end', () => connection.push(null));
  socket.on('error', (error) => connection.destroy(error));
  socket.on('close', () => connection.destroy());
  // What the broker and its logs may ask of a connection.
  Object.assign(connection, {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    setNoDelay: (on?: boolean) => socket.setNoDelay(on),
  });
  return connection;
}
