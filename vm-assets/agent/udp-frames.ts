// UDP over the agent's TCP stream: each datagram travels as a 2-byte big-endian length and the
// payload, in both directions (a datagram is at most 65,507 bytes, so the length always fits).
export function encodeFrame(payload: Buffer): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(payload.length);
  return Buffer.concat([head, payload]);
}

/** Accumulates stream bytes and yields whole datagrams as they complete. */
export class FrameDecoder {
  #pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Buffer[] {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.#pending.length >= 2) {
      const size = this.#pending.readUInt16BE(0);
      if (this.#pending.length < 2 + size) break;
      out.push(this.#pending.subarray(2, 2 + size));
      this.#pending = this.#pending.subarray(2 + size);
    }
    return out;
  }
}
