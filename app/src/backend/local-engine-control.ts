// The seam between the backend and whatever runs Berth's own engine: a supervised berthd on Linux
// today, the Berth VM on macOS and Windows later. The backend's engine calls go through this and
// never know which.
export interface LocalEngineControl {
  /** unix:// URL of the socket this engine serves. */
  readonly endpoint: string;
  /** Resolves once the engine answers GET /_ping; rejects with a reason a user can act on. */
  start(): Promise<void>;
  /** Resolves once the engine process is gone; containers keep running (conmon holds them). */
  stop(): Promise<void>;
  /** A start or stop in progress, or null when settled. */
  readonly transition: 'starting' | 'stopping' | null;
  /** Calls `listener` whenever `transition` changes; returns the unsubscribe function. */
  onTransition(listener: () => void): () => void;
}
