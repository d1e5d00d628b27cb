// Boots a built guest (dist/vm/<arch>) under QEMU's TCG for tests: the agent's port forwarded to
// 127.0.0.1 only, the console to a file, and the boot marks the guest prints ("berth-boot: X at
// Ns") read back for the figures. Everything it starts is killed and removed by stop().
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../app/src/backend/vm/free-port.ts';
import { qmpCommand } from '../../app/src/backend/vm/qmp.ts';
import { askAgent } from './agent-client.ts';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export type Arch = 'amd64' | 'arm64';

/** Builds dist/vm/<arch> (cached by input hash: seconds when nothing changed). Asynchronous: a
 * cold build takes minutes, and the test worker must keep answering vitest meanwhile. */
export function ensureImages(arches: Arch[]): Promise<void> {
  const node = process.env.BERTH_NODE ?? process.execPath;
  const child = spawn(node, ['--disable-warning=ExperimentalWarning', join(REPO, 'vm-assets', 'build', 'build-vm.mjs'), ...arches], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`building the VM images failed:\n${stderr}`))));
  });
}

export interface GuestOptions {
  arch: Arch;
  /** A raw disk image file; created sparse (2 GiB) when missing. */
  dataDisk: string;
  /** Extra kernel command line words (berth.insecure_registry=…). */
  cmdline?: string[];
  /** Pass the secret through fw_cfg (the default) or the kernel command line. */
  secretVia?: 'fw_cfg' | 'cmdline';
}

export interface Guest {
  readonly port: number;
  readonly secret: string;
  readonly console: () => string;
  /** Boot marks from the console: { initramfs: 1.8, init: 2.7, … } in guest uptime seconds. */
  marks(): Record<string, number>;
  /** Resolves once the agent answers status with the engine up; returns that status. */
  waitEngine(): Promise<{ uptimeSeconds: number }>;
  /** Presses the power button (QMP system_powerdown: ACPI on x86, a GPIO key on arm64 virt). */
  pressPowerButton(): Promise<void>;
  /** Resolves with QEMU's exit code when it exits by itself (poweroff). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

function qemuArgs(arch: Arch, dir: string, opts: GuestOptions, port: number, secret: string, consoleLog: string): { bin: string; args: string[] } {
  const assets = join(REPO, 'dist', 'vm', arch);
  const console = arch === 'amd64' ? 'ttyS0' : 'ttyAMA0';
  const cmdline = [`console=${console}`, 'quiet', 'panic=-1', ...(opts.secretVia === 'cmdline' ? [`berth.secret=${secret}`] : []), ...(opts.cmdline ?? [])];
  const common = [
    // One vCPU: on this 2-core host, multi-threaded TCG with two vCPUs once soft-locked the guest
    // (runc and a container process each stuck on a CPU for minutes) while the suite ran.
    '-nodefaults', '-m', '1024', '-smp', '1', '-display', 'none', '-monitor', 'none', '-serial', `file:${consoleLog}`, '-no-reboot',
    '-kernel', join(assets, 'vmlinuz'), '-initrd', join(assets, 'initramfs.img'), '-append', cmdline.join(' '),
    '-drive', `file=${join(assets, 'system.img')},if=none,id=sys,format=raw,readonly=on`, '-device', 'virtio-blk-pci,drive=sys',
    '-drive', `file=${opts.dataDisk},if=none,id=data,format=raw,discard=unmap`, '-device', 'virtio-blk-pci,drive=data',
    // Only the agent's port, and only on the host's loopback.
    '-netdev', `user,id=net0,hostfwd=tcp:127.0.0.1:${port}-:7755`, '-device', 'virtio-net-pci,netdev=net0,romfile=',
    '-device', 'virtio-rng-pci',
    '-qmp', `unix:${join(dir, 'qmp.sock')},server=on,wait=off`,
    ...(opts.secretVia === 'cmdline' ? [] : ['-fw_cfg', `name=opt/berth/secret,file=${join(dir, 'secret')}`]),
  ];
  if (arch === 'amd64') return { bin: 'qemu-system-x86_64', args: ['-accel', 'tcg,thread=multi', '-M', 'q35', ...common] };
  return { bin: 'qemu-system-aarch64', args: ['-accel', 'tcg,thread=multi', '-M', 'virt', '-cpu', 'max,pauth-impdef=on', ...common] };
}

export async function bootGuest(opts: GuestOptions): Promise<Guest> {
  const dir = mkdtempSync(join(process.env.BERTH_TEST_TMP ?? tmpdir(), `berth-vm-${opts.arch}-`));
  const secret = randomBytes(24).toString('hex');
  writeFileSync(join(dir, 'secret'), secret, { mode: 0o600 });
  if (!existsSync(opts.dataDisk)) {
    writeFileSync(opts.dataDisk, '');
    truncateSync(opts.dataDisk, 2 * 1024 ** 3);
  }
  const port = await freePort();
  const consoleLog = join(dir, 'console.log');
  writeFileSync(consoleLog, '');
  const { bin, args } = qemuArgs(opts.arch, dir, opts, port, secret, consoleLog);
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const readConsole = () => (existsSync(consoleLog) ? readFileSync(consoleLog, 'utf8') : '');
  let running = true;
  void exited.then(() => (running = false));

  const waitEngine = async () => {
    // Polls the agent until berthd answers through it (the guest reports its own readiness; there
    // is no event to wait on from outside the VM). Bounded by the test's own timeout.
    for (;;) {
      if (!running) throw new Error(`QEMU exited before the engine answered: ${stderr}\n${readConsole().slice(-3000)}`);
      const text = await askAgent(port, secret, { kind: 'status' }, 2_000).catch(() => '');
      if (text) {
        const status = JSON.parse(text) as { engine: { up: boolean }; uptimeSeconds: number };
        if (status.engine.up) return status;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  return {
    port,
    secret,
    console: readConsole,
    marks: () => Object.fromEntries([...readConsole().matchAll(/berth-boot: ([\w-]+) at ([\d.]+)s/g)].map((m) => [m[1], Number(m[2])])),
    waitEngine,
    pressPowerButton: () => qmpCommand(join(dir, 'qmp.sock'), 'system_powerdown'),
    exited,
    stop: async () => {
      if (running) {
        child.kill('SIGKILL');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
