// QEMU's command line as data: everything the host side decides about the VM is here, in one pure
// function, so it can be read and tested without booting anything.
import type { VmResources } from './vm-options.ts';
import { virtfsArgs, type Share } from './vm-shares.ts';

export type VmArch = 'amd64' | 'arm64';
export type Accel = 'kvm' | 'hvf' | 'whpx' | 'tcg';

/** The guest agent's port inside the VM (vm-assets/guest: berth.agent_port default). */
export const AGENT_PORT = 7755;

export interface QemuPlan {
  arch: VmArch;
  accel: Accel;
  resources: VmResources;
  /** dist/vm/<arch>: vmlinuz, initramfs.img, system.img. */
  assetsDir: string;
  dataDisk: { path: string; format: 'qcow2' | 'raw' };
  /** Host port on 127.0.0.1 forwarded to the agent (and nothing else). */
  agentHostPort: number;
  secretFile: string;
  qmpSocket: string;
  serialLog: string;
  /** Extra kernel command line words (berth.insecure_registry=…). */
  cmdline?: string[];
  /** Host folders shared at the same path (9p); their list reaches the guest as `sharesFile`. */
  shares?: { list: Share[]; file: string };
}

export function qemuBinaryName(arch: VmArch): string {
  return arch === 'amd64' ? 'qemu-system-x86_64' : 'qemu-system-aarch64';
}

function machine(arch: VmArch, accel: Accel): string[] {
  const accelArgs = accel === 'tcg' ? ['-accel', 'tcg,thread=multi'] : ['-accel', accel];
  if (arch === 'amd64') return [...accelArgs, '-M', 'q35', ...(accel === 'tcg' ? [] : ['-cpu', 'host'])];
  // Under TCG "max" with the cheap pointer-auth algorithm; with a hypervisor the host's own CPU.
  return [...accelArgs, '-M', 'virt', '-cpu', accel === 'tcg' ? 'max,pauth-impdef=on' : 'host'];
}

export function buildQemuArgs(plan: QemuPlan): { binary: string; args: string[] } {
  const console = plan.arch === 'amd64' ? 'ttyS0' : 'ttyAMA0';
  const cmdline = [`console=${console}`, 'quiet', 'panic=-1', `berth.agent_port=${AGENT_PORT}`, ...(plan.cmdline ?? [])];
  const assets = (name: string) => `${plan.assetsDir}/${name}`;
  const args = [
    ...machine(plan.arch, plan.accel),
    '-smp', String(plan.resources.cpus),
    '-m', String(plan.resources.memoryMiB),
    '-nodefaults', '-display', 'none', '-monitor', 'none', '-no-reboot',
    '-serial', `file:${plan.serialLog}`,
    '-kernel', assets('vmlinuz'), '-initrd', assets('initramfs.img'), '-append', cmdline.join(' '),
    '-drive', `file=${assets('system.img')},if=none,id=sys,format=raw,readonly=on`, '-device', 'virtio-blk-pci,drive=sys',
    // discard=unmap: the guest mounts with discard, so freed blocks become holes on the host again.
    '-drive', `file=${plan.dataDisk.path},if=none,id=data,format=${plan.dataDisk.format},discard=unmap,detect-zeroes=unmap`,
    '-device', 'virtio-blk-pci,drive=data',
    // Only the agent's port, and only on the host's loopback: nothing else of the guest is reachable.
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${plan.agentHostPort}-:${AGENT_PORT}`, '-device', 'virtio-net-pci,netdev=net0,romfile=',
    '-device', 'virtio-rng-pci',
    // Free page reporting hands memory the guest freed back to the host.
    '-device', 'virtio-balloon-pci,free-page-reporting=on',
    '-qmp', `unix:${plan.qmpSocket},server=on,wait=off`,
    // The secret travels as a file QEMU reads, never on a command line another user could see.
    '-fw_cfg', `name=opt/berth/secret,file=${plan.secretFile}`,
    // The list travels as a file too: paths may hold spaces, which a kernel command line splits on.
    ...(plan.shares?.list.length ? ['-fw_cfg', `name=opt/berth/shares,file=${plan.shares.file}`, ...plan.shares.list.flatMap(virtfsArgs)] : []),
  ];
  return { binary: qemuBinaryName(plan.arch), args };
}
