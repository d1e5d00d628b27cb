// The container's mount list the way dockerd assembles it: its default filesystems (/proc, /dev,
// /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm), then the caller's mounts (bind files,
// volumes) and HostConfig.Tmpfs, parents before children. OCI: config.md#mounts.
import { invalid } from '../../../core/errors.ts';
import type { OciMount } from './types.ts';

/** Docker's default /dev/shm size (64 MiB) when HostConfig.ShmSize is 0. */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

export const INIT_PATH_IN_CONTAINER = '/sbin/docker-init';

/** moby oci.DefaultLinuxSpec mounts; /dev/shm gets its size from ShmSize. */
export function defaultMounts(shmSize: number): OciMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    // runc creates the standard device nodes inside this tmpfs (config-linux.md#default-devices).
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    // A private devpts instance; gid 5 is the "tty" group on Debian and most images.
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', `size=${shmSize > 0 ? shmSize : DEFAULT_SHM_SIZE}`] },
  ];
}

// Mount flags that cancel each other: the last one given wins (moby's MergeTmpfsOptions).
const FLAG_FAMILY: Record<string, string> = {};
for (const [family, words] of Object.entries({
  ro: 'ro rw', exec: 'exec noexec', suid: 'suid nosuid', dev: 'dev nodev', sync: 'sync async',
  atime: 'atime noatime', diratime: 'diratime nodiratime', relatime: 'relatime norelatime',
  strictatime: 'strictatime nostrictatime', mand: 'mand nomand', dirsync: 'dirsync',
  propagation: 'private rprivate shared rshared slave rslave unbindable runbindable',
})) {
  for (const w of words.split(' ')) FLAG_FAMILY[w] = family;
}
const TMPFS_DATA_KEYS = new Set(['size', 'mode', 'uid', 'gid', 'nr_inodes', 'nr_blocks', 'mpol']);

/** Merges tmpfs options so later ones override earlier ones of the same kind. */
export function mergeTmpfsOptions(options: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = options.length - 1; i >= 0; i--) {
    const opt = options[i].trim();
    if (opt === '' || opt === 'defaults') continue;
    let key = FLAG_FAMILY[opt];
    if (!key) {
      const eq = opt.indexOf('=');
      if (eq < 0 || !TMPFS_DATA_KEYS.has(opt.slice(0, eq))) throw invalid(`invalid tmpfs option "${opt}"`);
      key = `data:${opt.slice(0, eq)}`;
    }
    if (seen.has(key)) continue;
    seen.add(key);
    out.unshift(opt);
  }
  return out;
}

/** HostConfig.Tmpfs {"/run": "size=64m,exec"}: noexec,nosuid,nodev,rprivate unless overridden. */
export function tmpfsMounts(tmpfs: Record<string, string> | undefined): OciMount[] {
  return Object.entries(tmpfs ?? {}).map(([destination, data]) => {
    if (!destination.startsWith('/') || destination === '/') {
      throw invalid(`invalid mount config for type "tmpfs": invalid mount path: '${destination}' mount path must be absolute`);
    }
    const options = mergeTmpfsOptions(['noexec', 'nosuid', 'nodev', 'rprivate', ...(data ? data.split(',') : [])]);
    return { destination, type: 'tmpfs', source: 'tmpfs', options };
  });
}

const depth = (p: string) => p.split('/').filter(Boolean).length;

/**
 * Default mounts, minus those a user mount replaces (same destination, or anything under /dev when
 * the user mounts /dev), then the user mounts sorted shallow-first so a parent never hides a
 * child (moby sortMounts). With a read-only rootfs, the defaults that are not kernel pseudo
 * filesystems become read-only too, as in dockerd.
 */
export function assembleMounts(options: {
  defaults: OciMount[];
  user: OciMount[];
  readonlyRootfs: boolean;
  privileged: boolean;
  writableCgroups: boolean;
}): OciMount[] {
  const userDest = new Set(options.user.map((m) => m.destination));
  const userMountsDev = userDest.has('/dev');
  const kept = options.defaults
    .filter((m) => !userDest.has(m.destination) && !(userMountsDev && m.destination.startsWith('/dev/')))
    .map((m) => ({ ...m, options: [...(m.options ?? [])] }));
  for (const m of kept) {
    const keepWritable = ['/proc', '/dev/pts', '/dev/shm', '/dev/mqueue', '/dev'].includes(m.destination);
    if (options.readonlyRootfs && !keepWritable && !m.options.includes('ro')) m.options.push('ro');
    // Privileged containers get a writable /sys (and cgroup tree), as `docker run --privileged`.
    if (options.privileged && m.destination === '/sys') m.options = m.options.filter((o) => o !== 'ro');
    if (options.writableCgroups && m.type === 'cgroup') m.options = m.options.filter((o) => o !== 'ro');
  }
  const sorted = options.user
    .map((m, i) => ({ m, i }))
    .sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i)
    .map(({ m }) => ({ ...m, ...(m.options ? { options: [...m.options] } : {}) }));
  return [...kept, ...sorted];
}

/** The read-only bind of the host's init (tini) at /sbin/docker-init for HostConfig.Init. */
export function initMount(initPath: string): OciMount {
  return { destination: INIT_PATH_IN_CONTAINER, type: 'bind', source: initPath, options: ['bind', 'ro'] };
}
