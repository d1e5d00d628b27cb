// Keeps many small file writes in flight while a layer is read, so the tar parser is not held up
// by one open/write/close round trip per file, yet bounds both the count and the bytes held in
// memory (a 300 MB layer must not be buffered whole). Writes are keyed by path so a later entry
// that touches the same path can wait for the earlier one first (tar order is authoritative).
export class BoundedWrites {
  readonly #maxCount: number;
  readonly #maxBytes: number;
  readonly #pending = new Map<string, Promise<void>>();
  #bytes = 0;
  #failure: { error: unknown } | undefined;
  #wake: (() => void) | undefined;

  constructor(maxCount = 64, maxBytes = 64 * 1024 * 1024) {
    this.#maxCount = maxCount;
    this.#maxBytes = maxBytes;
  }

  /** Rethrows the first failed write, so unpacking stops at the first error. */
  check(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /** The write in flight for `path`, if any (never rejects; failures surface through check()). */
  pending(path: string): Promise<void> | undefined {
    return this.#pending.get(path);
  }

  /** Waits for room, then starts `task` for `path` without waiting for it to finish. */
  async start(path: string, bytes: number, task: () => Promise<void>): Promise<void> {
    this.check();
    while (this.#pending.size > 0 && (this.#pending.size >= this.#maxCount || this.#bytes + bytes > this.#maxBytes)) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.check();
    }
    this.#bytes += bytes;
    const running = task()
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => {
        this.#bytes -= bytes;
        this.#pending.delete(path);
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
      });
    this.#pending.set(path, running);
  }

  /** Waits for every write in flight, then rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending.values()]);
    this.check();
  }
}
