// The multiplexed stream of non-TTY logs, attach and exec (Docker API "Attach to a container",
// stream format): frames of an 8-byte header [type, 0, 0, 0, size as uint32 big-endian] followed
// by `size` bytes of payload; type 1 is stdout, 2 is stderr (0 stdin, 3 a system error). Chunks
// from the socket may cut a header or a payload anywhere, so partial input is kept until whole.
export type FrameStream = 'stdout' | 'stderr';

export class FrameDemuxer {
  private header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private current: FrameStream = 'stdout';
  private frameStart = false;
  private readonly onPayload: (stream: FrameStream, payload: Buffer, frameStart: boolean) => void;

  /** `frameStart` is true for the first piece of each frame's payload (a frame may arrive in pieces). */
  constructor(onPayload: (stream: FrameStream, payload: Buffer, frameStart: boolean) => void) {
    this.onPayload = onPayload;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < 8) return;
        this.headerFill = 0;
        // Type 3 (system error) text is shown as stderr: it is for the user to read.
        this.current = this.header[0] === 1 ? 'stdout' : 'stderr';
        this.remaining = this.header.readUInt32BE(4);
        this.frameStart = true;
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - offset);
      this.onPayload(this.current, chunk.subarray(offset, offset + take), this.frameStart);
      this.frameStart = false;
      this.remaining -= take;
      offset += take;
    }
  }
}
