// A StreamSink for tests: keeps every item, remembers how the stream ended, and lets a test wait
// for an item that matches or for the end.
import type { StreamSink } from '../desktop-backend.ts';

export class CollectingSink<T> implements StreamSink<T> {
  readonly items: T[] = [];
  ended: 'complete' | 'error' | undefined;
  failure: unknown;
  private waiters: (() => void)[] = [];

  next(item: T): boolean {
    this.items.push(item);
    this.wake();
    return true;
  }

  onDrain(listener: () => void): void {
    queueMicrotask(listener);
  }

  error(error: unknown): void {
    this.ended = 'error';
    this.failure = error;
    this.wake();
  }

  complete(): void {
    this.ended = 'complete';
    this.wake();
  }

  /** Resolves with the first item (from the start) that matches; rejects after `ms` or on an error end. */
  async waitFor(match: (item: T) => boolean, ms = 15_000): Promise<T> {
    return this.waitUntil(() => this.items.find(match), ms, 'no matching item');
  }

  /** Resolves once the stream has ended (either way). */
  async waitForEnd(ms = 15_000): Promise<void> {
    await this.waitUntil(() => (this.ended ? true : undefined), ms, 'stream did not end', true);
  }

  private async waitUntil<R>(check: () => R | undefined, ms: number, what: string, allowEnd = false): Promise<R> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (this.ended && !allowEnd) throw new Error(`${what}: stream ended (${this.ended}) ${String((this.failure as Error)?.message ?? '')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} within ${ms} ms; got ${JSON.stringify(this.items).slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => { clearTimeout(timer); resolve(); });
      });
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
