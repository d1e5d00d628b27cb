// Follows the engine for the tray and the notifications, in process (no IPC): the backend's
// `engine` stream (status) and `events` stream, and the container list re-read shortly after any
// container event or status change. Many events in a burst (compose up, a bulk stop) cost one
// read, and the menu still follows within a second.
import type { EngineStatus } from '../common/desktop-api.ts';
import type { ContainerSummary, EngineEvent } from '../common/docker-types.ts';
import type { DesktopBackend, StreamSession, StreamSink } from '../backend/desktop-backend.ts';

export interface EngineSnapshot {
  status: EngineStatus | undefined;
  containers: ContainerSummary[];
}

export interface EngineWatchOptions {
  backend: DesktopBackend;
  onSnapshot(snapshot: EngineSnapshot): void;
  onEvent?(event: EngineEvent): void;
  /** Quiet time after the last event before the list is re-read. */
  debounceMs?: number;
}

function sink<T>(next: (item: T) => void): StreamSink<T> {
  return { next: (item) => { next(item); return true; }, onDrain: (listener) => queueMicrotask(listener), error: () => {}, complete: () => {} };
}

export class EngineWatch {
  private snapshot: EngineSnapshot = { status: undefined, containers: [] };
  private readonly options: EngineWatchOptions;
  private readonly sessions: StreamSession<never>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(options: EngineWatchOptions) {
    this.options = options;
  }

  get current(): EngineSnapshot {
    return this.snapshot;
  }

  /** Host ports published by running containers (the links a window may open; navigation-policy.ts). */
  get publishedPorts(): Set<number> {
    const ports = new Set<number>();
    for (const c of this.snapshot.containers) {
      if (c.State !== 'running') continue;
      for (const p of c.Ports) if (typeof p.PublicPort === 'number') ports.add(p.PublicPort);
    }
    return ports;
  }

  async start(): Promise<void> {
    const { backend } = this.options;
    this.sessions.push(await backend.streams.engine([], sink((status) => {
      const was = this.snapshot.status?.state;
      this.snapshot = { ...this.snapshot, status };
      this.options.onSnapshot(this.snapshot);
      if (status.state !== was) this.schedule(0);
    })));
    this.sessions.push(await backend.streams.events([], sink((event) => {
      this.options.onEvent?.(event);
      if (event.Type === 'container' || event.Type === 'daemon') this.schedule();
    })));
  }

  /** Re-reads the list after `delay` of quiet (events restart the wait, up to one read in flight). */
  schedule(delay = this.options.debounceMs ?? 250): void {
    if (this.closed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.read(), delay);
  }

  private async read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      do {
        this.again = false;
        let containers: ContainerSummary[] = [];
        if (this.snapshot.status?.state === 'running') {
          try {
            containers = await this.options.backend.calls.listContainers();
          } catch {
            containers = this.snapshot.containers; // a blip: keep what we had; the next event retries
          }
        }
        if (this.closed) return;
        this.snapshot = { ...this.snapshot, containers };
        this.options.onSnapshot(this.snapshot);
      } while (this.again && !this.closed);
    })().finally(() => { this.reading = undefined; });
    return this.reading;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const session of this.sessions.splice(0)) session.close();
  }
}
