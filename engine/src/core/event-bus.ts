// In-process event bus with a bounded history for `/events?since=`.
import type { EngineEvent, EventBus, EventType } from './interfaces.ts';

const HISTORY_LIMIT = 1024;

export class MemoryEventBus implements EventBus {
  #listeners = new Set<(event: EngineEvent) => void>();
  #history: EngineEvent[] = [];

  publish(type: EventType, action: string, id: string, attributes: Record<string, string> = {}): void {
    const nowNs = BigInt(Date.now()) * 1_000_000n + process.hrtime.bigint() % 1_000_000n;
    const event: EngineEvent = {
      Type: type,
      Action: action,
      Actor: { ID: id, Attributes: attributes },
      scope: 'local',
      time: Number(nowNs / 1_000_000_000n),
      timeNano: Number(nowNs),
    };
    this.#history.push(event);
    if (this.#history.length > HISTORY_LIMIT) this.#history.splice(0, this.#history.length - HISTORY_LIMIT);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not stop the others or the publisher.
      }
    }
  }

  subscribe(listener: (event: EngineEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  recent(): readonly EngineEvent[] {
    return this.#history;
  }
}
