// What the host offers the VM: the QEMU binary (BERTH_QEMU, else PATH), the guest assets for this
// arch (BERTH_VM_ASSETS, else resources/vm of the packaged app, else dist/vm/<arch> of this
// checkout), the accelerator, and qemu-img.
import { accessSync, constants, existsSync } from 'node:fs';
import { arch as hostArch, availableParallelism, platform, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findOnPath } from '../executables.ts';
import { qemuBinaryName, type Accel, type VmArch } from './qemu-args.ts';
import type { KvmVerdict } from './kvm-verdict.ts';
import type { HostFacts } from './vm-options.ts';
import { VmOptionError } from './vm-options.ts';

const REPO = resolve(fileURLToPath(import.meta.url), '../../../../..');

export function hostVmArch(): VmArch {
  if (hostArch() === 'x64') return 'amd64';
  if (hostArch() === 'arm64') return 'arm64';
  throw new VmOptionError(`the Berth VM has no guest for this host's architecture (${hostArch()})`);
}

export function hostFacts(): HostFacts {
  return { cpus: availableParallelism(), memoryBytes: totalmem() };
}

/** QEMU next to the packaged app (resources/qemu/, where a macOS or Windows build that bundles
 * it puts it), else on PATH; BERTH_QEMU overrides both. */
export function findQemu(arch: VmArch, env: NodeJS.ProcessEnv = process.env, resourcesPath: string | undefined = packagedResources()): string {
  const override = env.BERTH_QEMU;
  if (override) {
    if (!existsSync(override)) throw new VmOptionError(`BERTH_QEMU=${override}: no such file`);
    return override;
  }
  const exe = `${qemuBinaryName(arch)}${platform() === 'win32' ? '.exe' : ''}`;
  const bundled = resourcesPath ? join(resourcesPath, 'qemu', exe) : undefined;
  if (bundled && existsSync(bundled)) return bundled;
  const found = findOnPath(exe, env.PATH);
  if (!found) throw new VmOptionError(`${qemuBinaryName(arch)} was not found on PATH (install QEMU, e.g. the qemu-system-x86 package, or set BERTH_QEMU)`);
  return found;
}

export function findQemuImg(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return findOnPath('qemu-img', env.PATH);
}

/** Electron's resources directory when packaged (electron-builder.yml puts the target arch's guest
 * in resources/vm); undefined under plain Node. */
function packagedResources(): string | undefined {
  return (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
}

export function findAssets(arch: VmArch, env: NodeJS.ProcessEnv = process.env, resourcesPath: string | undefined = packagedResources()): string {
  const packaged = resourcesPath ? join(resourcesPath, 'vm') : undefined;
  const dir = env.BERTH_VM_ASSETS ?? (packaged && existsSync(join(packaged, 'system.img')) ? packaged : join(REPO, 'dist', 'vm', arch));
  const missing = ['vmlinuz', 'initramfs.img', 'system.img'].filter((name) => !existsSync(join(dir, name)));
  if (missing.length) throw new VmOptionError(`the VM's guest image is missing in ${dir} (${missing.join(', ')}): run \`npm run dist:vm ${arch}\` or set BERTH_VM_ASSETS`);
  return dir;
}

export interface AccelChoice {
  accel: Accel;
  why: string;
  /** KVM is not proven on this host yet: the boot watches the guest and falls back to TCG when it
   * makes no progress (vm-control.ts, kvm-verdict.ts). */
  probe?: boolean;
}

function kvmOpens(): boolean {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The accelerator and why: BERTH_VM_ACCEL when set; hvf on macOS, whpx on Windows; on Linux KVM
 * when /dev/kvm opens and has not failed a boot here before (see kvm-verdict.ts), else TCG. */
export function chooseAccel(env: NodeJS.ProcessEnv = process.env, kvm: KvmVerdict | undefined = undefined, kvmUsable: () => boolean = kvmOpens): AccelChoice {
  const asked = env.BERTH_VM_ACCEL ?? '';
  if (asked === 'kvm' || asked === 'tcg' || asked === 'hvf' || asked === 'whpx') return { accel: asked, why: 'BERTH_VM_ACCEL' };
  if (asked && asked !== 'auto') throw new VmOptionError(`BERTH_VM_ACCEL=${asked}: expected kvm, hvf, whpx, tcg or auto`);
  if (platform() === 'darwin') return { accel: 'hvf', why: 'macOS' };
  if (platform() === 'win32') return { accel: 'whpx', why: 'Windows' };
  if (!kvmUsable()) return { accel: 'tcg', why: '/dev/kvm is not usable by this user' };
  if (kvm?.works === false) {
    return { accel: 'tcg', why: `KVM failed at a boot on ${new Date(kvm.at).toISOString().slice(0, 10)}; BERTH_VM_ACCEL=kvm forces it` };
  }
  if (kvm?.works) return { accel: 'kvm', why: '/dev/kvm works here' };
  return { accel: 'kvm', why: '/dev/kvm opens; this boot checks that it runs the guest', probe: true };
}
