// One VM instance's home (--home DIR, else BERTH_HOME, else ~/.berth): its disk, per-boot secret,
// QMP socket, logs, Docker socket and the state file naming the running processes.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Accel, VmArch } from './qemu-args.ts';
import type { VmResources } from './vm-options.ts';

export interface VmHome {
  dir: string;
  diskRaw: string;
  diskQcow2: string;
  secret: string;
  /** The shared folders of this boot, for the guest (fw_cfg opt/berth/shares). */
  sharesFile: string;
  qmpSocket: string;
  serialLog: string;
  qemuLog: string;
  forwarderLog: string;
  dockerSocket: string;
  stateFile: string;
}

export interface VmState {
  qemuPid: number;
  forwarderPid?: number;
  agentPort: number;
  arch: VmArch;
  accel: Accel;
  accelWhy: string;
  resources: VmResources;
  disk: string;
  startedAt: number;
  /** berth.insecure_registry of this boot (restart passes it on). */
  insecureRegistry?: string;
  /** Resource saver: power the VM off after this many minutes without a running container
   * (the forwarder keeps the socket and boots it again on the next connection). */
  resourceSaverMinutes?: number;
  /** Set while the resource saver has the VM powered off (Unix ms since when). */
  asleepSince?: number;
  /** Host folders shared into this boot (restart shares them again). */
  shares?: string[];
}

export function resolveHomeDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.BERTH_HOME ?? join(homedir(), '.berth'));
}

export function vmHome(dir: string): VmHome {
  return {
    dir,
    diskRaw: join(dir, 'data.raw'),
    diskQcow2: join(dir, 'data.qcow2'),
    secret: join(dir, 'secret'),
    sharesFile: join(dir, 'shares'),
    qmpSocket: join(dir, 'qmp.sock'),
    serialLog: join(dir, 'logs', 'console.log'),
    qemuLog: join(dir, 'logs', 'qemu.log'),
    forwarderLog: join(dir, 'logs', 'forwarder.log'),
    dockerSocket: join(dir, 'run', 'docker.sock'),
    stateFile: join(dir, 'state.json'),
  };
}

export function prepareHome(home: VmHome): void {
  for (const sub of [home.dir, join(home.dir, 'logs'), join(home.dir, 'run')]) mkdirSync(sub, { recursive: true, mode: 0o700 });
}

export function readState(home: VmHome): VmState | undefined {
  try {
    return JSON.parse(readFileSync(home.stateFile, 'utf8')) as VmState;
  } catch {
    return undefined;
  }
}

export function writeState(home: VmHome, state: VmState): void {
  writeFileSync(`${home.stateFile}.tmp`, JSON.stringify(state, null, 2), { mode: 0o600 });
  // rename is atomic: a reader sees the old state or the new, never half of one.
  renameSync(`${home.stateFile}.tmp`, home.stateFile);
}

export function clearState(home: VmHome): void {
  rmSync(home.stateFile, { force: true });
}
