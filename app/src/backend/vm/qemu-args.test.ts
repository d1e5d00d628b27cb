// QEMU's argv and the VM's options as data: what the host exposes (only the agent's port, on
// loopback), how the secret travels (a file, never the command line), and the resource checks.
import { describe, expect, it } from 'vitest';
import { buildQemuArgs, type QemuPlan } from './qemu-args.ts';
import { chooseAccel } from './vm-host.ts';
import { defaultResources, parseSize, resolveResources, resourceFlags, VmOptionError } from './vm-options.ts';

const host = { cpus: 8, memoryBytes: 16 * 1024 ** 3 };
const plan: QemuPlan = {
  arch: 'amd64', accel: 'tcg', resources: { cpus: 4, memoryMiB: 2048, diskBytes: 64 * 1024 ** 3 },
  assetsDir: '/assets', dataDisk: { path: '/home/data.qcow2', format: 'qcow2' }, agentHostPort: 41234,
  secretFile: '/home/secret', qmpSocket: '/home/qmp.sock', serialLog: '/home/logs/console.log', cmdline: ['berth.insecure_registry=10.0.2.2:5000'],
};
const after = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

describe('buildQemuArgs', () => {
  it('amd64 under TCG: q35, CPUs and memory, kernel, system image read-only, the data disk with discard', () => {
    const { binary, args } = buildQemuArgs(plan);
    expect(binary).toBe('qemu-system-x86_64');
    expect(after(args, '-accel')).toEqual(['tcg,thread=multi']);
    expect(after(args, '-M')).toEqual(['q35']);
    expect(after(args, '-smp')).toEqual(['4']);
    expect(after(args, '-m')).toEqual(['2048']);
    expect(after(args, '-kernel')).toEqual(['/assets/vmlinuz']);
    expect(after(args, '-initrd')).toEqual(['/assets/initramfs.img']);
    expect(after(args, '-drive')).toEqual([
      'file=/assets/system.img,if=none,id=sys,format=raw,readonly=on',
      'file=/home/data.qcow2,if=none,id=data,format=qcow2,discard=unmap,detect-zeroes=unmap',
    ]);
    expect(after(args, '-append')[0]).toContain('berth.insecure_registry=10.0.2.2:5000');
    expect(after(args, '-serial')).toEqual(['file:/home/logs/console.log']);
  });

  it('forwards only the agent port, on 127.0.0.1; rng, balloon with free page reporting, QMP', () => {
    const { args } = buildQemuArgs(plan);
    expect(after(args, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:41234-:7755']);
    expect(args.join(' ').match(/hostfwd/g)).toHaveLength(1);
    expect(after(args, '-device')).toEqual(expect.arrayContaining(['virtio-rng-pci', 'virtio-balloon-pci,free-page-reporting=on', 'virtio-net-pci,netdev=net0,romfile=']));
    expect(after(args, '-qmp')).toEqual(['unix:/home/qmp.sock,server=on,wait=off']);
  });

  it('passes the secret by fw_cfg file and never on the command line', () => {
    const { args } = buildQemuArgs(plan);
    expect(after(args, '-fw_cfg')).toEqual(['name=opt/berth/secret,file=/home/secret']);
    expect(args.join(' ')).not.toMatch(/berth\.secret=/);
  });

  it('arm64 and hypervisors: virt with the host CPU under kvm, max under TCG; raw disks', () => {
    const arm = buildQemuArgs({ ...plan, arch: 'arm64', accel: 'kvm', dataDisk: { path: '/home/data.raw', format: 'raw' } });
    expect(arm.binary).toBe('qemu-system-aarch64');
    expect(after(arm.args, '-accel')).toEqual(['kvm']);
    expect(after(arm.args, '-cpu')).toEqual(['host']);
    expect(after(arm.args, '-append')[0]).toMatch(/^console=ttyAMA0 /);
    expect(after(arm.args, '-drive')[1]).toContain('format=raw');
    expect(after(buildQemuArgs({ ...plan, arch: 'arm64' }).args, '-cpu')).toEqual(['max,pauth-impdef=on']);
  });
});

describe('VM options', () => {
  it('defaults: half the CPUs, 2 GiB, 64 GiB', () => {
    expect(defaultResources(host)).toEqual({ cpus: 4, memoryMiB: 2048, diskBytes: 64 * 1024 ** 3 });
    expect(defaultResources({ cpus: 1, memoryBytes: host.memoryBytes }).cpus).toBe(1);
    expect(resolveResources({}, host)).toEqual(defaultResources(host));
  });

  it('reads sizes: units, a bare memory number in MiB, a bare disk number in GiB', () => {
    expect(resolveResources({ cpus: '2', memory: '3G', disk: '10G' }, host)).toEqual({ cpus: 2, memoryMiB: 3072, diskBytes: 10 * 1024 ** 3 });
    expect(resolveResources({ memory: '1536', disk: '8' }, host)).toMatchObject({ memoryMiB: 1536, diskBytes: 8 * 1024 ** 3 });
    expect(parseSize('512MiB', 'x')).toBe(512 * 1024 ** 2);
  });

  it('refuses more CPUs or memory than the host has, and nonsense, with the reason', () => {
    const refuses = (asked: Parameters<typeof resolveResources>[0], message: RegExp) => {
      expect(() => resolveResources(asked, host)).toThrow(VmOptionError);
      expect(() => resolveResources(asked, host)).toThrow(message);
    };
    refuses({ cpus: '9' }, /--cpus 9: this host has only 8 CPUs/);
    refuses({ cpus: 'two' }, /not a whole number/);
    refuses({ cpus: '0' }, /not a whole number/);
    refuses({ memory: '16G' }, /this host has only 16384 MiB/);
    refuses({ memory: '100M' }, /at least 256 MiB/);
    refuses({ memory: 'lots' }, /not a size/);
    refuses({ disk: '100M' }, /at least 1 GiB/);
  });
});

describe('resourceFlags', () => {
  it('gives back flags that resolve to the same resources (restart keeps the last boot\'s)', () => {
    for (const resources of [{ cpus: 3, memoryMiB: 1536, diskBytes: 10 * 1024 ** 3 }, { cpus: 1, memoryMiB: 300, diskBytes: 1.5 * 1024 ** 3 }]) {
      expect(resolveResources(resourceFlags(resources), host)).toEqual(resources);
    }
  });
});

describe('chooseAccel', () => {
  const opens = () => true;
  const closed = () => false;

  it('on Linux: KVM on trial when /dev/kvm opens and nothing is known yet, TCG when it does not open', () => {
    expect(chooseAccel({}, undefined, opens)).toEqual({ accel: 'kvm', why: expect.stringContaining('checks'), probe: true });
    expect(chooseAccel({ BERTH_VM_ACCEL: 'auto' }, undefined, closed)).toEqual({ accel: 'tcg', why: '/dev/kvm is not usable by this user' });
  });

  it('a remembered verdict decides without a trial: TCG after KVM got stuck, KVM after it worked', () => {
    const stuck = chooseAccel({}, { works: false, at: Date.UTC(2026, 11, 5) }, opens);
    expect(stuck).toEqual({ accel: 'tcg', why: expect.stringContaining('2026-12-05') });
    expect(chooseAccel({}, { works: true, at: 0 }, opens)).toEqual({ accel: 'kvm', why: '/dev/kvm works here' });
  });

  it('BERTH_VM_ACCEL wins over everything, and a bad value is an error', () => {
    expect(chooseAccel({ BERTH_VM_ACCEL: 'kvm' }, { works: false, at: 0 }, closed)).toEqual({ accel: 'kvm', why: 'BERTH_VM_ACCEL' });
    expect(chooseAccel({ BERTH_VM_ACCEL: 'tcg' }, undefined, opens)).toEqual({ accel: 'tcg', why: 'BERTH_VM_ACCEL' });
    expect(() => chooseAccel({ BERTH_VM_ACCEL: 'fast' })).toThrow(/expected kvm, hvf, whpx, tcg or auto/);
  });
});
