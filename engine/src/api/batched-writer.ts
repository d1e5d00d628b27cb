// Coalesces many small writes into few large ones. `docker logs` yields one record per line: one
// HTTP chunk (and one syscall) per line made a 3,000,000-line log take 20 s to send. Writes made
// in one burst (records parsed from one read of the log file) now leave as one chunk of up to
// 64 KiB; a lone write in follow mode still leaves on the next turn of the event loop.
import type { Writable } from 'node:stream';

const FLUSH_BYTES = 64 * 1024;

export class BatchedWriter {
  private parts: Buffer[] = [];
  private size = 0;
  private scheduled = false;
  private readonly out: Writable;

  constructor(out: Writable) {
    this.out = out;
  }

  /** Queues `data`; resolves at once, or after the socket drained when a full batch went out. */
  async write(data: Buffer): Promise<void> {
    this.parts.push(data);
    this.size += data.length;
    if (this.size >= FLUSH_BYTES) {
      await this.flush();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.send();
      });
    }
  }

  /** Sends what is queued, waiting for the socket to drain when it is full. */
  async flush(): Promise<void> {
    if (!this.send()) await new Promise((resolve) => this.out.once('drain', resolve));
  }

  private send(): boolean {
    if (this.size === 0 || this.out.destroyed || this.out.writableEnded) return true;
    const data = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    return this.out.write(data);
  }
}
