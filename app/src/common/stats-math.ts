// GET /containers/{id}/stats JSON (Docker API "ContainerStatsResponse") → the numbers `docker
// stats` prints, with the docker CLI's arithmetic:
//   CPU %   = (cpu total delta / system delta) × online CPUs × 100
//   memory  = usage − total_inactive_file (cgroup v1) or − inactive_file (cgroup v2), the page
//             cache the kernel can drop at once
//   network = rx/tx bytes summed over the container's interfaces
//   block   = io_service_bytes_recursive entries for "read"/"write" (v1 spells them "Read",
//             v2 "read": compared case-insensitively)
import type { StatsSample } from './desktop-api.ts';

export interface CpuStatsJson {
  cpu_usage?: { total_usage?: number; percpu_usage?: number[] | null };
  system_cpu_usage?: number;
  online_cpus?: number;
}

export interface StatsJson {
  read?: string;
  cpu_stats?: CpuStatsJson;
  precpu_stats?: CpuStatsJson;
  memory_stats?: { usage?: number; limit?: number; stats?: Record<string, number> | null };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }> | null;
  blkio_stats?: { io_service_bytes_recursive?: { op?: string; value?: number }[] | null } | null;
  pids_stats?: { current?: number } | null;
}

const num = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * CPU percent between two CPU readings: `previous` defaults to the sample's own precpu_stats
 * (streamed stats); one-shot readers pass the reading they kept from the last poll.
 */
export function cpuPercent(current: CpuStatsJson | undefined, previous: CpuStatsJson | undefined): number {
  const cpuDelta = num(current?.cpu_usage?.total_usage) - num(previous?.cpu_usage?.total_usage);
  const systemDelta = num(current?.system_cpu_usage) - num(previous?.system_cpu_usage);
  const online = num(current?.online_cpus) || (current?.cpu_usage?.percpu_usage?.length ?? 0) || 1;
  if (cpuDelta <= 0 || systemDelta <= 0) return 0;
  return (cpuDelta / systemDelta) * online * 100;
}

export function memoryUsage(memory: StatsJson['memory_stats']): number {
  const usage = num(memory?.usage);
  const stats = memory?.stats ?? {};
  const v1 = stats.total_inactive_file;
  if (typeof v1 === 'number' && v1 < usage) return usage - v1;
  const v2 = stats.inactive_file;
  if (typeof v2 === 'number' && v2 < usage) return usage - v2;
  return usage;
}

export function networkTotals(networks: StatsJson['networks']): { rx: number; tx: number } {
  let rx = 0;
  let tx = 0;
  for (const iface of Object.values(networks ?? {})) {
    rx += num(iface?.rx_bytes);
    tx += num(iface?.tx_bytes);
  }
  return { rx, tx };
}

export function blockTotals(blkio: StatsJson['blkio_stats']): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const entry of blkio?.io_service_bytes_recursive ?? []) {
    const op = (entry.op ?? '').toLowerCase();
    if (op === 'read') read += num(entry.value);
    else if (op === 'write') write += num(entry.value);
  }
  return { read, write };
}

export function statsSample(json: StatsJson, previousCpu: CpuStatsJson | undefined = json.precpu_stats): StatsSample {
  const time = json.read ? Date.parse(json.read) : NaN;
  const network = networkTotals(json.networks);
  const block = blockTotals(json.blkio_stats);
  return {
    time: Number.isFinite(time) && time > 0 ? time : Date.now(),
    cpuPercent: cpuPercent(json.cpu_stats, previousCpu),
    memoryUsage: memoryUsage(json.memory_stats),
    memoryLimit: num(json.memory_stats?.limit),
    networkRx: network.rx,
    networkTx: network.tx,
    blockRead: block.read,
    blockWrite: block.write,
    pids: num(json.pids_stats?.current),
  };
}
