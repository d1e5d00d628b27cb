// `berth vm start | stop | restart | reset | status` as functions (the CLI and the desktop app's VM
// provider both call these): boot QEMU and the forwarder detached (they outlive the CLI),
// re-attach to a VM already running, power off cleanly through QMP, wipe the data disk, report
// (with the guest's boot stage while it starts: boot-stages.ts).
import { spawn } from 'node:child_process';
import { openSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pingEngineSocket, processAlive, readLogTail, waitExit } from '../engine-process-helpers.ts';
import { askAgent } from './agent-dial.ts';
import { readLatestStage } from './boot-stages.ts';
import { contextName, writeDockerContext } from './docker-context.ts';
import { dockerHostUrl, primaryEndpoint } from './host-endpoints.ts';
import { launchQemu } from './qemu-launch.ts';
import { qmpCommand } from './qmp.ts';
import { readPortsReport, type PortProblem } from './ports-report.ts';
import { createDisk, deleteDisk, diskAllocatedBytes, diskVirtualBytes, existingDisk } from './vm-disk.ts';
import { readKvmVerdict, writeKvmVerdict } from './kvm-verdict.ts';
import type { Accel } from './qemu-args.ts';
import { chooseAccel, findAssets, findQemu, hostFacts, hostVmArch } from './vm-host.ts';
import { clearState, prepareHome, readState, writeState, type VmHome, type VmState } from './vm-home.ts';
import { resolveResources, resourceFlags, VmOptionError } from './vm-options.ts';
import { endpointAnswers } from './socket-forwarder.ts';
import { resolveShares } from './vm-shares.ts';

const FORWARDER_MAIN = join(fileURLToPath(new URL('.', import.meta.url)), 'forwarder-main.ts');

export interface StartOptions {
  cpus?: string;
  memory?: string;
  disk?: string;
  /** A registry the guest's engine may reach over plain HTTP (berth.insecure_registry). */
  insecureRegistry?: string;
  /** Host folders to share at the same path besides the user's home (`--share`, Settings). */
  shares?: string[];
  /** How long to wait for the engine to answer. */
  timeoutMs: number;
  /** restartVm: how long the guest may take to power off before QEMU is killed (default 120 s). */
  stopTimeoutMs?: number;
  log: (line: string) => void;
  /** Hears each new boot stage the guest reports while the host waits for the engine. */
  onStage?: (stage: string) => void;
  /** Resource saver: minutes without a running container before the VM powers off (0/absent: off). */
  resourceSaverMinutes?: number;
}

/** The state's QEMU when it is still that QEMU (a reused pid is some other program). */
export function liveQemu(state: VmState | undefined): boolean {
  if (!state || !processAlive(state.qemuPid)) return false;
  // Without /proc (macOS, Windows) the pid alone has to do.
  if (process.platform !== 'linux') return true;
  try {
    return readFileSync(`/proc/${state.qemuPid}/cmdline`, 'utf8').includes('qemu-system');
  } catch {
    return false;
  }
}

function liveForwarder(state: VmState): boolean {
  return state.forwarderPid !== undefined && processAlive(state.forwarderPid);
}

/** How to start the forwarder: from a checkout (the CLI, the dashboard) the pinned Node runs its
 * TypeScript; inside Electron's bundled main it is the bundle's sibling vm-forwarder.js
 * (vite.electron.config.ts), run by Electron's own binary as plain Node. */
function forwarderCommand(): { args: string[]; env: NodeJS.ProcessEnv } {
  if (process.versions.electron) {
    return { args: [fileURLToPath(new URL('./vm-forwarder.js', import.meta.url))], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } };
  }
  return { args: ['--disable-warning=ExperimentalWarning', FORWARDER_MAIN], env: process.env };
}

function spawnForwarder(home: VmHome, port: number): number {
  rmSync(home.dockerSocket, { force: true });
  const out = openSync(home.forwarderLog, 'a');
  const { args, env } = forwarderCommand();
  const child = spawn(process.execPath, [...args, home.dir, String(port)], { detached: true, stdio: ['ignore', out, out], env });
  child.unref();
  return child.pid!;
}

/** Waits until berthd answers through the host socket, or QEMU dies, or time runs out. */
async function waitEngine(home: VmHome, state: VmState, timeoutMs: number, onStage?: (stage: string) => void): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastStage: string | undefined;
  const report = () => {
    const stage = readLatestStage(home.serialLog);
    if (stage !== undefined && stage !== lastStage) {
      lastStage = stage;
      onStage?.(stage);
    }
  };
  // Stages are read on their own clock: a ping may hang for seconds while the guest's network is down.
  const watch = onStage ? setInterval(report, 250) : undefined;
  try {
    await pollEngine(home, state, deadline, timeoutMs);
  } finally {
    clearInterval(watch);
  }
}

async function pollEngine(home: VmHome, state: VmState, deadline: number, timeoutMs: number): Promise<void> {
  for (;;) {
    if (!liveQemu(state)) throw new Error(`QEMU exited before the engine answered:\n${readLogTail(home.qemuLog)}\n${readLogTail(home.serialLog)}`);
    if (await pingEngineSocket(primaryEndpoint(home), 3_000)) return;
    if (Date.now() > deadline) throw new Error(`the engine did not answer within ${timeoutMs / 1000} s (console: ${home.serialLog})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

export async function startVm(home: VmHome, options: StartOptions): Promise<VmState> {
  prepareHome(home);
  const running = readState(home);
  if (running && running.asleepSince !== undefined && liveForwarder(running)) {
    // Resource saver has it powered off: the forwarder boots it for the first connection.
    options.log('waking the VM from resource saver');
    if (!(await pingEngineSocket(primaryEndpoint(home), options.timeoutMs))) throw new Error(`the VM did not wake within ${options.timeoutMs / 1000} s (console: ${home.serialLog})`);
    publishContext(home, options.log);
    return readState(home) ?? running;
  }
  if (running && liveQemu(running)) {
    options.log(`re-attaching to the running VM (QEMU pid ${running.qemuPid})`);
    const unshared = (options.shares ?? []).filter((path) => !running.shares?.includes(path));
    if (unshared.length) options.log(`not shared yet (the running VM keeps its shares until it restarts): ${unshared.join(', ')}`);
    if (!liveForwarder(running) || !(await endpointAnswers(primaryEndpoint(home)))) {
      if (running.forwarderPid && processAlive(running.forwarderPid)) process.kill(running.forwarderPid, 'SIGTERM');
      running.forwarderPid = spawnForwarder(home, running.agentPort);
      writeState(home, running);
    }
    await waitEngine(home, running, options.timeoutMs, options.onStage);
    publishContext(home, options.log);
    return running;
  }
  // Everything that can be wrong is checked before anything starts.
  const arch = hostVmArch();
  const resources = resolveResources(options, hostFacts());
  // QEMU has no 9p on Windows hosts: there the guest gets no shares (and berthd no bind check).
  const shares = process.platform === 'win32' ? [] : resolveShares([homedir(), ...(options.shares ?? [])]);
  const qemu = findQemu(arch);
  const assetsDir = findAssets(arch);
  let choice = chooseAccel(process.env, readKvmVerdict(home.dir, qemu));
  const endpoint = primaryEndpoint(home);
  if (await endpointAnswers(endpoint)) {
    throw new VmOptionError(`${endpoint} is in use by another process; stop it or choose another --home`);
  }
  clearState(home);
  const disk = createDisk(home, resources.diskBytes);
  // An existing disk keeps the size it was made with, whatever --disk says now.
  const diskBytes = diskVirtualBytes(disk) ?? resources.diskBytes;

  const launch = async (accel: Accel, why: string): Promise<VmState> => {
    const state = await launchQemu(home, {
      qemu, arch, accel, why, resources: { ...resources, diskBytes }, assetsDir, disk, log: options.log, shares,
      ...(options.insecureRegistry ? { insecureRegistry: options.insecureRegistry } : {}),
      ...(options.resourceSaverMinutes ? { resourceSaverMinutes: options.resourceSaverMinutes } : {}),
    });
    state.forwarderPid = spawnForwarder(home, state.agentPort);
    writeState(home, state);
    return state;
  };

  let state = await launch(choice.accel, choice.why);
  try {
    if (choice.probe) {
      const trial = await guestProgresses(home, state, KVM_PROOF_MS);
      writeKvmVerdict(home.dir, qemu, trial === 'progressed');
      if (trial !== 'progressed') {
        // QEMU's own words when it gave up (e.g. an MSR nested KVM refuses); else the guest hung.
        const said = readLogTail(home.qemuLog).split('\n').find((line) => line.includes('error')) ?? readLogTail(home.qemuLog).split('\n')[0];
        await killAll(home, state);
        const failure = trial === 'exited' ? `QEMU could not run the guest under KVM (${said.trim() || 'no message'})` : `KVM left the guest stuck for ${KVM_PROOF_MS / 1000} s`;
        choice = { accel: 'tcg', why: `${failure}; remembered for this kernel and QEMU` };
        options.log(`${failure}: booting again under TCG`);
        state = await launch(choice.accel, choice.why);
      }
    }
    await waitEngine(home, state, options.timeoutMs, options.onStage);
  } catch (error) {
    // Nothing half started: a VM that never answered is torn down.
    await killAll(home, state);
    throw error;
  }
  publishContext(home, options.log);
  return state;
}

/** How long a first boot under KVM may take to print its first stage marker. Under a working KVM
 * the kernel reaches it in a second or two; even TCG takes only a few. */
const KVM_PROOF_MS = 30_000;

/** 'progressed' once the guest printed its first boot stage; 'exited' when QEMU gave up first;
 * 'stuck' when neither happened in time. */
async function guestProgresses(home: VmHome, state: VmState, timeoutMs: number): Promise<'progressed' | 'exited' | 'stuck'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (readLatestStage(home.serialLog) !== undefined) return 'progressed';
    if (!liveQemu(state)) return 'exited';
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return 'stuck';
}

/** The docker context naming this home's endpoint. A store we cannot write (a read-only
 * ~/.docker, say) costs the user the context, not the VM. */
function publishContext(home: VmHome, log: (line: string) => void): void {
  const name = contextName(home.dir);
  try {
    writeDockerContext(name, dockerHostUrl(primaryEndpoint(home)), `Berth VM (${home.dir})`);
  } catch (error) {
    log(`could not write the docker context "${name}": ${(error as Error).message}`);
  }
}

async function killAll(home: VmHome, state: VmState): Promise<void> {
  for (const pid of [state.forwarderPid, state.qemuPid]) {
    if (pid !== undefined && processAlive(pid)) {
      process.kill(pid, 'SIGKILL');
      await waitExit(pid, 10_000);
    }
  }
  rmSync(home.dockerSocket, { force: true });
  rmSync(home.qmpSocket, { force: true });
  clearState(home);
}

/** Powers off through the power button (the guest stops its containers and syncs its disk), then
 * QEMU exits by itself (-no-reboot); killed only when it has not within timeoutMs. */
export async function stopVm(home: VmHome, timeoutMs: number, log: (line: string) => void): Promise<'stopped' | 'killed' | 'not running'> {
  const state = readState(home);
  if (!state) return 'not running';
  let outcome: 'stopped' | 'killed' | 'not running' = 'not running';
  if (liveQemu(state)) {
    const pressed = await qmpCommand(home.qmpSocket, 'system_powerdown').then(() => true, () => false);
    if (!pressed) await askAgent(state.agentPort, readFileSync(home.secret, 'utf8').trim(), 'poweroff').catch(() => '');
    log('powering off the VM');
    outcome = (await waitExit(state.qemuPid, timeoutMs)) ? 'stopped' : 'killed';
  }
  if (state.forwarderPid !== undefined && processAlive(state.forwarderPid)) {
    process.kill(state.forwarderPid, 'SIGTERM');
    if (!(await waitExit(state.forwarderPid, 5_000))) process.kill(state.forwarderPid, 'SIGKILL');
  }
  await killAll(home, state);
  return outcome;
}

/** Stops the VM if it runs and starts it again: resources from `options` where given, else what
 * the previous boot had (also the insecure registry); a VM not running is just started. */
export async function restartVm(home: VmHome, options: StartOptions): Promise<VmState> {
  const previous = readState(home);
  const flags: Partial<ReturnType<typeof resourceFlags>> = previous ? resourceFlags(previous.resources) : {};
  const merged: StartOptions = {
    ...options,
    cpus: options.cpus ?? flags.cpus,
    memory: options.memory ?? flags.memory,
    disk: options.disk ?? flags.disk,
    insecureRegistry: options.insecureRegistry ?? previous?.insecureRegistry,
    resourceSaverMinutes: options.resourceSaverMinutes ?? previous?.resourceSaverMinutes,
    shares: options.shares ?? previous?.shares,
  };
  // Checked before the running VM is stopped: a restart with impossible resources stops nothing.
  resolveResources(merged, hostFacts());
  resolveShares(merged.shares ?? []);
  const outcome = await stopVm(home, options.stopTimeoutMs ?? 120_000, options.log);
  if (outcome === 'killed') options.log('the VM did not power off in time; QEMU was killed');
  return startVm(home, merged);
}

/** Wipes the instance: stops the VM if it runs, then deletes the data disk (images, containers,
 * volumes, the engine's state). Logs, the home and the docker context stay. */
export async function resetVm(home: VmHome, timeoutMs: number, log: (line: string) => void): Promise<void> {
  const outcome = await stopVm(home, timeoutMs, log);
  if (outcome === 'killed') log('the VM did not power off in time; QEMU was killed');
  log(deleteDisk(home) ? 'deleted the data disk: images, containers and volumes are gone' : 'there was no data disk to delete');
}

export interface VmStatus {
  /** 'paused-by-resource-saver': powered off while idle; the socket still answers (by booting it). */
  state: 'running' | 'stopped' | 'error' | 'starting' | 'paused-by-resource-saver';
  engineAnswers: boolean;
  detail?: VmState;
  uptimeSeconds?: number;
  /** Bytes the data disk file really occupies on the host (st_blocks × 512; it is sparse). */
  diskUsedBytes?: number;
  /** The data disk's size as the guest sees it. */
  diskSizeBytes?: number;
  message?: string;
  /** While starting: the latest boot stage the guest printed (boot-stages.ts), if any yet. */
  stage?: string;
  /** Published ports the forwarder could not open on the host, and why (ports-report.ts). */
  portProblems?: PortProblem[];
}

/** The live forwarder's report only: one left by a killed forwarder may name ports long freed. */
function portProblems(home: VmHome, state: VmState): { portProblems?: PortProblem[] } {
  const report = readPortsReport(home);
  if (!report || report.forwarderPid !== state.forwarderPid || !report.problems.length) return {};
  return { portProblems: report.problems };
}

export async function vmStatus(home: VmHome): Promise<VmStatus> {
  const disk = existingDisk(home);
  const diskFacts = disk ? { diskUsedBytes: diskAllocatedBytes(disk.path), diskSizeBytes: diskVirtualBytes(disk) } : {};
  const state = readState(home);
  if (!state) return { state: 'stopped', engineAnswers: false, ...diskFacts };
  // Not pinged: a ping through the socket would wake it.
  if (state.asleepSince !== undefined && liveForwarder(state)) return { state: 'paused-by-resource-saver', engineAnswers: false, detail: state, ...diskFacts };
  if (!liveQemu(state)) {
    return { state: 'error', engineAnswers: false, detail: state, ...diskFacts, message: `QEMU is not running; last lines of its log:\n${readLogTail(home.qemuLog)}\n${readLogTail(home.serialLog, 0, 10)}` };
  }
  const engineAnswers = await pingEngineSocket(primaryEndpoint(home), 3_000);
  const uptimeSeconds = Math.round((Date.now() - state.startedAt) / 1000);
  if (engineAnswers) return { state: 'running', engineAnswers, detail: state, uptimeSeconds, ...diskFacts, ...portProblems(home, state) };
  const stage = readLatestStage(home.serialLog);
  return { state: 'starting', engineAnswers, detail: state, uptimeSeconds, ...diskFacts, ...(stage ? { stage } : {}) };
}
