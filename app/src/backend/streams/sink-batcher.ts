// Fast producers (a log following 100,000 lines/s, a build, a Compose CLI run) send their items in
// batches: at most one message every ~30 ms, or sooner once 5,000 items wait — one WebSocket/IPC
// message per item would cost more than the items. When the transport is congested the sources
// are paused until it drains, so a slow renderer slows the engine's stream instead of filling memory.
import type { StreamSink } from '../desktop-backend.ts';

export const BATCH_INTERVAL_MS = 30;
export const BATCH_MAX_ITEMS = 5000;

export interface Pausable {
  pause(): void;
  resume(): void;
}

export class SinkBatcher<T> {
  private batch: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private waitingForDrain = false;
  private readonly send: (items: T[]) => boolean;
  private readonly sink: Pick<StreamSink<unknown>, 'onDrain'>;
  private readonly sources: () => Iterable<Pausable>;

  /** `send` delivers one batch (false: congested); `sources` are what to pause meanwhile. */
  constructor(sink: Pick<StreamSink<unknown>, 'onDrain'>, send: (items: T[]) => boolean, sources: () => Iterable<Pausable> = () => []) {
    this.sink = sink;
    this.send = send;
    this.sources = sources;
  }

  /** True while waiting for the transport to drain: a source that joins now should start paused. */
  get paused(): boolean {
    return this.waitingForDrain;
  }

  push(item: T): void {
    if (this.stopped) return;
    this.batch.push(item);
    if (this.batch.length >= BATCH_MAX_ITEMS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_INTERVAL_MS);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0 || this.stopped) return;
    const items = this.batch;
    this.batch = [];
    if (!this.send(items) && !this.waitingForDrain) {
      this.waitingForDrain = true;
      for (const source of this.sources()) source.pause();
      this.sink.onDrain(() => {
        this.waitingForDrain = false;
        if (!this.stopped) for (const source of this.sources()) source.resume();
      });
    }
  }

  /** Drops what is waiting and sends nothing more. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = [];
  }
}
