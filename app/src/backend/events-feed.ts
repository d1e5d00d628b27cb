// One GET /events connection per backend, shared by every `events` and `engine` stream. It
// follows the current endpoint, and reconnects with backoff whenever the engine goes away (a
// restart, a stop, an endpoint switch) for as long as anyone listens: subscribers never see an
// error just because the engine is down (Docker API "Monitor events", newline-delimited JSON).
import type { IncomingMessage } from 'node:http';
import type { EngineEvent } from '../common/docker-types.ts';
import type { EngineTarget } from './engine-target.ts';
import { engineStream } from './engine-request.ts';
import { NdjsonSplitter } from './ndjson-splitter.ts';

export interface EventsSubscriber {
  onEvent?(event: EngineEvent): void;
  /** The connection came up or went down (an engine start, stop or switch). */
  onConnectionChange?(connected: boolean): void;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 4000;

export class EventsFeed {
  private readonly target: EngineTarget;
  private readonly subscribers = new Set<EventsSubscriber>();
  private response: IncomingMessage | undefined;
  private connected = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Bumped on every (re)connect attempt so that late callbacks of an old one are ignored. */
  private generation = 0;
  private readonly stopWatchingSwitches: () => void;

  constructor(target: EngineTarget) {
    this.target = target;
    this.stopWatchingSwitches = target.onSwitch(() => {
      if (this.subscribers.size === 0) return;
      this.retryMs = FIRST_RETRY_MS;
      this.disconnect();
      this.connect();
    });
  }

  get isConnected(): boolean {
    return this.connected;
  }

  subscribe(subscriber: EventsSubscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.subscribers.size === 1) this.connect();
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.disconnect();
    };
  }

  dispose(): void {
    this.stopWatchingSwitches();
    this.subscribers.clear();
    this.disconnect();
  }

  private setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    for (const subscriber of [...this.subscribers]) subscriber.onConnectionChange?.(connected);
  }

  private connect(): void {
    const generation = ++this.generation;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    engineStream(this.target.docker, { method: 'GET', path: '/events' }).then((response) => {
      if (generation !== this.generation) {
        response.destroy();
        return;
      }
      this.response = response;
      this.retryMs = FIRST_RETRY_MS;
      this.setConnected(true);
      const splitter = new NdjsonSplitter<EngineEvent>((event) => {
        for (const subscriber of [...this.subscribers]) subscriber.onEvent?.(event);
      });
      response.on('data', (chunk: Buffer) => splitter.push(chunk));
      const lost = () => {
        if (generation !== this.generation) return;
        splitter.end();
        this.response = undefined;
        this.setConnected(false);
        this.scheduleRetry(generation);
      };
      response.once('end', lost);
      response.once('error', lost);
      response.once('close', lost);
    }, () => {
      if (generation !== this.generation) return;
      this.setConnected(false);
      this.scheduleRetry(generation);
    });
  }

  private scheduleRetry(generation: number): void {
    if (this.subscribers.size === 0 || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    // Invalidate callbacks of the lost connection before the retry starts a new generation.
    this.generation = generation + 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.subscribers.size > 0) this.connect();
    }, delay);
  }

  private disconnect(): void {
    this.generation++;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const response = this.response;
    this.response = undefined;
    response?.destroy();
    this.setConnected(false);
  }
}
