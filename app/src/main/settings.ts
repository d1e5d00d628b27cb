// The app's own settings (settings.json in the user's config directory). Loading never fails: a
// file that is missing gives the defaults; one that does not parse or holds wrong values gives
// the defaults for what is wrong, a warning that says what, and the bad file kept as .bak so
// nothing the user wrote is lost. Writes are atomic (temp file, fsync, rename).
import { copyFileSync, readFileSync } from 'node:fs';
import { writeJsonAtomically } from './atomic-file.ts';

export type Theme = 'system' | 'light' | 'dark';

export interface AppSettings {
  /** Docker-API endpoint forced at launch (unix://…, tcp://…); null: the one last chosen in the Engine view. */
  engineEndpoint: string | null;
  startAtLogin: boolean;
  /** On quit, leave an engine the app started running (containers run on either way: conmon holds them). */
  keepEngineRunningOnQuit: boolean;
  theme: Theme;
  notifications: {
    /** A container exited with a non-zero code. */
    containerFailed: boolean;
    /** A container's health check turned unhealthy. */
    containerUnhealthy: boolean;
  };
}

export const DEFAULT_SETTINGS: AppSettings = {
  engineEndpoint: null,
  startAtLogin: false,
  keepEngineRunningOnQuit: false,
  theme: 'system',
  notifications: { containerFailed: true, containerUnhealthy: true },
};

export interface LoadedSettings {
  settings: AppSettings;
  /** What was wrong with the file, in words for a log line or a dialog; empty when nothing was. */
  warnings: string[];
}

const THEMES: readonly Theme[] = ['system', 'light', 'dark'];
const ENDPOINT = /^(unix:\/\/\/|tcp:\/\/|npipe:\/\/)\S+$/;

/** Checks any value against the settings' shape; what is wrong falls back to its default. */
export function validateSettings(raw: unknown): LoadedSettings {
  const warnings: string[] = [];
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings, warnings: ['the settings file does not hold a JSON object'] };
  }
  const r = raw as Record<string, unknown>;
  const bool = (value: unknown, name: string, set: (v: boolean) => void) => {
    if (value === undefined) return;
    if (typeof value === 'boolean') set(value);
    else warnings.push(`${name} must be true or false, not ${JSON.stringify(value)}`);
  };
  if (r.engineEndpoint !== undefined && r.engineEndpoint !== null) {
    if (typeof r.engineEndpoint === 'string' && ENDPOINT.test(r.engineEndpoint)) settings.engineEndpoint = r.engineEndpoint;
    else warnings.push(`engineEndpoint must be unix:///path, tcp://host:port or npipe://… (or null), not ${JSON.stringify(r.engineEndpoint)}`);
  }
  bool(r.startAtLogin, 'startAtLogin', (v) => { settings.startAtLogin = v; });
  bool(r.keepEngineRunningOnQuit, 'keepEngineRunningOnQuit', (v) => { settings.keepEngineRunningOnQuit = v; });
  if (r.theme !== undefined) {
    if (THEMES.includes(r.theme as Theme)) settings.theme = r.theme as Theme;
    else warnings.push(`theme must be one of ${THEMES.join(', ')}, not ${JSON.stringify(r.theme)}`);
  }
  if (r.notifications !== undefined) {
    const n = r.notifications as Record<string, unknown> | null;
    if (typeof n !== 'object' || n === null || Array.isArray(n)) warnings.push('notifications must be an object');
    else {
      bool(n.containerFailed, 'notifications.containerFailed', (v) => { settings.notifications.containerFailed = v; });
      bool(n.containerUnhealthy, 'notifications.containerUnhealthy', (v) => { settings.notifications.containerUnhealthy = v; });
    }
  }
  return { settings, warnings };
}

export function loadSettings(path: string): LoadedSettings {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [] };
    return { settings: structuredClone(DEFAULT_SETTINGS), warnings: [`cannot read ${path}: ${(error as Error).message}; using the defaults`] };
  }
  let loaded: LoadedSettings;
  try {
    loaded = validateSettings(JSON.parse(text));
  } catch (error) {
    loaded = { settings: structuredClone(DEFAULT_SETTINGS), warnings: [`${path} is not valid JSON (${(error as Error).message})`] };
  }
  if (loaded.warnings.length > 0) {
    copyFileSync(path, `${path}.bak`);
    loaded.warnings.push(`kept the file as ${path}.bak; the values above are back to their defaults`);
  }
  return loaded;
}

export function saveSettings(path: string, settings: AppSettings): void {
  const { settings: checked, warnings } = validateSettings(settings);
  if (warnings.length > 0) throw new Error(`refusing to save invalid settings: ${warnings.join('; ')}`);
  writeJsonAtomically(path, checked);
}

/** A partial change applied to the current settings, validated as a whole before it is kept. */
export function updateSettings(path: string, current: AppSettings, change: Partial<AppSettings>): AppSettings {
  const next = { ...current, ...change, notifications: { ...current.notifications, ...change.notifications } };
  saveSettings(path, next);
  return next;
}
