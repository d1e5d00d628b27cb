// The app's settings in Electron: settings.json in the user's config directory (read and written
// by backend/app-settings-file.ts, shaped by common/app-settings.ts), kept here as the one current
// copy that main's pieces read (notifications on each event, the engine on quit) and that the
// Settings screen changes through the backend. Each change is written first, then applied at once
// by the `apply` callback main.ts gives (theme, login item); a change that cannot be written is
// not applied.
import {
  applySettingsChange, type AppSettings, type AppSettingsApplies, type AppSettingsChange,
} from '../common/app-settings.ts';
import { saveSettings } from '../backend/app-settings-file.ts';
import type { AppSettingsProvider } from '../backend/calls/app-settings.ts';

export { DEFAULT_SETTINGS, type AppSettings, type Theme } from '../common/app-settings.ts';
export { loadSettings, saveSettings } from '../backend/app-settings-file.ts';

/** A partial change applied to the current settings, validated as a whole before it is kept. */
export function updateSettings(path: string, current: AppSettings, change: AppSettingsChange): AppSettings {
  const merged = applySettingsChange(current, change);
  if ('problem' in merged) throw new Error(`refusing to save invalid settings: ${merged.problem}`);
  saveSettings(path, merged.settings);
  return merged.settings;
}

export interface ElectronSettingsOptions {
  /** settings.json's path. */
  path: string;
  /** What loadSettings read at launch. */
  initial: AppSettings;
  applies: AppSettingsApplies;
  /** Puts kept settings into effect; `previous` lets it touch only what changed. */
  apply(next: AppSettings, previous: AppSettings): void;
}

/** The provider createDesktopBackend takes in Electron, plus `current()` for main's own readers. */
export function electronAppSettings(options: ElectronSettingsOptions): AppSettingsProvider & { current(): AppSettings } {
  let current = structuredClone(options.initial);
  return {
    applies: { ...options.applies },
    get: () => structuredClone(current),
    current: () => current,
    update(change) {
      const previous = current;
      current = updateSettings(options.path, current, change);
      options.apply(current, previous);
      return structuredClone(current);
    },
  };
}
