// Splits the attach helper's output, which is Docker's multiplexed stream framing (Engine API,
// "Stream format": 8-byte header [stream, 0, 0, 0, uint32 BE size] then the payload; 1 = stdout,
// 2 = stderr). A frame of stream 0 and size 0 is the helper saying "connected" (if it sends one).

export type FrameEvent = { kind: 'output'; stream: 'stdout' | 'stderr'; data: Buffer } | { kind: 'ready' };

export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns every complete frame they finish. */
  push(chunk: Buffer): FrameEvent[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const events: FrameEvent[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 8) {
      const type = this.pending[offset];
      const size = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - 8 < size) break;
      const data = this.pending.subarray(offset + 8, offset + 8 + size);
      offset += 8 + size;
      if (type === 0 && size === 0) events.push({ kind: 'ready' });
      else if (size > 0) events.push({ kind: 'output', stream: type === 2 ? 'stderr' : 'stdout', data: Buffer.from(data) });
    }
    this.pending = this.pending.subarray(offset);
    return events;
  }

  /** Bytes of an unfinished frame (non-zero at the end means the helper died mid-frame). */
  get leftover(): number {
    return this.pending.length;
  }
}
