// EngineControl 'vm': Berth's engine in the Berth VM of one instance home (~/.berth, BERTH_HOME or
// --home), over the same functions as `berth vm` (vm-control.ts). QEMU and the forwarder outlive
// the app like a local berthd does; a VM that already runs is re-attached, never booted twice.
// While it starts, the guest's boot stage is progress the UI shows in words (boot-stages.ts).
import type { VmDetails } from '../../common/desktop-api.ts';
import { stageText } from '../vm/boot-stages.ts';
import { syncVmClock } from '../vm/clock-sync.ts';
import { liveQemu, resetVm, startVm, stopVm, vmStatus } from '../vm/vm-control.ts';
import { readState, type VmHome } from '../vm/vm-home.ts';
import { existingDisk, diskVirtualBytes } from '../vm/vm-disk.ts';
import { hostFacts } from '../vm/vm-host.ts';
import { resolveResources } from '../vm/vm-options.ts';
import type { EngineControl } from './engine-control.ts';
import { EngineBase } from './engine-base.ts';

export interface VmEngineOptions {
  home: VmHome;
  /** The resources (and shared folders) to boot with, read at each start (the settings may change in between). */
  resources: () => { cpus?: string; memory?: string; disk?: string; resourceSaverMinutes?: number; shares?: string[] };
  /** A registry the guest's engine may reach over plain HTTP. */
  insecureRegistry?: string;
  /** How long a boot may take until the engine answers (TCG is slow): default 10 minutes. */
  startTimeoutMs?: number;
  /** How long the guest gets to power off before QEMU is killed: default 2 minutes. */
  stopTimeoutMs?: number;
  log?: (line: string) => void;
}

export class VmEngine extends EngineBase implements EngineControl {
  readonly kind = 'vm' as const;
  readonly endpoint: string;
  readonly home: VmHome;
  private readonly options: VmEngineOptions;
  private stage: string | undefined;

  constructor(options: VmEngineOptions) {
    super();
    this.options = options;
    this.home = options.home;
    this.endpoint = `unix://${options.home.dockerSocket}`;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  start(): Promise<void> {
    return this.transitions.run('starting', async () => {
      const alreadyRunning = liveQemu(readState(this.home));
      this.stage = undefined;
      try {
        await startVm(this.home, {
          ...this.options.resources(),
          ...(this.options.insecureRegistry ? { insecureRegistry: this.options.insecureRegistry } : {}),
          timeoutMs: this.options.startTimeoutMs ?? 600_000,
          log: (line) => this.log(line),
          onStage: (stage) => {
            this.stage = stage;
            this.transitions.progressed();
          },
        });
        // A VM that was running before (another app, `berth vm start`) is not ours to stop on quit.
        this.ownStart = !alreadyRunning;
      } finally {
        this.stage = undefined;
      }
    });
  }

  stop(): Promise<void> {
    return this.transitions.run('stopping', async () => {
      await stopVm(this.home, this.options.stopTimeoutMs ?? 120_000, (line) => this.log(line));
      this.ownStart = false;
    });
  }

  /** Powers the VM off and deletes its data disk; the next start makes a fresh one. */
  reset(): Promise<void> {
    return this.transitions.run('stopping', async () => {
      await resetVm(this.home, this.options.stopTimeoutMs ?? 120_000, (line) => this.log(line));
      this.ownStart = false;
    });
  }

  async details(): Promise<VmDetails> {
    const status = await vmStatus(this.home);
    const starting = this.transitions.transition === 'starting';
    // A start in progress is "starting" until it returns: before QEMU is spawned (the checks, the
    // disk), and after the guest is up while the start still waits for the engine to answer
    // through the forwarder (the UI keeps showing the stage then, "the engine is starting").
    const state = starting && (status.state === 'stopped' || status.state === 'running') ? 'starting' : status.state;
    const running = status.detail;
    const disk = existingDisk(this.home);
    const madeSize = disk ? diskVirtualBytes(disk) : undefined;
    const details: VmDetails = { state, home: this.home.dir };
    if (running?.resourceSaverMinutes) details.resourceSaverMinutes = running.resourceSaverMinutes;
    if (running) {
      Object.assign(details, {
        accel: running.accel, accelWhy: running.accelWhy, cpus: running.resources.cpus, memoryMiB: running.resources.memoryMiB,
        diskSizeBytes: madeSize ?? running.resources.diskBytes,
      });
    } else {
      // Stopped: what the next start will use.
      try {
        const next = resolveResources(this.options.resources(), hostFacts());
        Object.assign(details, { cpus: next.cpus, memoryMiB: next.memoryMiB, diskSizeBytes: madeSize ?? next.diskBytes });
      } catch {
        // Settings the host cannot give (a smaller host now): the start will say so.
        if (madeSize !== undefined) details.diskSizeBytes = madeSize;
      }
    }
    const used = status.diskUsedBytes;
    if (used !== undefined) details.diskUsedBytes = used;
    if (status.uptimeSeconds !== undefined && state === 'running') details.uptimeSeconds = status.uptimeSeconds;
    if (state === 'starting') {
      // A guest already up (re-attached, or past its last marker) is waiting for its engine.
      const stage = (starting ? this.stage : undefined) ?? status.stage ?? (status.state === 'running' ? 'engine' : undefined);
      if (stage !== undefined) details.stage = stage;
      details.stageText = stageText(stage);
    }
    if (status.message) details.message = status.message;
    if (status.portProblems) details.portProblems = status.portProblems.map((problem) => problem.message);
    return details;
  }
}

/** The host woke from sleep: the VM's clock stood still meanwhile, so it is compared and set now
 * rather than at the forwarder's next periodic check. Nothing to do for an engine on this kernel. */
export async function afterHostResume(engine: EngineControl | undefined, log: (line: string) => void): Promise<void> {
  if (!(engine instanceof VmEngine)) return;
  try {
    const check = await syncVmClock(engine.home);
    if (check?.action === 'set') log(`VM clock was ${(check.offsetMs / 1000).toFixed(3)} s off after the host resumed: set`);
  } catch (error) {
    log(`VM clock check after resume failed: ${(error as Error).message}`);
  }
}
