// The app's own settings (settings.json beside the backend's other state): their shape, their
// defaults, and the two checks every shell shares. Pure (DESIGN.md rule 6), so Electron's main,
// the backend behind `berth dashboard` and the renderer agree on one definition; reading and
// writing the file lives in app/src/backend/app-settings-file.ts.

export type Theme = 'system' | 'light' | 'dark';

export const THEMES: readonly Theme[] = ['system', 'light', 'dark'];

/** Where Berth's own engine runs: 'auto' (macOS, Windows and Linux without root: the VM; Linux as
 * root: this kernel), 'local' (this kernel; through pkexec when not root), 'vm' (the Berth VM). */
export type EngineLocation = 'auto' | 'local' | 'vm';

export const ENGINE_LOCATIONS: readonly EngineLocation[] = ['auto', 'local', 'vm'];

export interface NotificationSettings {
  /** A container exited with a non-zero code. */
  containerFailed: boolean;
  /** A container's health check turned unhealthy. */
  containerUnhealthy: boolean;
}

export interface AppSettings {
  /** Docker-API endpoint forced at launch (unix://…, tcp://…); null: the one last chosen in the Engine view. */
  engineEndpoint: string | null;
  startAtLogin: boolean;
  /** On quit, leave an engine the app started running (containers run on either way: conmon holds them). */
  keepEngineRunningOnQuit: boolean;
  theme: Theme;
  notifications: NotificationSettings;
  /** Read when the app starts; a change applies at the next launch. */
  engineLocation: EngineLocation;
  /** The Berth VM's resources; null: the default (half the host's CPUs, 2 GiB, 64 GiB sparse).
   * CPUs and memory apply at the VM's next start or restart, the disk size when its disk is made. */
  vmCpus: number | null;
  vmMemoryMiB: number | null;
  vmDiskGiB: number | null;
  /** Resource saver: power the VM off after this many minutes without a running container (the
   * next connection to the socket boots it again); null: off. Applies at the VM's next start. */
  vmResourceSaverMinutes: number | null;
  /** Folders shared into the Berth VM at the same path besides the home (which always is);
   * absolute paths, applied at the VM's next start or restart. */
  vmShares: string[];
}

/** A change from the renderer: any subset of the settings, and of the notification toggles. */
export type AppSettingsChange = Partial<Omit<AppSettings, 'notifications'>> & { notifications?: Partial<NotificationSettings> };

/** Which settings the shell serving the API acts on (the dashboard only keeps theme and endpoint). */
export interface AppSettingsApplies {
  startAtLogin: boolean;
  keepEngineRunningOnQuit: boolean;
  notifications: boolean;
  /** Where the engine runs is chosen at launch by the desktop app (the dashboard's flags choose for it). */
  engineLocation: boolean;
}

export const DEFAULT_SETTINGS: AppSettings = {
  engineEndpoint: null,
  startAtLogin: false,
  keepEngineRunningOnQuit: false,
  theme: 'system',
  notifications: { containerFailed: true, containerUnhealthy: true },
  engineLocation: 'auto',
  vmCpus: null,
  vmMemoryMiB: null,
  vmDiskGiB: null,
  vmResourceSaverMinutes: null,
  vmShares: [],
};

export interface LoadedSettings {
  settings: AppSettings;
  /** What was wrong with the file, in words for a log line or a dialog; empty when nothing was. */
  warnings: string[];
}

const ENDPOINT = /^(unix:\/\/\/|tcp:\/\/|npipe:\/\/)\S+$/;
/** A POSIX absolute path, or a Windows one (C:\\… or C:/…). */
const ABSOLUTE = /^(\/|[A-Za-z]:[\\/])/;
const ENDPOINT_FORMS = 'unix:///path, tcp://host:port or npipe://… (or null)';
const TOP_LEVEL = ['engineEndpoint', 'startAtLogin', 'keepEngineRunningOnQuit', 'theme', 'notifications', 'engineLocation', 'vmCpus', 'vmMemoryMiB', 'vmDiskGiB', 'vmResourceSaverMinutes', 'vmShares'];
type VmSettingKey = 'vmCpus' | 'vmMemoryMiB' | 'vmDiskGiB' | 'vmResourceSaverMinutes';
const VM_KEYS: readonly VmSettingKey[] = ['vmCpus', 'vmMemoryMiB', 'vmDiskGiB', 'vmResourceSaverMinutes'];
const NOTIFICATION_KEYS = ['containerFailed', 'containerUnhealthy'];

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks each field a raw object sets; `problem(field, text)` hears about every wrong one and
 * `set` about every good one. Shared by the lenient load and the strict change below.
 */
function visitFields(
  raw: Record<string, unknown>,
  problem: (text: string) => void,
  set: { [K in keyof Omit<AppSettings, 'notifications'>]: (value: AppSettings[K]) => void } & { notification(key: keyof NotificationSettings, value: boolean): void },
): void {
  const bool = (value: unknown, name: string, apply: (v: boolean) => void) => {
    if (value === undefined) return;
    if (typeof value === 'boolean') apply(value);
    else problem(`${name} must be true or false, not ${JSON.stringify(value)}`);
  };
  if (raw.engineEndpoint === null) set.engineEndpoint(null);
  else if (raw.engineEndpoint !== undefined) {
    if (typeof raw.engineEndpoint === 'string' && ENDPOINT.test(raw.engineEndpoint)) set.engineEndpoint(raw.engineEndpoint);
    else problem(`engineEndpoint must be ${ENDPOINT_FORMS}, not ${JSON.stringify(raw.engineEndpoint)}`);
  }
  bool(raw.startAtLogin, 'startAtLogin', set.startAtLogin);
  bool(raw.keepEngineRunningOnQuit, 'keepEngineRunningOnQuit', set.keepEngineRunningOnQuit);
  if (raw.theme !== undefined) {
    if (THEMES.includes(raw.theme as Theme)) set.theme(raw.theme as Theme);
    else problem(`theme must be one of ${THEMES.join(', ')}, not ${JSON.stringify(raw.theme)}`);
  }
  if (raw.engineLocation !== undefined) {
    if (ENGINE_LOCATIONS.includes(raw.engineLocation as EngineLocation)) set.engineLocation(raw.engineLocation as EngineLocation);
    else problem(`engineLocation must be one of ${ENGINE_LOCATIONS.join(', ')}, not ${JSON.stringify(raw.engineLocation)}`);
  }
  // The shape only (a whole number, or null for the default); what the host can give is checked
  // by the backend, which knows the host (vm-options.ts).
  for (const key of VM_KEYS) {
    const value = raw[key];
    if (value === undefined) continue;
    if (value === null || (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1)) set[key](value);
    else problem(`${key} must be a whole number from 1 up (or null for the default), not ${JSON.stringify(value)}`);
  }
  if (raw.vmShares !== undefined) {
    const shares = raw.vmShares;
    if (!Array.isArray(shares) || !shares.every((path) => typeof path === 'string' && ABSOLUTE.test(path))) {
      problem(`vmShares must be a list of absolute folder paths, not ${JSON.stringify(shares)}`);
    } else if (new Set(shares).size !== shares.length) {
      problem('vmShares lists a folder twice');
    } else set.vmShares(shares as string[]);
  }
  if (raw.notifications !== undefined) {
    const n = raw.notifications;
    if (!isObject(n)) problem(`notifications must be an object, not ${JSON.stringify(n)}`);
    else {
      bool(n.containerFailed, 'notifications.containerFailed', (v) => set.notification('containerFailed', v));
      bool(n.containerUnhealthy, 'notifications.containerUnhealthy', (v) => set.notification('containerUnhealthy', v));
    }
  }
}

function collector(settings: AppSettings) {
  return {
    engineEndpoint: (v: string | null) => { settings.engineEndpoint = v; },
    startAtLogin: (v: boolean) => { settings.startAtLogin = v; },
    keepEngineRunningOnQuit: (v: boolean) => { settings.keepEngineRunningOnQuit = v; },
    theme: (v: Theme) => { settings.theme = v; },
    engineLocation: (v: EngineLocation) => { settings.engineLocation = v; },
    vmCpus: (v: number | null) => { settings.vmCpus = v; },
    vmMemoryMiB: (v: number | null) => { settings.vmMemoryMiB = v; },
    vmDiskGiB: (v: number | null) => { settings.vmDiskGiB = v; },
    vmResourceSaverMinutes: (v: number | null) => { settings.vmResourceSaverMinutes = v; },
    vmShares: (v: string[]) => { settings.vmShares = [...v]; },
    notification: (key: keyof NotificationSettings, v: boolean) => { settings.notifications[key] = v; },
  };
}

/** Loading: checks any value against the settings' shape; what is wrong falls back to its default. */
export function validateSettings(raw: unknown): LoadedSettings {
  const settings = structuredClone(DEFAULT_SETTINGS);
  if (!isObject(raw)) return { settings, warnings: ['the settings file does not hold a JSON object'] };
  const warnings: string[] = [];
  visitFields(raw, (text) => warnings.push(text), collector(settings));
  return { settings, warnings };
}

/**
 * Changing: a change arrives as JSON from the renderer, so its type is only a promise. Returns the
 * settings with the change applied, or the first problem in words that name the field (an
 * unknown field is a problem too: a misspelt setting must not be silently dropped).
 */
export function applySettingsChange(current: AppSettings, change: unknown): { settings: AppSettings } | { problem: string } {
  if (!isObject(change)) return { problem: `the settings change must be an object, not ${JSON.stringify(change)}` };
  const unknown = [
    ...Object.keys(change).filter((key) => !TOP_LEVEL.includes(key)),
    ...(isObject(change.notifications) ? Object.keys(change.notifications).filter((key) => !NOTIFICATION_KEYS.includes(key)).map((key) => `notifications.${key}`) : []),
  ];
  if (unknown.length > 0) {
    const known = [...TOP_LEVEL.filter((key) => key !== 'notifications'), ...NOTIFICATION_KEYS.map((key) => `notifications.${key}`)];
    return { problem: `${unknown.join(', ')} ${unknown.length === 1 ? 'is not a setting' : 'are not settings'} (known: ${known.join(', ')})` };
  }
  const settings = structuredClone(current);
  const problems: string[] = [];
  visitFields(change, (text) => problems.push(text), collector(settings));
  return problems.length > 0 ? { problem: problems.join('; ') } : { settings };
}

/** The VM's resources as settings ask for them, in the form vm-options.ts resolveResources reads
 * (absent: the default). */
export function vmResourceAsk(settings: Pick<AppSettings, VmSettingKey> & Partial<Pick<AppSettings, 'vmShares'>>): { cpus?: string; memory?: string; disk?: string; resourceSaverMinutes?: number; shares?: string[] } {
  return {
    ...(settings.vmResourceSaverMinutes !== null ? { resourceSaverMinutes: settings.vmResourceSaverMinutes } : {}),
    ...(settings.vmShares?.length ? { shares: [...settings.vmShares] } : {}),
    ...(settings.vmCpus !== null ? { cpus: String(settings.vmCpus) } : {}),
    ...(settings.vmMemoryMiB !== null ? { memory: `${settings.vmMemoryMiB}M` } : {}),
    ...(settings.vmDiskGiB !== null ? { disk: `${settings.vmDiskGiB}G` } : {}),
  };
}
