// Spawns QEMU for one boot of a home's VM, detached (it outlives whoever started it), and records
// it in the state file. `berth vm start` (vm-control.ts) and the forwarder waking the VM from
// resource saver (resource-saver.ts) both boot through here, so a wake-up is the same VM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { buildQemuArgs, type Accel, type VmArch } from './qemu-args.ts';
import type { DataDisk } from './vm-disk.ts';
import { sharesFile, type Share } from './vm-shares.ts';
import { writeState, type VmHome, type VmState } from './vm-home.ts';
import type { VmResources } from './vm-options.ts';

export interface LaunchPlan {
  qemu: string;
  arch: VmArch;
  accel: Accel;
  why: string;
  resources: VmResources;
  assetsDir: string;
  disk: DataDisk;
  insecureRegistry?: string;
  resourceSaverMinutes?: number;
  /** Host folders shared at the same path (9p; vm-shares.ts). */
  shares: readonly Share[];
  log: (line: string) => void;
}

/** Boots QEMU with a fresh per-boot secret and agent port; the state is written before it
 * returns (the forwarder pid is the caller's to add). */
export async function launchQemu(home: VmHome, plan: LaunchPlan): Promise<VmState> {
  rmSync(home.qmpSocket, { force: true });
  // A fresh secret per boot, in a file only this user can read (QEMU hands it over by fw_cfg).
  rmSync(home.secret, { force: true });
  writeFileSync(home.secret, randomBytes(24).toString('hex'), { mode: 0o600 });
  writeFileSync(home.serialLog, '');
  writeFileSync(home.sharesFile, sharesFile(plan.shares), { mode: 0o600 });
  const agentPort = await freePort();
  const { args } = buildQemuArgs({
    arch: plan.arch, accel: plan.accel, resources: plan.resources, assetsDir: plan.assetsDir, dataDisk: plan.disk, agentHostPort: agentPort,
    secretFile: home.secret, qmpSocket: home.qmpSocket, serialLog: home.serialLog,
    cmdline: plan.insecureRegistry ? [`berth.insecure_registry=${plan.insecureRegistry}`] : [],
    shares: { list: [...plan.shares], file: home.sharesFile },
  });
  const { resources } = plan;
  plan.log(`booting the VM: ${resources.cpus} CPUs, ${resources.memoryMiB} MiB, accel ${plan.accel} (${plan.why})`);
  const qemuLog = openSync(home.qemuLog, 'w');
  const child = spawn(plan.qemu, args, { detached: true, stdio: ['ignore', qemuLog, qemuLog] });
  child.unref();
  const state: VmState = {
    qemuPid: child.pid!, agentPort, arch: plan.arch, accel: plan.accel, accelWhy: plan.why, resources, disk: plan.disk.path, startedAt: Date.now(),
    ...(plan.insecureRegistry ? { insecureRegistry: plan.insecureRegistry } : {}),
    ...(plan.resourceSaverMinutes ? { resourceSaverMinutes: plan.resourceSaverMinutes } : {}),
    shares: plan.shares.map((share) => share.path),
  };
  writeState(home, state);
  return state;
}
