// appSettings / updateAppSettings: the app's own settings (common/app-settings.ts). Electron's main
// hands the backend a provider that persists them and applies each change at once (theme, login
// item, notifications); without one — `berth dashboard` — the backend keeps settings.json in its
// settings directory itself, where only the theme and the launch endpoint mean anything.
import {
  applySettingsChange, vmResourceAsk, type AppSettings, type AppSettingsApplies, type AppSettingsChange,
} from '../../common/app-settings.ts';
import { appSettingsPath, loadSettings, saveSettings } from '../app-settings-file.ts';
import { badRequest } from '../backend-error.ts';
import { endpointUrl, parseEndpoint } from '../engine-connection.ts';
import { hostFacts } from '../vm/vm-host.ts';
import { resolveResources, VmOptionError, type HostFacts } from '../vm/vm-options.ts';
import { shareProblem } from '../vm/vm-shares.ts';

/** The Settings screen's names for the VM's resources, in the messages of resolveResources. */
const VM_FIELD_NAMES = { cpus: 'CPUs', memory: 'Memory', disk: 'Disk size' };

/** The VM's resources in `settings` against what this host has, by the rules `berth vm start`
 * applies to its flags (vm-options.ts); the problem in words, or undefined when they fit. */
export function vmResourcesProblem(settings: AppSettings, host: HostFacts = hostFacts()): string | undefined {
  try {
    resolveResources(vmResourceAsk(settings), host, VM_FIELD_NAMES);
    return undefined;
  } catch (error) {
    if (error instanceof VmOptionError) return error.message;
    throw error;
  }
}

export interface AppSettingsProvider {
  /** Which settings this shell acts on; the Settings screen marks the others as not applying here. */
  applies: AppSettingsApplies;
  get(): AppSettings;
  /** Keeps an already validated change (and applies it); answers the settings now in force. */
  update(change: AppSettingsChange): AppSettings | Promise<AppSettings>;
}

/** The dashboard's settings: <settingsDir>/settings.json, read once, written on every change. */
export function fileAppSettings(settingsDir: string): AppSettingsProvider {
  const path = appSettingsPath(settingsDir);
  let current = loadSettings(path).settings;
  return {
    applies: { startAtLogin: false, keepEngineRunningOnQuit: false, notifications: false, engineLocation: false },
    get: () => structuredClone(current),
    update(change) {
      const next = applySettingsChange(current, change);
      if ('problem' in next) throw badRequest(next.problem);
      saveSettings(path, next.settings);
      current = next.settings;
      return structuredClone(current);
    },
  };
}

export class AppSettingsCalls {
  private readonly provider: AppSettingsProvider;
  private readonly host: () => HostFacts;

  constructor(provider: AppSettingsProvider, host: () => HostFacts = hostFacts) {
    this.provider = provider;
    this.host = host;
  }

  appSettings(): { settings: AppSettings; applies: AppSettingsApplies } {
    return { settings: this.provider.get(), applies: { ...this.provider.applies } };
  }

  /** Validated whole before anything is kept: a 400 naming the field, and nothing written. */
  async updateAppSettings(change: unknown): Promise<AppSettings> {
    const checked = applySettingsChange(this.provider.get(), change);
    if ('problem' in checked) throw badRequest(checked.problem);
    const vmChange = ['vmCpus', 'vmMemoryMiB', 'vmDiskGiB'].some((key) => key in (change as object));
    const vmProblem = vmChange ? vmResourcesProblem(checked.settings, this.host()) : undefined;
    if (vmProblem) throw badRequest(vmProblem);
    // Each shared folder must exist and be one the VM can share, checked here where the files are.
    const shareProblems = 'vmShares' in (change as object) ? checked.settings.vmShares.map(shareProblem).filter((p) => p !== undefined) : [];
    if (shareProblems.length) throw badRequest(`Shared folders: ${shareProblems.join('; ')}`);
    const clean = { ...(change as AppSettingsChange) };
    if (typeof clean.engineEndpoint === 'string') {
      // The backend is created with this endpoint at the next launch: hold it to the same rules
      // as the Engine view's switch now, rather than fail then.
      try {
        clean.engineEndpoint = endpointUrl(parseEndpoint(clean.engineEndpoint));
      } catch (error) {
        throw badRequest(`engineEndpoint: ${(error as Error).message}`);
      }
    }
    return this.provider.update(clean);
  }
}
