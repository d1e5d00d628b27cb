// Facts about the host the engine reports (`docker info`, `docker version`) and the binaries it
// runs, found once at start-up.
import { accessSync, constants, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, hostname, release, totalmem } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** The native helper built by the project's setup (scripts/setup/native-helper.mjs). */
export function nativeHelperPath(): string {
  const fromEnv = process.env.BERTH_NATIVE_HELPER;
  if (fromEnv) return fromEnv;
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
  const built = join(repoRoot, '.berth', 'bin', 'berth-native');
  if (existsSync(built)) return built;
  return findExecutable('berth-native');
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
