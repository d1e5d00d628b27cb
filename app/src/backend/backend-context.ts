// What every call and stream of one backend shares.
import type { EngineControl } from './engine/engine-control.ts';
import type { EngineTarget } from './engine-target.ts';
import type { EventsFeed } from './events-feed.ts';

export interface BackendContext {
  target: EngineTarget;
  /** Berth's own engine (on this kernel or in the VM: engine/choose-engine.ts), when this backend controls one. */
  localEngine?: EngineControl;
  settingsDir: string;
  hostTerminal: boolean;
  shell: 'electron' | 'dashboard';
  /** One reconnecting GET /events shared by every subscriber (events and engine streams). */
  events: EventsFeed;
}
