// What every call and stream of one backend shares.
import type { LocalEngineControl } from './local-engine-control.ts';
import type { EngineTarget } from './engine-target.ts';
import type { EventsFeed } from './events-feed.ts';

export interface BackendContext {
  target: EngineTarget;
  localEngine?: LocalEngineControl;
  settingsDir: string;
  hostTerminal: boolean;
  shell: 'electron' | 'dashboard';
  /** One reconnecting GET /events shared by every subscriber (events and engine streams). */
  events: EventsFeed;
}
