// Test support: a minimal OCI bundle (static busybox rootfs + config.json) so runtime tests run
// real containers without images or the engine's own spec builder.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, rmdir, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const APPLETS = ['sh', 'cat', 'echo', 'sleep', 'stty', 'true', 'false', 'ls', 'env', 'printf', 'kill', 'head', 'wc', 'ps'];

// Docker's default capability set (moby oci/caps/defaults.go).
const DEFAULT_CAPS = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

/** Creates <dir>/rootfs with busybox and its applets; returns the rootfs path. */
export async function makeRootfs(dir: string): Promise<string> {
  const rootfs = join(dir, 'rootfs');
  for (const sub of ['bin', 'proc', 'dev', 'sys', 'tmp', 'etc']) await mkdir(join(rootfs, sub), { recursive: true });
  await copyFile('/bin/busybox', join(rootfs, 'bin', 'busybox'));
  await Promise.all(APPLETS.map((name) => symlink('busybox', join(rootfs, 'bin', name))));
  return rootfs;
}

export function makeSpec(options: { id: string; rootfs: string; args: string[]; tty?: boolean; env?: string[] }): object {
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: options.tty ?? false,
      user: { uid: 0, gid: 0 },
      args: options.args,
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', ...(options.env ?? [])],
      cwd: '/',
      capabilities: { bounding: DEFAULT_CAPS, effective: DEFAULT_CAPS, permitted: DEFAULT_CAPS },
    },
    root: { path: options.rootfs, readonly: false },
    hostname: 'berth-test',
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
      { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
      { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
      { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    ],
    linux: {
      cgroupsPath: `/berth-test/${options.id}`,
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, { type: 'network' }],
      maskedPaths: ['/proc/kcore', '/proc/keys', '/proc/timer_list', '/sys/firmware'],
      readonlyPaths: ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'],
    },
  };
}

export const TOOLS = {
  runcPath: '/usr/sbin/runc',
  conmonPath: '/usr/bin/conmon',
  nativeHelperPath: join(import.meta.dirname, '../../../../../.berth/bin/berth-native'),
};

export async function makeTempRoot(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Kills and removes every container under a runc root, then the temp dir (afterAll). */
export async function cleanupRoot(runcRoot: string, dir: string): Promise<void> {
  let list: { id: string }[] = [];
  try {
    list = JSON.parse(execFileSync(TOOLS.runcPath, ['--root', runcRoot, 'list', '--format', 'json'], { encoding: 'utf8' }) || '[]') ?? [];
  } catch {
    list = [];
  }
  for (const { id } of list) {
    try {
      execFileSync(TOOLS.runcPath, ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
  // conmons exit once their container is gone; give them a moment before removing their dirs.
  await new Promise((resolve) => setTimeout(resolve, 100));
  await rm(dir, { recursive: true, force: true });
  // runc removed each container's cgroup; the shared parent goes once no test uses it.
  const controllers = await readdir('/sys/fs/cgroup').catch(() => [] as string[]);
  await Promise.all(controllers.map((c) => rmdir(join('/sys/fs/cgroup', c, 'berth-test')).catch(() => {})));
}

/** Collects an attach session's output per stream until it closes. */
export function collect(session: import('../../../core/interfaces.ts').AttachSession): {
  stdout: () => string;
  stderr: () => string;
  closed: Promise<void>;
} {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  session.onOutput((stream, data) => (stream === 'stdout' ? out : err).push(data));
  const closed = new Promise<void>((resolve) => session.onClose(resolve));
  return { stdout: () => Buffer.concat(out).toString(), stderr: () => Buffer.concat(err).toString(), closed };
}

/** Polls `check` until it returns true (tests only; the runtime itself never polls like this). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
