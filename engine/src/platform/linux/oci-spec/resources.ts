// linux.resources from HostConfig's resource fields, with dockerd's defaults and checks
// (daemon_unix.go adaptContainerSettings / verifyPlatformContainerResources / getMemoryResources,
// getCPUResources, getPidsLimit). OCI: config-linux.md#control-groups. runc maps these to cgroup
// v1 files (memory.limit_in_bytes, cpu.cfs_quota_us…) or v2 files (memory.max, cpu.max…).
import { invalid } from '../../../core/errors.ts';
import type { HostConfig } from '../../../core/container-types.ts';
import type { HostFacts, OciResources } from './types.ts';

/** CFS period dockerd uses for --cpus: 100ms (kernel sched-bwc.txt). */
export const NANO_CPU_PERIOD = 100_000;
/** dockerd's floor for --memory (6 MiB since 20.10). */
export const MIN_MEMORY = 6 * 1024 * 1024;

type Resources = Pick<HostConfig, 'Memory' | 'MemorySwap' | 'MemoryReservation' | 'NanoCpus' | 'CpuShares'
  | 'CpuPeriod' | 'CpuQuota' | 'CpusetCpus' | 'PidsLimit' | 'OomKillDisable'>;

export function memoryResources(hc: Resources, host: Pick<HostFacts, 'cgroupV2' | 'swapAccounting'>): OciResources['memory'] {
  const memory: NonNullable<OciResources['memory']> = {};
  const limit = hc.Memory ?? 0;
  if (limit < 0) throw invalid('invalid memory limit: must be positive');
  if (limit > 0 && limit < MIN_MEMORY) throw invalid('Minimum memory limit allowed is 6MB');
  if (limit > 0) memory.limit = limit;
  let swap = hc.MemorySwap ?? 0;
  if (swap > 0 && limit === 0) throw invalid('You should always set the Memory limit when using Memoryswap limit, see usage');
  if (swap > 0 && swap < limit) throw invalid('Minimum memoryswap limit should be larger than memory limit, see usage');
  // Docker: MemorySwap 0 with a memory limit means memory+swap = 2 × memory; -1 means unlimited
  // swap, which is simply not writing a memsw/swap limit. Without swap accounting (no
  // memory.memsw.* files) dockerd drops the swap limit with a warning instead of failing.
  if (limit > 0 && swap === 0) swap = limit * 2;
  if (swap > 0 && host.swapAccounting) memory.swap = swap;
  if ((hc.MemoryReservation ?? 0) > 0) memory.reservation = hc.MemoryReservation;
  // The OOM-killer switch exists only in cgroup v1 (memory.oom_control); on v2 dockerd ignores it.
  if (hc.OomKillDisable && !host.cgroupV2) memory.disableOOMKiller = true;
  return Object.keys(memory).length ? memory : undefined;
}

export function cpuResources(hc: Resources): OciResources['cpu'] {
  const cpu: NonNullable<OciResources['cpu']> = {};
  const nano = hc.NanoCpus ?? 0;
  if (nano < 0) throw invalid('Range of CPUs is from 0.01 to the number of CPUs available on the system');
  if (nano > 0 && (hc.CpuPeriod ?? 0) > 0) throw invalid('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano > 0 && (hc.CpuQuota ?? 0) > 0) throw invalid('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  // dockerd getCPUResources, at start (create lets negative shares through).
  if ((hc.CpuShares ?? 0) < 0) throw invalid('shares: invalid argument');
  if (hc.CpuShares > 0) cpu.shares = hc.CpuShares;
  if (hc.CpusetCpus) cpu.cpus = hc.CpusetCpus;
  if (nano > 0) {
    // --cpus=1.5 → NanoCpus 1.5e9 → quota 150000µs per 100000µs period.
    cpu.period = NANO_CPU_PERIOD;
    cpu.quota = Math.floor((nano * NANO_CPU_PERIOD) / 1e9);
  }
  if (hc.CpuPeriod) cpu.period = hc.CpuPeriod;
  if (hc.CpuQuota) cpu.quota = hc.CpuQuota;
  return Object.keys(cpu).length ? cpu : undefined;
}

/** PidsLimit null → no pids entry; 0 or negative → -1 (unlimited, what runc needs to unset). */
export function pidsResources(hc: Resources): OciResources['pids'] {
  if (hc.PidsLimit === null || hc.PidsLimit === undefined) return undefined;
  return { limit: hc.PidsLimit > 0 ? hc.PidsLimit : -1 };
}
