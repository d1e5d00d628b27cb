// The Troubleshoot view's calls: reset to factory defaults and the diagnostics bundle (restarting
// the engine is engineControl('restart')).
import { DEFAULT_SETTINGS } from '../../common/app-settings.ts';
import type { DiagnosticsBundle, EngineStatus } from '../../common/desktop-api.ts';
import type { BackendContext } from '../backend-context.ts';
import { BackendError } from '../backend-error.ts';
import { defaultBundlePath, writeDiagnosticsBundle } from '../diagnostics/diagnostics-bundle.ts';
import { VmEngine } from '../engine/vm-engine.ts';
import { wipeEngineData } from '../engine/wipe-engine-data.ts';
import { resolveHomeDir, vmHome } from '../vm/vm-home.ts';
import type { AppSettingsProvider } from './app-settings.ts';
import { isControllable, readEngineStatus } from './engine-status.ts';

export async function writeDiagnostics(context: BackendContext): Promise<DiagnosticsBundle> {
  const local = context.localEngine;
  // The VM this backend runs, else the default home (a VM `berth vm start` may have booted).
  const home = local instanceof VmEngine ? local.home : vmHome(resolveHomeDir(undefined));
  return writeDiagnosticsBundle({ home, settingsDir: context.settingsDir, out: defaultBundlePath() });
}

/** The VM: its data disk is deleted (a fresh one is made at the next boot). berthd on this kernel:
 * everything is removed through its API while it runs (wipe-engine-data.ts), since its data root
 * is shared with containers that outlive it. Either way the app's settings go back to their
 * defaults only once the data is gone, so a failed wipe can simply be tried again. */
export async function resetToFactoryDefaults(context: BackendContext, settings: AppSettingsProvider): Promise<EngineStatus> {
  const local = context.localEngine;
  if (!local || !isControllable(context)) {
    throw new BackendError(409, 'Reset to factory defaults acts on Berth\'s own engine, and the current engine is not one this app runs: switch to it on the Engines page first.');
  }
  if (local.reset) {
    await local.reset();
  } else {
    await local.start();
    await wipeEngineData(context.target.docker);
  }
  const { notifications, ...rest } = DEFAULT_SETTINGS;
  await settings.update({ ...rest, notifications: { ...notifications } });
  await local.start();
  return readEngineStatus(context);
}
