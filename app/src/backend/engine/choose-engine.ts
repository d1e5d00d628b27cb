// Where Berth's own engine runs, chosen in one place for Electron's main, `berth dashboard` and
// `berth status`: macOS and Windows have no Linux kernel, so the Berth VM; Linux as root, berthd on
// this kernel (engine-supervisor.ts); Linux without root, the VM (no password needed) unless the
// engineLocation setting says 'local', which starts berthd through pkexec (elevated-engine.ts).
import { join } from 'node:path';
import type { EngineLocation } from '../../common/app-settings.ts';
import type { EngineKind } from '../../common/desktop-api.ts';
import { vmHome } from '../vm/vm-home.ts';
import type { EngineControl } from './engine-control.ts';
import { DEFAULT_ENGINE_SOCKET, EngineSupervisor } from './engine-supervisor.ts';
import { ElevatedEngine } from './elevated-engine.ts';
import { VmEngine } from './vm-engine.ts';

export interface EngineChoice {
  kind: EngineKind;
  /** Why, in words for a log line. */
  why: string;
}

export function chooseEngineKind(input: { platform: NodeJS.Platform; uid: number | undefined; location: EngineLocation }): EngineChoice {
  if (input.platform !== 'linux') {
    const name = input.platform === 'darwin' ? 'macOS' : input.platform === 'win32' ? 'Windows' : input.platform;
    return { kind: 'vm', why: `${name} has no Linux kernel for containers, so the engine runs in the Berth VM` };
  }
  if (input.location === 'vm') return { kind: 'vm', why: 'the engine location setting is "vm"' };
  if (input.uid === 0) return { kind: 'local', why: 'running as root: berthd on this kernel' };
  if (input.location === 'local') return { kind: 'elevated', why: 'the engine location setting is "local": berthd on this kernel, started through pkexec' };
  return { kind: 'vm', why: 'not root: the Berth VM needs no password (the engine location setting "local" runs berthd on this kernel through pkexec)' };
}

export interface CreateEngineOptions {
  platform: NodeJS.Platform;
  /** process.getuid() where there is one. */
  uid: number | undefined;
  location: EngineLocation;
  /** Node binary and engine entry (absolute) for berthd on this kernel: $BERTH_NODE and $BERTH_ENGINE_ENTRY from the bootstrap, or the packaged ones. */
  node: string;
  entry: string;
  /** Directory the user owns for the engine's log when it runs through pkexec (e.g. Electron's logs path). */
  userLogDir: string;
  socketPath?: string;
  /** Overrides pkexec (tests, or another polkit front end); the engine then always goes through it. */
  launcher?: string[];
  /** Asked before pkexec prompts for a password (the app explains why); false cancels. */
  confirmElevation?: () => Promise<boolean>;
  /** The VM's instance home (resolveHomeDir: --home, BERTH_HOME, else ~/.berth). */
  vmHomeDir: string;
  /** The VM's resources, read at each start (the app's settings). */
  vmResources: () => { cpus?: string; memory?: string; disk?: string; shares?: string[] };
  vmLog?: (line: string) => void;
}

/** The words shown before the system's password prompt, so the user knows who asks and why. */
export const ELEVATION_PROMPT = {
  title: 'Start Berth’s engine?',
  message: 'Berth needs administrator rights to start its container engine.',
  detail: 'The engine (berthd) runs as root because it mounts file systems and creates network namespaces for your ' +
    'containers. Your system will now ask for your password. The engine keeps running your containers when you quit Berth. ' +
    '(The Berth VM needs no password: choose it under Settings → Virtual machine → Engine location.)',
  confirm: 'Start Engine',
  cancel: 'Not Now',
};

export function createEngine(options: CreateEngineOptions): EngineControl & { readonly why: string } {
  // A launcher given means "go through it" even as root (the tests run as root).
  const uid = options.launcher === undefined ? options.uid : undefined;
  const choice = chooseEngineKind({ platform: options.platform, uid, location: options.location });
  const socketPath = options.socketPath ?? DEFAULT_ENGINE_SOCKET;
  const why = { why: choice.why };
  switch (choice.kind) {
    case 'vm':
      return Object.assign(new VmEngine({
        home: vmHome(options.vmHomeDir), resources: options.vmResources, ...(options.vmLog ? { log: options.vmLog } : {}),
      }), why);
    case 'local':
      return Object.assign(new EngineSupervisor({ socketPath, node: options.node, entry: options.entry }), why);
    case 'elevated':
      return Object.assign(new ElevatedEngine({
        socketPath,
        pidfile: '/run/berth/berthd.pid',
        logFile: join(options.userLogDir, 'berthd.log'),
        node: options.node,
        entry: options.entry,
        launcher: options.launcher ?? ['pkexec'],
        ...(options.confirmElevation ? { confirm: options.confirmElevation } : {}),
      }), why);
  }
}

/** On quit: stop only an engine this app started, and only when the user did not ask to keep it. */
export function shouldStopEngineOnQuit(engine: { startedByUs: boolean }, keepEngineRunningOnQuit: boolean): boolean {
  return engine.startedByUs && !keepEngineRunningOnQuit;
}
