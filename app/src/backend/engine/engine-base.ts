// What every EngineControl provider keeps the same way: its start/stop transitions (one at a
// time, listeners told of each change) and whether the engine serving now is one it started.
import { EngineTransitions, type EngineTransition } from './engine-transitions.ts';

export abstract class EngineBase {
  protected readonly transitions = new EngineTransitions();
  /** Set by a provider when the engine it started is the one serving; cleared when it stops it. */
  protected ownStart = false;

  get transition(): EngineTransition {
    return this.transitions.transition;
  }

  /** True while an engine this object started is the one serving (only those are stopped on quit). */
  get startedByUs(): boolean {
    return this.ownStart;
  }

  onTransition(listener: () => void): () => void {
    return this.transitions.onTransition(listener);
  }
}
