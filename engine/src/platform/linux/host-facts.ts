// Facts about the host the engine reports (`docker info`, `docker version`) and the binaries it
// runs, found once at start-up.
import { accessSync, constants, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, hostname, release, totalmem } from 'node:os';
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

async function osName(): Promise<string> {
  const text = await readFile('/etc/os-release', 'utf8').catch(() => '');
  return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? 'Linux';
}

export async function systemFacts(
  flags: { dataRoot: string; execRoot: string; insecureRegistries: string[]; registryMirrors: string[] },
  runtimePath: string,
  cgroupV2: boolean,
): Promise<SystemInfo> {
  return {
    dataRoot: flags.dataRoot,
    execRoot: flags.execRoot,
    runtimePath,
    cgroupVersion: cgroupV2 ? '2' : '1',
    kernelVersion: release(),
    operatingSystem: await osName(),
    memTotal: totalmem(),
    ncpu: cpus().length,
    hostname: hostname(),
    insecureRegistries: flags.insecureRegistries,
    registryMirrors: flags.registryMirrors,
  };
}
