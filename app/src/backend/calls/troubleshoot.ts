// The Troubleshoot view's calls: reset to factory defaults and the diagnostics bundle (restarting
// the engine is engineControl('restart')).
import { DEFAULT_SETTINGS } from '../../common/app-settings.ts';
import type { DiagnosticsBundle, EngineStatus } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { defaultBundlePath, writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle.ts';
import { VmEngine } from '../engine/vm-engine.ts';
import { resolveHomeDir, vmHome } from '../vm/vm-home.ts';
import type { AppSettingsProvider } from './app-settings.ts';
import { isControllable, readEngineStatus } from './engine-status.ts';

export async function writeDiagnostics(context: BackendContext): Promise<DiagnosticsBundle> {
  const local = context.localEngine;
  // The VM this backend runs, else the default home (a VM `berth vm start` may have booted).
  const home = local instanceof VmEngine ? local.home : vmHome(resolveHomeDir(undefined));
  return writeDiagnosticsBundle({ home, settingsDir: context.settingsDir, out: defaultBundlePath() });
}

export async function resetToFactoryDefaults(context: BackendContext, settings: AppSettingsProvider): Promise<EngineStatus> {
  const local = context.localEngine;
  if (!local || !isControllable(context) || !local.reset) {
    throw new BackendError(409, 'Reset to factory defaults needs Berth\'s own engine in the Berth VM (its data disk is what is wiped); this backend does not run one.');
  }
  await local.reset();
  const { notifications, ...rest } = DEFAULT_SETTINGS;
  await settings.update({ ...rest, notifications: { ...notifications } });
  await local.start();
  return readEngineStatus(context);
}
