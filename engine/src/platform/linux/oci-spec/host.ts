// Reads the host facts the spec depends on (HostFacts). Kept apart from the builders so those stay
// pure and tests can describe any host (v1 or v2, x64 or arm64) without touching this one.
import { existsSync, readFileSync, readdirSync, statfsSync } from 'node:fs';
import { release } from 'node:os';
import { capabilitiesFromMask, KNOWN_CAPABILITIES } from './capabilities.ts';
import type { HostFacts } from './types.ts';

const CGROUP2_SUPER_MAGIC = 0x63677270;

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** "0-3,8,10-11" (sysfs cpu lists) → [0,1,2,3,8,10,11]. */
export function parseCpuList(list: string): number[] {
  const out: number[] = [];
  for (const part of list.trim().split(',').filter(Boolean)) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

export function isCgroupV2(): boolean {
  try {
    return statfsSync('/sys/fs/cgroup').type === CGROUP2_SUPER_MAGIC;
  } catch {
    return false;
  }
}

function swapAccounting(v2: boolean): boolean {
  if (!v2) return existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
  // The root cgroup has no memory.swap.max; look at our own cgroup, then at any first-level one.
  const own = /^0::(.*)$/m.exec(read('/proc/self/cgroup') ?? '')?.[1];
  if (own && own !== '/' && existsSync(`/sys/fs/cgroup${own}/memory.swap.max`)) return true;
  try {
    return readdirSync('/sys/fs/cgroup').some((d) => existsSync(`/sys/fs/cgroup/${d}/memory.swap.max`));
  } catch {
    return false;
  }
}

function ownCapabilities(): string[] {
  // Like containerd's cap.Current(): the capabilities this process can actually pass on.
  const mask = /^CapEff:\s*([0-9a-f]+)$/m.exec(read('/proc/self/status') ?? '')?.[1];
  return mask ? capabilitiesFromMask(mask) : [...KNOWN_CAPABILITIES];
}

function nofileHard(): number {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(read('/proc/self/limits') ?? '');
  if (!line) return Number.MAX_SAFE_INTEGER;
  return line[2] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(line[2]);
}

let cached: HostFacts | undefined;

/** Probes this host once per process (none of these change while the engine runs). */
export function probeHost(): HostFacts {
  if (cached) return cached;
  const v2 = isCgroupV2();
  const [major, minor] = release().split('.').map((n) => Number.parseInt(n, 10));
  const cpus = parseCpuList(read('/sys/devices/system/cpu/possible') ?? '');
  cached = {
    arch: process.arch,
    kernel: [major || 0, minor || 0],
    cgroupV2: v2,
    swapAccounting: swapAccounting(v2),
    capabilities: ownCapabilities(),
    thermalThrottlePaths: cpus
      .map((n) => `/sys/devices/system/cpu/cpu${n}/thermal_throttle`)
      .filter((p) => existsSync(p)),
    netSysctls: ['net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']
      .filter((s) => existsSync(`/proc/sys/${s.replaceAll('.', '/')}`)),
    nofileHard: nofileHard(),
    nrOpen: Number(read('/proc/sys/fs/nr_open') ?? 1048576) || 1048576,
  };
  return cached;
}
