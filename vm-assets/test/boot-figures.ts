// Boot figures of the Berth VM under QEMU (TCG here), for the notes — a benchmark, not a test:
//   node vm-assets/test/boot-figures.ts [runs]     (after npm run dist:vm; run as root)
// For each arch: a first boot (fresh data disk: mkfs) and a second boot, split by the guest's own
// marks into kernel (to the initramfs), stage 1, stage 2 (rc.start), agent's Node start, and
// berthd until it answers; plus the floor: the same kernel with a bare busybox initramfs.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain .mjs build script without type declarations
import { cpioGz } from '../build/cpio.mjs';
import { bootGuest, REPO, type Arch } from './qemu-guest.ts';

const runs = Number(process.argv[2] ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'berth-vm-figures-'));

function floorInitramfs(arch: Arch): string {
  const cache = join(REPO, '.berth', 'vm-cache', 'debs', arch);
  const deb = readdirSync(cache).find((f) => f.startsWith('busybox-static_'));
  if (!deb) throw new Error(`no busybox-static .deb in ${cache}: run npm run dist:vm first`);
  const unpacked = join(dir, `busybox-${arch}`);
  spawnSync('dpkg-deb', ['-x', join(cache, deb), unpacked]);
  const init = '#!/bin/busybox sh\n/bin/busybox mount -t proc proc /proc\nread -r up _ </proc/uptime\necho "floor: init at ${up}s"\n/bin/busybox poweroff -f\n';
  const path = join(dir, `floor-${arch}.img`);
  writeFileSync(path, cpioGz([
    { path: 'bin', type: 'dir' }, { path: 'bin/busybox', type: 'file', data: readFileSync(join(unpacked, 'bin', 'busybox')) },
    { path: 'dev', type: 'dir' }, { path: 'dev/console', type: 'chardev', mode: 0o600, major: 5, minor: 1 },
    { path: 'init', type: 'file', data: Buffer.from(init) }, { path: 'proc', type: 'dir' },
  ], 0));
  return path;
}

function floorBoot(arch: Arch, initramfs: string): Promise<{ kernelToInit: number; wall: number }> {
  const assets = join(REPO, 'dist', 'vm', arch);
  const machine = arch === 'amd64'
    ? ['qemu-system-x86_64', '-M', 'q35', '-append', 'console=ttyS0 quiet panic=-1']
    : ['qemu-system-aarch64', '-M', 'virt', '-cpu', 'max,pauth-impdef=on', '-append', 'console=ttyAMA0 quiet panic=-1'];
  const started = performance.now();
  const child = spawn(machine[0], [...machine.slice(1), '-accel', 'tcg,thread=multi', '-nodefaults', '-m', '1024', '-smp', '2', '-display', 'none',
    '-monitor', 'none', '-serial', 'stdio', '-no-reboot', '-kernel', join(assets, 'vmlinuz'), '-initrd', initramfs], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => child.on('exit', () => {
    const m = /floor: init at ([\d.]+)s/.exec(out);
    if (!m) reject(new Error(`floor boot printed no mark: ${out.slice(-500)}`));
    else resolve({ kernelToInit: Number(m[1]), wall: (performance.now() - started) / 1000 });
  }));
}

const row = (label: string, values: Record<string, number | string>) =>
  process.stdout.write(`${label.padEnd(22)} ${Object.entries(values).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(2) : v}`).join('  ')}\n`);

for (const arch of ['amd64', 'arm64'] as Arch[]) {
  const manifest = JSON.parse(readFileSync(join(REPO, 'dist', 'vm', arch, 'manifest.json'), 'utf8')) as { parts: Record<string, { size: number }> };
  row(`${arch} sizes (MB)`, Object.fromEntries(Object.entries(manifest.parts).map(([k, p]) => [k, p.size / 1e6])));
  const floor = floorInitramfs(arch);
  for (let i = 0; i < runs; i++) row(`${arch} floor`, await floorBoot(arch, floor));
  for (let i = 0; i < runs; i++) {
    const disk = join(dir, `data-${arch}-${i}.raw`);
    for (const boot of ['first boot', 'second boot']) {
      const started = performance.now();
      const guest = await bootGuest({ arch, dataDisk: disk });
      try {
        const status = await guest.waitEngine();
        const wall = (performance.now() - started) / 1000;
        const m = guest.marks();
        row(`${arch} ${boot}`, {
          kernel: m.initramfs, stage1: m['switch-root'] - m.initramfs, stage2: m['rc-done'] - m['switch-root'],
          agentNode: m['agent-listening'] - m['agent-exec'], berthd: status.uptimeSeconds - m['berthd-exec'],
          engineAt: status.uptimeSeconds, wall,
        });
        await guest.pressPowerButton();
        await guest.exited;
      } finally {
        await guest.stop();
      }
    }
  }
}
rmSync(dir, { recursive: true, force: true });
