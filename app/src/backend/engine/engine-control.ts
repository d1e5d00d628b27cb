// The seam between the backend and whatever runs Berth's own engine: berthd on this Linux kernel
// (as root, or through pkexec), or the Berth VM. Electron's main, `berth dashboard` and the CLI
// take one from choose-engine.ts; the backend's engine calls go through this and never ask which.
import type { EngineKind, VmDetails } from '../../common/desktop-api.ts';
import type { EngineTransition } from './engine-transitions.ts';

export interface EngineControl {
  readonly kind: EngineKind;
  /** unix:// URL of the socket this engine serves. */
  readonly endpoint: string;
  /** Resolves once the engine answers GET /_ping; rejects with a reason a user can act on. */
  start(): Promise<void>;
  /** Resolves once the engine (or the VM) is gone; on the local kernel containers keep running (conmon holds them). */
  stop(): Promise<void>;
  /** A start or stop in progress, or null when settled. */
  readonly transition: EngineTransition;
  /** Calls `listener` whenever `transition` changes, or its progress does (the VM's boot stage); returns the unsubscribe function. */
  onTransition(listener: () => void): () => void;
  /** True while an engine this object started is the one serving (only those are stopped on quit). */
  readonly startedByUs: boolean;
  /** The VM's side for the UI; undefined for an engine on the local kernel. */
  details(): Promise<VmDetails | undefined>;
  /** Wipes the engine's data (the VM's data disk); only the VM has it. */
  reset?(): Promise<void>;
}
