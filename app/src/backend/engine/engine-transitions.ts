// The start/stop bookkeeping every EngineControl needs, whatever runs the engine (a child
// berthd, berthd through pkexec, the VM): one start or stop at a time, asking for the one in
// progress joins it, and listeners hear every change of `transition`.
export type EngineTransition = 'starting' | 'stopping' | null;

export class EngineTransitions {
  private current: EngineTransition = null;
  private pending: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  get transition(): EngineTransition {
    return this.current;
  }

  onTransition(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs `work` as the `kind` transition once no other is in progress. */
  async run(kind: 'starting' | 'stopping', work: () => Promise<void>): Promise<void> {
    while (this.pending) {
      if (this.current === kind) return this.pending;
      await this.pending.catch(() => {});
    }
    this.set(kind);
    this.pending = work().finally(() => {
      this.pending = undefined;
      this.set(null);
    });
    return this.pending;
  }

  /** Tells the listeners that the transition in progress moved on (the VM's next boot stage). */
  progressed(): void {
    this.notify();
  }

  private set(value: EngineTransition): void {
    if (this.current === value) return;
    this.current = value;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own; the others still hear about the change.
      }
    }
  }
}
