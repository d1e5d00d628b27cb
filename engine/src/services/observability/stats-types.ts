// One resource-usage sample of a container, in the engine's own terms; the API presenter turns
// it into dockerd's stats JSON (API spec "ContainerStatsResponse").

export interface BlkioEntry {
  major: number;
  minor: number;
  op: string;
  value: number;
}

export interface NetworkCounters {
  rx_bytes: number;
  rx_packets: number;
  rx_errors: number;
  rx_dropped: number;
  tx_bytes: number;
  tx_packets: number;
  tx_errors: number;
  tx_dropped: number;
}

export interface StatsSample {
  /** When the sample was taken (ms since epoch). */
  readAt: number;
  cpu: {
    /** Nanoseconds of CPU time used by the container. */
    total: number;
    /** Per-CPU nanoseconds (cgroup v1 only; v2 has no per-CPU accounting). */
    percpu?: number[];
    kernel: number;
    user: number;
    /** Host CPU time in nanoseconds (/proc/stat), the CLI's denominator for CPU %. */
    system: number;
    onlineCpus: number;
    throttling: { periods: number; throttledPeriods: number; throttledTime: number };
  };
  memory: { usage: number; maxUsage?: number; failcnt?: number; limit: number; stats: Record<string, number> };
  pids: { current: number; limit?: number };
  blkio: BlkioEntry[];
  /** Interfaces of the container's network namespace (loopback excluded); undefined = none. */
  networks?: Record<string, NetworkCounters>;
}

/** Reads a sample for a container's cgroup and init process; platform code implements it. */
export interface StatsReader {
  sample(id: string, pid: number): Promise<StatsSample>;
}

/** What a cgroup alone tells (no host CPU time, no network): the cgroup readers' result. */
export type CgroupSample = Omit<StatsSample, 'readAt' | 'networks' | 'cpu'> & { cpu: Omit<StatsSample['cpu'], 'system' | 'onlineCpus'> };
