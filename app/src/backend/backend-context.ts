// What every call and stream of one backend shares.
import type { EngineControl } from './engine/engine-control.ts';
import type { EngineTarget } from './engine-target.ts';
import type { EventsFeed } from './events-feed.ts';
import type { RegistryCredentials } from './registry-credentials/registry-credentials.ts';

export interface BackendContext {
  target: EngineTarget;
  /** Berth's own engine (on this kernel or in the VM: engine/choose-engine.ts), when this backend controls one. */
  localEngine?: EngineControl;
  settingsDir: string;
  hostTerminal: boolean;
  shell: 'electron' | 'dashboard';
  /** One reconnecting GET /events shared by every subscriber (events and engine streams). */
  events: EventsFeed;
  /** Registry credentials where the docker CLI keeps them (config.json, credential helpers). */
  registryCredentials: RegistryCredentials;
  /** The environment the docker CLI would see (whose context store the engines come from). */
  dockerEnv?: NodeJS.ProcessEnv;
}
