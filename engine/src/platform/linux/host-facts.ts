// Facts about the host the engine reports (`docker info`, `docker version`) and the binaries it
// runs, found once at start-up.
import { accessSync, constants, existsSync, readdirSync, statfsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, hostname, release, totalmem } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { berthNativePath } from './berth-native.ts';
import type { SystemInfo } from '../../services/engine-services.ts';

/** Resolves a command name through PATH plus the sbin directories root's PATH may lack. */
export function findExecutable(name: string): string {
  if (name.includes('/')) return resolve(name);
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // try the next directory
    }
  }
  throw new Error(`${name} not found: install it (npm start installs Debian's ${name} package)`);
}

/** The native helper (mknod, setxattr, SOCK_SEQPACKET relay); one lookup for all its users. */
export function nativeHelperPath(): string {
  const path = berthNativePath();
  if (!existsSync(path)) throw new Error(`berth-native not found at ${path}: npm start builds it from native/berth-native.c`);
  return path;
}

/** statfs magic numbers → the names dockerd's fsutils gives them ("Backing Filesystem"). */
const FS_NAMES: Record<number, string> = {
  0xef53: 'extfs', 0x58465342: 'xfs', 0x9123683e: 'btrfs', 0x01021994: 'tmpfs', 0x794c7630: 'overlayfs', 0x2fc12fc1: 'zfs', 0x6969: 'nfs', 0x65735546: 'fuse',
};

function backingFilesystem(path: string): string {
  try {
    const type = Number(statfsSync(path).type);
    return FS_NAMES[type] ?? `<unknown 0x${type.toString(16)}>`;
  } catch {
    return '<unknown>';
  }
}

function openFds(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}

/** The CPUs and memory nodes containers may use, where dockerd's sysinfo reads them: the root of
 * the cpuset hierarchy on cgroup v1, the root's effective sets on v2. */
async function cpusets(cgroupV2: boolean, ncpu: number): Promise<{ cpusetCpus: string; cpusetMems: string }> {
  const dir = cgroupV2 ? '/sys/fs/cgroup' : '/sys/fs/cgroup/cpuset';
  const suffix = cgroupV2 ? '.effective' : '';
  const read = (name: string) => readFile(join(dir, `${name}${suffix}`), 'utf8').then((text) => text.trim(), () => '');
  const [cpuList, memList] = await Promise.all([read('cpuset.cpus'), read('cpuset.mems')]);
  return { cpusetCpus: cpuList || (ncpu > 1 ? `0-${ncpu - 1}` : '0'), cpusetMems: memList || '0' };
}

async function osName(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? 'Linux';
}

export async function systemFacts(
  flags: { dataRoot: string; execRoot: string; insecureRegistries: string[]; registryMirrors: string[] },
  runtimePath: string,
  cgroupV2: boolean,
  confined: Pick<SystemInfo, 'maskedPaths' | 'readonlyPaths'>,
): Promise<SystemInfo> {
  return {
    ...confined,
    dataRoot: flags.dataRoot,
    execRoot: flags.execRoot,
    runtimePath,
    cgroupVersion: cgroupV2 ? '2' : '1',
    kernelVersion: release(),
    operatingSystem: await osName(),
    memTotal: totalmem(),
    ncpu: cpus().length,
    affinityCpus: availableParallelism(),
    ...(await cpusets(cgroupV2, cpus().length)),
    hostname: hostname(),
    backingFilesystem: backingFilesystem(flags.dataRoot),
    openFds,
    insecureRegistries: flags.insecureRegistries,
    registryMirrors: flags.registryMirrors,
  };
}
