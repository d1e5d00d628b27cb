// The one seam between the app and "Berth's own engine" per platform. Linux: berthd on the local
// kernel — run directly when the app is root (backend/engine-supervisor.ts), else through pkexec
// (elevated-engine.ts). macOS and Windows: the Berth VM, which comes in the next step; until then
// starting it fails with a reason instead of pretending.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ENGINE_SOCKET, EngineSupervisor } from '../../backend/engine-supervisor.ts';
import type { LocalEngineControl } from '../../backend/local-engine-control.ts';
import { ElevatedEngine } from './elevated-engine.ts';

/** LocalEngineControl plus what the app needs on quit: whether it started the engine itself. */
export interface PlatformEngine extends LocalEngineControl {
  readonly startedByUs: boolean;
  /** How a start reaches root: 'direct' (already root), 'pkexec' (asks for a password), 'none'. */
  readonly elevation: 'direct' | 'pkexec' | 'none';
}

export interface PlatformEngineOptions {
  platform: NodeJS.Platform;
  /** process.getuid() where there is one. */
  uid: number | undefined;
  /** Node binary and engine entry (absolute): $BERTH_NODE and $BERTH_ENGINE_ENTRY from the bootstrap, or the packaged ones. */
  node: string;
  entry: string;
  /** Directory the user owns for the engine's log when it runs through pkexec (e.g. Electron's logs path). */
  userLogDir: string;
  socketPath?: string;
  /** Overrides pkexec (tests, or another polkit front end). */
  launcher?: string[];
  confirmElevation?: () => Promise<boolean>;
}

/** The words shown before the system's password prompt, so the user knows who asks and why. */
export const ELEVATION_PROMPT = {
  title: 'Start Berth’s engine?',
  message: 'Berth needs administrator rights to start its container engine.',
  detail: 'The engine (berthd) runs as root because it mounts file systems and creates network namespaces for your ' +
    'containers. Your system will now ask for your password. The engine keeps running your containers when you quit Berth.',
  confirm: 'Start Engine',
  cancel: 'Not Now',
};

class NotYetEngine implements PlatformEngine {
  readonly endpoint: string;
  readonly transition = null;
  readonly startedByUs = false;
  readonly elevation = 'none' as const;
  private readonly platformName: string;

  constructor(platform: NodeJS.Platform) {
    this.platformName = platform === 'darwin' ? 'macOS' : platform === 'win32' ? 'Windows' : platform;
    this.endpoint = platform === 'win32' ? 'npipe:////./pipe/berth_engine' : `unix://${join(homedir(), '.berth', 'run', 'docker.sock')}`;
  }

  start(): Promise<void> {
    return Promise.reject(new Error(
      `On ${this.platformName}, Berth's engine runs in the Berth VM, which is not part of this version yet. ` +
        'Meanwhile, switch to another Docker engine in the Engine view (e.g. unix:///var/run/docker.sock or tcp://…).',
    ));
  }

  async stop(): Promise<void> {}

  onTransition(): () => void {
    return () => {};
  }
}

export function createPlatformEngine(options: PlatformEngineOptions): PlatformEngine {
  if (options.platform !== 'linux') return new NotYetEngine(options.platform);
  const socketPath = options.socketPath ?? DEFAULT_ENGINE_SOCKET;
  if (options.uid === 0 && options.launcher === undefined) {
    const supervisor = new EngineSupervisor({ socketPath, node: options.node, entry: options.entry });
    return Object.assign(supervisor, { elevation: 'direct' as const });
  }
  return Object.assign(new ElevatedEngine({
    socketPath,
    pidfile: '/run/berth/berthd.pid',
    logFile: join(options.userLogDir, 'berthd.log'),
    node: options.node,
    entry: options.entry,
    launcher: options.launcher ?? ['pkexec'],
    ...(options.confirmElevation ? { confirm: options.confirmElevation } : {}),
  }), { elevation: 'pkexec' as const });
}

/** On quit: stop only an engine this app started, and only when the user did not ask to keep it. */
export function shouldStopEngineOnQuit(engine: { startedByUs: boolean }, keepEngineRunningOnQuit: boolean): boolean {
  return engine.startedByUs && !keepEngineRunningOnQuit;
}
